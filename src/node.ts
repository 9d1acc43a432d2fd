/**
 * Node entry: everything of the main entry, plus `scan`/`scanSync` that also take a path on disk, `scanPackage`
 * (what `npm pack` would publish), `scanNpmPackage` (a registry package) and `scanUrl` (a live site).
 * With the CLI, the only modules of the library that touch the file system or the network.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ForensicsError } from './errors';
import { directoryVfs, openNodeTarget } from './input/node-vfs';
import { listPublishable, restrictVfs } from './input/publishable';
import { resolveScanOptions, type ScanOptions } from './report/options';
import { scanOpened, scanSync as scanMemorySync } from './report/api';
import type { ScanTarget } from './report/target';
import type { ExposureReport } from './types';

export * from './index';

/**
 * Scans a path (a file, an archive, or a directory walked recursively without following links) or an in-memory
 * target. Throws `ForensicsError` `TARGET_UNREADABLE` when the path cannot be read at all; problems inside it are findings.
 */
export function scanSync(target: ScanTarget, options?: ScanOptions): ExposureReport {
  if (typeof target !== 'string') return scanMemorySync(target, options);
  return scanOpened(openNodeTarget(target), options);
}

/** Async twin of {@link scanSync}. */
export async function scan(target: ScanTarget, options?: ScanOptions): Promise<ExposureReport> {
  return scanSync(target, options);
}

/**
 * Scans exactly the files `npm pack` would put in the tarball of the package in `dir` (its `files`, `.npmignore`,
 * and npm's always-included and always-excluded files, by npm's own npm-packlist). The release gate: a map that
 * would ship is found here; one that stays home is not counted. No lifecycle script is run.
 */
export async function scanPackage(dir: string, options?: ScanOptions): Promise<ExposureReport> {
  resolveScanOptions(options, true);
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new ForensicsError('TARGET_UNREADABLE', `cannot read package directory ${JSON.stringify(dir)}: not a directory`);
  const files = await listPublishable(dir);
  const vfs = restrictVfs(directoryVfs(resolve(dir), null), files);
  return scanOpened({ input: { kind: 'vfs', vfs }, target: { kind: 'package', name: dir }, orphans: true }, options);
}

export { scanNpmPackage, parseNpmSpec } from './remote/npm';
export type { NpmScanOptions, NpmSpec } from './remote/npm';
export { scanUrl } from './remote/site';
export type { UrlScanOptions } from './remote/site';
export type { FetchLike, FetchResponse } from './remote/fetch';
