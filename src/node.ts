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
import { Extractor, type ExtractionManifest, type ExtractOptions } from './reconstruct/extract';
import type { FetchLike } from './remote/fetch';
import { scanNpmPackage as scanNpmPackageWith, type NpmScanOptions } from './remote/npm';
import { scanUrl as scanUrlWith, type UrlScanOptions } from './remote/site';
import { withFindings } from './report/build';
import { checkPolicy, evaluatePolicy, type ExposurePolicy } from './report/policy';
import { collectCandidates, findSecrets } from './signals/secrets';
import { resolveScanOptions, type ScanOptions } from './report/options';
import { scanOpened, scanSync as scanMemorySync } from './report/api';
import type { ReferenceHooks } from './report/scan';
import { openMemoryTarget, type ScanTarget } from './report/target';
import type { ExposureReport, ReportTarget } from './types';

export * from './index';

/**
 * Scans a path (a file, an archive, or a directory walked recursively without following links) or an in-memory
 * target. Throws `ForensicsError` `TARGET_UNREADABLE` when the path cannot be read at all; problems inside it are findings.
 */
export function scanSync(target: ScanTarget, options?: ScanOptions): ExposureReport {
  if (typeof target !== 'string') return scanMemorySync(target, options);
  return scanOpened(openNodeTarget(target), options);
}

/**
 * Scans like {@link scanSync} and, unless `signals: false`, also checks recovered first-party source for secrets with
 * secretlint's recommended rules (`SECRET_IN_SOURCE` findings), which only the async functions do.
 */
export async function scan(target: ScanTarget, options?: ScanOptions): Promise<ExposureReport> {
  return withSecrets(options, {}, (hooks) =>
    scanOpened(typeof target === 'string' ? openNodeTarget(target) : openMemoryTarget(target), options, [], hooks),
  );
}

/** Runs a scan with a hook that keeps first-party contents, then adds secretlint's findings to its report. */
async function withSecrets(
  options: unknown,
  hooks: ReferenceHooks,
  run: (hooks: ReferenceHooks) => ExposureReport | Promise<ExposureReport>,
): Promise<ExposureReport> {
  if ((options as ScanOptions | undefined)?.signals === false) return run(hooks);
  const collector = collectCandidates();
  const report = await run({
    ...hooks,
    keepContent: (file) => collector.keepContent(file) || hooks.keepContent?.(file) === true,
    onMap(entry, contents) {
      hooks.onMap?.(entry, contents);
      collector.onMap(entry, contents);
    },
  });
  return withFindings(report, await findSecrets(collector.candidates));
}

/** Registry packages (see `scanNpmPackage` in the README), with secret detection. */
export async function scanNpmPackage(spec: string, options?: NpmScanOptions): Promise<ExposureReport> {
  return withSecrets(options, {}, (hooks) => scanNpmPackageWith(spec, options, hooks));
}

/** Live sites (see `scanUrl` in the README), with secret detection. */
export async function scanUrl(url: string, options?: UrlScanOptions): Promise<ExposureReport> {
  return withSecrets(options, {}, (hooks) => scanUrlWith(url, options, hooks));
}

/**
 * Scans exactly the files `npm pack` would put in the tarball of the package in `dir` (its `files`, `.npmignore`,
 * and npm's always-included and always-excluded files, by npm's own npm-packlist). The release gate: a map that
 * would ship is found here; one that stays home is not counted. No lifecycle script is run.
 */
export async function scanPackage(dir: string, options?: ScanOptions): Promise<ExposureReport> {
  return withSecrets(options, {}, (hooks) => scanPackageWith(dir, options, hooks));
}

async function scanPackageWith(dir: string, options: ScanOptions | undefined, hooks: ReferenceHooks): Promise<ExposureReport> {
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
  return scanOpened({ input: { kind: 'vfs', vfs }, target: { kind: 'package', name: dir }, orphans: true }, options, [], hooks);
}

/** Options of {@link scanAny}: the scan options plus those of every target kind it may meet (others are ignored). */
export interface AnyScanOptions extends ScanOptions {
  /**
   * For a directory target: scan only what `npm pack` would publish from it.
   * @default false
   */
  publishable?: boolean;
  /**
   * Registry for `npm:` targets.
   * @default the npm configuration's registry
   */
  registry?: string;
  /**
   * The fetch for `npm:` and `https://` targets.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
  /**
   * Requests per `https://` target.
   * @default 100
   */
  maxRequests?: number;
}

/**
 * Scans any target the CLI takes: `npm:name@version`, an `http(s)://` page or script, a package directory with
 * `publishable`, a path (file, archive, directory) or an in-memory target, with secret detection.
 */
export async function scanAny(target: ScanTarget, options: AnyScanOptions = {}): Promise<ExposureReport> {
  return scanAnyWith(target, options, {}, null);
}

/** {@link scanAny} with scan hooks, and the kind of a report being scanned again (which fixes how its name is read). */
async function scanAnyWith(target: ScanTarget, options: AnyScanOptions, hooks: ReferenceHooks, kind: ReportTarget['kind'] | null): Promise<ExposureReport> {
  const { publishable, registry, fetch, maxRequests, ...scanOptions } = options ?? {};
  // Each kind of target takes only its own extra options (unknown options are errors in the functions below).
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return withSecrets(scanOptions, hooks, (h) => {
    if (typeof target === 'string') {
      if (kind === 'package' || (publishable === true && kind === null)) return scanPackageWith(target, scanOptions, h);
      if (kind === 'npm' || (kind === null && target.startsWith('npm:'))) return scanNpmPackageWith(target, { ...scanOptions, ...defined({ registry, fetch }) }, h);
      if (kind === 'url' || (kind === null && /^https?:\/\//i.test(target))) return scanUrlWith(target, { ...scanOptions, ...defined({ fetch, maxRequests }) }, h);
      return scanOpened(openNodeTarget(target), scanOptions, [], h);
    }
    return scanOpened(openMemoryTarget(target), scanOptions, [], h);
  });
}

/**
 * Writes every source that has content to `outDir`, mirroring its sanitised path, and `outDir/manifest.json`
 * saying what was written where (bytes, lines, sha256) and what was not, and why. `target` is anything
 * {@link scanAny} takes, or a report of such a target, which is scanned again. Nothing is written outside
 * `outDir`; no link is followed or made; an `outDir` that is not empty is refused unless `force`.
 */
export async function extractSources(
  target: ScanTarget | ExposureReport,
  outDir: string,
  options: AnyScanOptions & ExtractOptions = {},
): Promise<{ report: ExposureReport; manifest: ExtractionManifest }> {
  const { force, maxWriteBytes, ...scanOptions } = options ?? {};
  let source: ScanTarget;
  let kind: ReportTarget['kind'] | null = null;
  if (isReport(target)) {
    kind = target.target.kind;
    if (kind === 'files' || kind === 'map' || target.target.inMemory === true) {
      throw new ForensicsError('INVALID_TARGET', `a report of an in-memory target (${kind}) cannot be scanned again; pass the target itself`);
    }
    source = target.target.name;
  } else {
    source = target;
  }
  // Check the scan options before anything is created on disk.
  resolveScanOptions(scanOptions, true, ['publishable', 'registry', 'fetch', 'maxRequests']);
  const extractor = new Extractor(outDir, { force, maxWriteBytes });
  const report = await scanAnyWith(source, scanOptions, extractor.hooks, kind);
  return { report, manifest: extractor.finish(report) };
}

/**
 * The build gate: scans `target` (anything {@link scanAny} takes) and resolves to the report when it keeps to
 * `policy`; rejects with `ForensicsError` `POLICY_VIOLATION`, whose `violations` list each offending map and file,
 * when it does not.
 */
export async function assertNoExposure(target: ScanTarget, policy: ExposurePolicy, options: AnyScanOptions = {}): Promise<ExposureReport> {
  checkPolicy(policy);
  const report = await scanAny(target, options);
  const violations = evaluatePolicy(report, policy);
  if (violations.length > 0) {
    const files = new Set(violations.map((v) => v.file ?? v.map)).size;
    throw new ForensicsError('POLICY_VIOLATION', `${report.target.name} breaks the exposure policy: ${violations.length} violations over ${files} files or maps`, [], violations);
  }
  return report;
}

function isReport(value: unknown): value is ExposureReport {
  return value !== null && typeof value === 'object' && 'schemaVersion' in value && 'target' in value && 'summary' in value;
}

export { parseNpmSpec } from './remote/npm';
export type { ExtractionManifest, ExtractOptions, SkippedSource, SkipReason, WrittenSource } from './reconstruct/extract';
export type { PathNote } from './reconstruct/sanitize';
export type { NpmScanOptions, NpmSpec } from './remote/npm';
export type { UrlScanOptions } from './remote/site';
export type { FetchLike, FetchResponse } from './remote/fetch';
