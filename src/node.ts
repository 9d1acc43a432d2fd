/**
 * Node entry: everything of the main entry, plus `scan`/`scanSync` that also take a path on disk, `scanPackage`
 * (what `npm pack` would publish), `scanNpmPackage` (a registry package) and `scanUrl` (a live site).
 * With the CLI, the only modules of the library that touch the file system or the network.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ForensicsError } from './errors';
import { directoryVfs, openNodeTarget, readEarly } from './input/node-vfs';
import { warmMappingsLoop } from './map/mappings';
import { pieceReads } from './map/parse';
import { expectBulkHashing } from './util/sha256';
import { listPublishable, restrictVfs } from './input/publishable';
import { Extractor, type ExtractionManifest, type ExtractOptions } from './reconstruct/extract';
import type { FetchLike } from './remote/fetch';
import { scanNpmPackage as scanNpmPackageWith, type NpmScanOptions } from './remote/npm';
import { scanUrl as scanUrlWith, type UrlScanOptions } from './remote/site';
import { withFindings } from './report/build';
import { checkPolicy, evaluatePolicy, type ExposurePolicy } from './report/policy';
import { collectCandidates, findSecrets } from './signals/secrets';
import { premeasureDirectory, progressTotals, scanTargetsInWorkers, worthWorkers } from './parallel/many';
import { resolveJobs } from './parallel/pool';
import { ASSIST_MIN_BYTES, ThreadAssistant } from './parallel/assist';
import { createReclaimer } from './runtime/gc';
import { resolveScanOptions, type ScanOptions, type ScanProgress } from './report/options';
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
    keepContent: hooks.keepContent === 'all' ? 'all' : collector.keepContent,
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
  /**
   * Threads to use, this one included: {@link scanMany} scans that many targets at once, and a directory with many
   * `.map` files has them measured by that many threads (this one and `jobs - 1` workers). Workers are only started
   * for at least 64 MiB of maps (4 files or more) or of targets, or for `npm:` and `https:` targets (see README,
   * Performance); `detectors` and `extractSources` always scan in this thread; `1` starts no worker. Reports are
   * the same whatever the number.
   * @default os.availableParallelism()
   */
  jobs?: number;
}

/** The keys {@link AnyScanOptions} adds to the scan options. */
const ANY_KEYS = ['publishable', 'registry', 'fetch', 'maxRequests', 'jobs'];

/**
 * Scans any target the CLI takes: `npm:name@version`, an `http(s)://` page or script, a package directory with
 * `publishable`, a path (file, archive, directory) or an in-memory target, with secret detection.
 */
export async function scanAny(target: ScanTarget, options: AnyScanOptions = {}): Promise<ExposureReport> {
  return scanAnyWith(target, options, {}, null);
}

/** {@link scanAny} with scan hooks, and the kind of a report being scanned again (which fixes how its name is read). */
async function scanAnyWith(target: ScanTarget, options: AnyScanOptions, hooks: ReferenceHooks, kind: ReportTarget['kind'] | null): Promise<ExposureReport> {
  const { publishable, registry, fetch, maxRequests, jobs, ...scanOptions } = options ?? {};
  const workers = resolveJobs(jobs);
  // Each kind of target takes only its own extra options (unknown options are errors in the functions below).
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return withSecrets(scanOptions, hooks, async (h) => {
    if (typeof target === 'string') {
      if (kind === 'package' || (publishable === true && kind === null)) return scanPackageWith(target, scanOptions, h);
      if (kind === 'npm' || (kind === null && target.startsWith('npm:'))) return scanNpmPackageWith(target, { ...scanOptions, ...defined({ registry, fetch }) }, h);
      if (kind === 'url' || (kind === null && /^https?:\/\//i.test(target))) return scanUrlWith(target, { ...scanOptions, ...defined({ fetch, maxRequests }) }, h);
      // A big map is hashed and its mappings scanned on a second core while this one reads its contents.
      const assistant = workers > 1 ? new ThreadAssistant(bigMapAhead(target)) : undefined;
      try {
        // node:crypto loads, and the mappings loop is warmed, while the thread pool reads the map.
        const early = await readEarly(target, pieceReads.minBytes, () => {
          expectBulkHashing();
          warmMappingsLoop();
        });
        const opened = openNodeTarget(target, early);
        const reclaim = createReclaimer();
        const assisted = { ...h, ...(assistant === undefined ? {} : { assistant }), reclaim };
        // A caller that needs every map's contents here (the extractor) gets an in-process scan.
        const premeasured = hooks.onMap === undefined ? await premeasureDirectory(opened, resolveScanOptions(scanOptions, opened.orphans), workers) : null;
        if (premeasured === null) return scanOpened(opened, scanOptions, [], assisted);
        return scanOpened(opened, scanOptions, [], {
          ...assisted,
          premeasured(path) {
            const found = premeasured.get(path);
            premeasured.delete(path);
            return found;
          },
        });
      } finally {
        assistant?.close();
      }
    }
    return scanOpened(openMemoryTarget(target), scanOptions, [], h);
  });
}

/** A file target that is, or names beside it, a map big enough to start the helper thread before reading it. */
function bigMapAhead(target: string): boolean {
  const size = (path: string): number => {
    try {
      const stats = statSync(path);
      return stats.isFile() ? stats.size : 0;
    } catch {
      return 0;
    }
  };
  return size(target) >= ASSIST_MIN_BYTES || size(`${target}.map`) >= ASSIST_MIN_BYTES;
}

/**
 * Scans several targets (anything {@link scanAny} takes), path targets in `jobs` threads at once (this one and
 * `jobs - 1` workers), and returns one settled result per target, in target order: `{ status: 'fulfilled', value: report }`, or
 * `{ status: 'rejected', reason }` for a target that could not be scanned (a `ForensicsError` such as
 * `TARGET_UNREADABLE`, or an error saying its worker died); the others are scanned all the same. `onProgress`
 * gets totals over all targets. Options must be plain data to cross to workers: with `fetch` or `detectors`, or
 * `jobs: 1`, or fewer than two path targets, or path targets of less than 64 MiB together (none of them `npm:` or
 * `https:`), everything runs in this thread. Reports are the same either way.
 */
export async function scanMany(targets: readonly ScanTarget[], options: AnyScanOptions = {}): Promise<PromiseSettledResult<ExposureReport>[]> {
  if (!Array.isArray(targets)) throw new ForensicsError('INVALID_TARGET', 'scanMany takes an array of targets');
  const { jobs, onProgress, ...rest } = options ?? {};
  resolveScanOptions(rest, true, ANY_KEYS);
  const workers = resolveJobs(jobs);
  const latest: (ScanProgress | null)[] = targets.map(() => null);
  const progress =
    onProgress === undefined
      ? undefined
      : (index: number, p: ScanProgress) => {
          latest[index] = p;
          onProgress(progressTotals(latest));
        };
  const positions = targets.flatMap((t, i) => (typeof t === 'string' ? [i] : []));
  const plain = rest.fetch === undefined && (rest.detectors === undefined || rest.detectors.length === 0);
  /** One target in this thread; `jobs` for its own scan (1 when the target is one of several shared with workers). */
  const here = async (index: number, jobs: number): Promise<ExposureReport> => {
    const onTarget = progress && ((p: ScanProgress) => progress(index, p));
    return scanAny(targets[index]!, { ...rest, jobs, ...(onTarget && { onProgress: onTarget }) });
  };
  const settle = (index: number, jobs: number): Promise<PromiseSettledResult<ExposureReport>> =>
    here(index, jobs).then(
      (value) => ({ status: 'fulfilled', value }),
      (reason: unknown) => ({ status: 'rejected', reason }),
    );
  // Path targets are shared by this thread and the workers; in-memory ones are scanned here.
  const shared =
    workers > 1 && positions.length >= 2 && plain && worthWorkers(positions.map((i) => targets[i] as string))
      ? await scanTargetsInWorkers(
          positions.map((i) => targets[i] as string),
          rest,
          workers,
          progress && ((n, p) => progress(positions[n]!, p)),
          (n) => here(positions[n]!, 1),
        )
      : null;
  const results: PromiseSettledResult<ExposureReport>[] = new Array(targets.length);
  for (const [n, index] of positions.entries()) results[index] = shared !== null ? shared[n]! : await settle(index, workers);
  for (const [index, target] of targets.entries()) if (typeof target !== 'string') results[index] = await settle(index, workers);
  return results;
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
  resolveScanOptions(scanOptions, true, ANY_KEYS);
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
