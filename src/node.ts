/**
 * Node entry: everything of the main entry, plus `scan`/`scanSync` that also take a path on disk.
 * The only module of the library (besides the CLI) that touches the file system.
 */
import { openNodeTarget } from './input/node-vfs';
import type { ScanOptions } from './report/options';
import { scanOpened, scanSync as scanMemorySync } from './report/api';
import type { ScanTarget } from './report/target';
import type { ExposureReport } from './types';

export * from './index';

/**
 * Scans a path (a file or a directory, walked recursively without following links) or an in-memory target.
 * Throws `ForensicsError` `TARGET_UNREADABLE` when the path cannot be read at all; problems inside it are findings.
 */
export function scanSync(target: ScanTarget, options?: ScanOptions): ExposureReport {
  if (typeof target !== 'string') return scanMemorySync(target, options);
  return scanOpened(openNodeTarget(target), options);
}

/** Async twin of {@link scanSync}. */
export async function scan(target: ScanTarget, options?: ScanOptions): Promise<ExposureReport> {
  return scanSync(target, options);
}
