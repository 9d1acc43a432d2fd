import type { ExposureReport } from '../types';
import { resolveScanOptions, type ScanOptions } from './options';
import { scanInput, type ReferenceHooks } from './scan';
import { openMemoryTarget, type OpenedTarget, type ScanTarget } from './target';

/**
 * Scans an in-memory target synchronously. Paths need the Node entry (`sourcemap-forensics/node`).
 * Throws `ForensicsError` only for misuse (bad target or options); problems inside the target are findings.
 */
export function scanSync(target: ScanTarget, options?: ScanOptions): ExposureReport {
  return scanOpened(openMemoryTarget(target), options);
}

/** Async twin of {@link scanSync}; the Node entry's `scan` also takes paths. */
export async function scan(target: ScanTarget, options?: ScanOptions): Promise<ExposureReport> {
  return scanSync(target, options);
}

/** @internal Scans an opened target, with its options checked and defaulted. */
export function scanOpened(opened: OpenedTarget, options: unknown, extraKeys: readonly string[] = [], hooks: ReferenceHooks = {}): ExposureReport {
  return scanInput(opened.input, opened.target, resolveScanOptions(options, opened.orphans, extraKeys), hooks);
}
