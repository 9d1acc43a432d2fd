/**
 * Node entry: everything of the main entry, plus `scan`/`scanSync` that also take a path on disk.
 * The only module of the library (besides the CLI) that touches the file system.
 */
import { openNodeTarget } from './input/node-vfs';
import { resolveScanOptions, type ScanOptions } from './report/options';
import { scanVfs } from './report/scan';
import { scanSync as scanMemorySync } from './report/api';
import type { ScanTarget } from './report/target';
import type { ExposureReport } from './types';

export * from './index';

/**
 * Scans a path (a file or a directory, walked recursively without following links) or an in-memory target.
 * Throws `ForensicsError` `TARGET_UNREADABLE` when the path cannot be read at all; problems inside it are findings.
 */
export function scanSync(target: ScanTarget, options?: ScanOptions): ExposureReport {
  if (typeof target !== 'string') return scanMemorySync(target, options);
  const opened = openNodeTarget(target);
  return scanVfs(opened.vfs, opened.target, resolveScanOptions(options, opened.orphans));
}

/** Async twin of {@link scanSync}. */
export async function scan(target: ScanTarget, options?: ScanOptions): Promise<ExposureReport> {
  return scanSync(target, options);
}
