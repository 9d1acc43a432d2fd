import type { ExposureReport } from '../types';
import { resolveScanOptions, type ScanOptions } from './options';
import { scanVfs } from './scan';
import { openMemoryTarget, type ScanTarget } from './target';

/**
 * Scans an in-memory target synchronously. Paths need the Node entry (`sourcemap-forensics/node`).
 * Throws `ForensicsError` only for misuse (bad target or options); problems inside the target are findings.
 */
export function scanSync(target: ScanTarget, options?: ScanOptions): ExposureReport {
  const opened = openMemoryTarget(target);
  return scanVfs(opened.vfs, opened.target, resolveScanOptions(options, opened.orphans));
}

/** Async twin of {@link scanSync}; the Node entry's `scan` also takes paths. */
export async function scan(target: ScanTarget, options?: ScanOptions): Promise<ExposureReport> {
  return scanSync(target, options);
}
