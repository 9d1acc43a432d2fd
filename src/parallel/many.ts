/**
 * The main-thread side of parallel scans: a directory's `.map` files measured in workers before the (synchronous)
 * scan runs with their measurements, and several targets scanned in workers at once. Both fall back to scanning
 * in-process when workers would not pay (small inputs, `jobs: 1`, options that cannot cross threads).
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResolvedScanOptions, ScanProgress } from '../report/options';
import type { Premeasured } from '../report/scan';
import type { OpenedTarget } from '../report/target';
import type { ExposureReport } from '../types';
import { measureFile, type Job, type MapJob, type TargetResult } from './jobs';
import { WorkerPool, workerScript } from './pool';
import { load } from '../runtime/load';

/**
 * When workers are used. A worker costs about 40 ms to start and its own JIT warm-up, and a single-threaded scan
 * already keeps about 1.4 of 2 vCPUs busy (V8's GC and compiler threads); on the 2-vCPU development machine two
 * threads measuring maps ran at about 0.55 times the speed of one each, so workers only paid from about 64 MB of
 * maps (0.88x at 15 MB, 0.94x at 47 MB, 1.07x at 70 MB; see README, Performance). Machines whose cores scale better
 * can lower `bytes` with the environment variable SOURCEMAP_FORENSICS_PARALLEL_MIN_MB.
 */
export const PARALLEL_TUNING = {
  /** Fewest `.map` files of a directory for workers at all. */
  maps: 4,
  /** Fewest bytes (of a directory's `.map` files, or of several targets together) for workers at all. */
  bytes: 64 * 1024 * 1024,
  /** This thread takes queued jobs too (tests turn it off to have every job run in a worker). */
  here: true,
};

/** {@link PARALLEL_TUNING}.bytes, or the environment's override in MB (0 = always, for benchmarks). */
function minBytes(): number {
  const mb = process.env.SOURCEMAP_FORENSICS_PARALLEL_MIN_MB;
  return mb !== undefined && /^\d+$/.test(mb) ? Number(mb) * 1024 * 1024 : PARALLEL_TUNING.bytes;
}

/**
 * Whether several targets are worth workers: any registry or site target (they wait on the network), or path
 * targets of at least {@link minBytes} together (files and archives by size; folders by their files' sizes,
 * counted until the sum is reached).
 */
export function worthWorkers(targets: readonly string[]): boolean {
  const limit = minBytes();
  let total = 0;
  for (const target of targets) {
    if (/^(npm:|https?:\/\/)/i.test(target)) return true;
    total += pathBytes(target, limit - total);
    if (total >= limit) return true;
  }
  return false;
}

/** Bytes of a file, or of the regular files below a folder (links not followed), counting no further than `enough`. */
function pathBytes(path: string, enough: number): number {
  let total = 0;
  const stack = [path];
  while (stack.length > 0 && total < enough) {
    const current = stack.pop()!;
    try {
      const stats = lstatSync(current);
      if (stats.isFile()) total += stats.size;
      else if (stats.isDirectory()) for (const name of readdirSync(current)) stack.push(join(current, name));
    } catch {
      // unreadable: the scan reports it
    }
  }
  return total;
}

/** `.map` by the scan's own rule: the extension after the last dot of a name that does not start with it. */
function isMapFile(path: string): boolean {
  const slash = path.lastIndexOf('/');
  return path.length - slash > 5 && path.slice(-4).toLowerCase() === '.map';
}

/**
 * Measures the `.map` files of a directory target in `jobs` threads (this one and `jobs - 1` workers), for the
 * scan's `premeasured` hook. Null when the scan should do everything itself: not a directory, too little to gain
 * (see {@link PARALLEL_TUNING}), detectors (functions) given, or no worker script. A map a worker could not measure is left to the scan, which reads and measures it as usual.
 */
export async function premeasureDirectory(opened: OpenedTarget, options: ResolvedScanOptions, jobs: number): Promise<Map<string, Premeasured> | null> {
  if (jobs < 2 || opened.target.kind !== 'directory' || opened.input.kind !== 'vfs' || options.detectors.length > 0) return null;
  const root = resolve(opened.target.name);
  const maps = opened.input.vfs.list().filter(isMapFile);
  if (maps.length < PARALLEL_TUNING.maps) return null;
  let total = 0;
  const sizes = new Map<string, number>();
  for (const path of maps) {
    try {
      sizes.set(path, lstatSync(join(root, path)).size);
      total += sizes.get(path)!;
    } catch {
      // the scan reports it
    }
  }
  if (total < minBytes()) return null;
  // Largest first, so the last maps handed out are small and the threads finish together.
  maps.sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0));
  const script = workerScript();
  if (script === null) return null;

  const { maxMapBytes, maxSources } = options.limits;
  const job = (path: string): MapJob => ({ kind: 'map', root, path, maxMapBytes, maxSources, signals: options.signals, secrets: options.signals });
  const results = new Map<string, Premeasured>();
  let done = 0;
  let bytes = 0;
  // secretlint is loaded here (once, for the maps whose first-party contents come back) while the workers measure.
  let secretlint: Promise<unknown> | null = null;
  const finish = (path: string, result: Premeasured | null): void => {
    if (result !== null) {
      results.set(path, result);
      bytes += result.size;
      if (secretlint === null && result.measurement?.contents.some((c) => c !== null && c.length > 0)) {
        secretlint = Promise.all([load('@secretlint/core'), load('@secretlint/secretlint-rule-preset-recommend')]).catch(() => null);
      }
    }
    done++;
    options.onProgress?.({ filesDone: done, filesTotal: maps.length, bytesRead: bytes, archiveEntries: 0, bytesInflated: 0 });
  };
  // Two maps ahead per worker, so that a worker does not wait while this thread is busy with a map of its own.
  const pool = new WorkerPool<Job, Premeasured | null>(script, Math.min(jobs - 1, maps.length - 1), 2);
  await shareWork(pool, maps.map(job), (j) => measureFile(j as MapJob, false), (i, result) => {
    // A map whose job failed (or whose worker died) is left to the scan: the report is the same as without workers.
    finish(maps[i]!, result.status === 'fulfilled' ? result.value : null);
  });
  await secretlint;
  return results;
}

/**
 * Runs `jobs` in `jobs.length` promises shared by the pool's workers and this thread (`here`), which takes queued
 * jobs while the workers start and between their results; `each` sees every result as it settles. So `jobs`
 * threads in all work, and workers slow to start only get what is left. Settled results in job order.
 */
async function shareWork<R>(
  pool: WorkerPool<Job, R>,
  jobs: readonly Job[],
  here: (job: Job) => Promise<R>,
  each: (index: number, result: PromiseSettledResult<R>) => void,
  onProgress?: (index: number) => ((value: unknown) => void) | undefined,
): Promise<PromiseSettledResult<R>[]> {
  try {
    const all = Promise.allSettled(
      jobs.map((j, i) =>
        pool.run(j, onProgress?.(i)).then(
          (value) => {
            each(i, { status: 'fulfilled', value });
            return value;
          },
          (reason: unknown) => {
            each(i, { status: 'rejected', reason });
            throw reason;
          },
        ),
      ),
    );
    for (let stolen = PARALLEL_TUNING.here ? pool.steal() : undefined; stolen !== undefined; stolen = pool.steal()) {
      stolen.settle(here(stolen.job));
      // Let the workers' results in, and hand them their next jobs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return await all;
  } finally {
    await pool.close();
  }
}

/** Sums the latest progress of each target: totals over a multi-target scan. */
export function progressTotals(latest: readonly (ScanProgress | null)[]): ScanProgress {
  const sum: ScanProgress = { filesDone: 0, filesTotal: 0, bytesRead: 0, archiveEntries: 0, bytesInflated: 0 };
  for (const p of latest) {
    if (p === null) continue;
    for (const key of Object.keys(sum) as (keyof ScanProgress)[]) sum[key] += p[key];
  }
  return sum;
}

/**
 * Scans path targets in `jobs` threads (this one, with `here`, and `jobs - 1` workers), one target per thread at a
 * time, with `options` (plain data only); `onProgress(index, progress)` gets each target's progress. Results are in
 * target order; a target that fails, or whose worker dies, is a rejected entry and the others go on. Null when there
 * is no worker script.
 */
export async function scanTargetsInWorkers(
  targets: readonly string[],
  options: Record<string, unknown>,
  jobs: number,
  onProgress: ((index: number, progress: ScanProgress) => void) | undefined,
  here: (index: number) => Promise<ExposureReport>,
): Promise<PromiseSettledResult<ExposureReport>[] | null> {
  const script = workerScript();
  if (script === null) return null;
  const pool = new WorkerPool<Job, TargetResult>(script, Math.min(jobs - 1, targets.length - 1));
  const index = new Map<Job, number>();
  const list: Job[] = targets.map((target, i) => {
    const j: Job = { kind: 'target', target, options, progress: onProgress !== undefined };
    index.set(j, i);
    return j;
  });
  const settled = await shareWork<TargetResult>(
    pool,
    list,
    async (j) => ({ report: await here(index.get(j)!), progress: null }),
    (i, result) => {
      if (result.status === 'fulfilled' && result.value.progress !== null) onProgress?.(i, result.value.progress);
    },
    (i) => (onProgress === undefined ? undefined : (value: unknown) => onProgress(i, value as ScanProgress)),
  );
  return settled.map((r) => (r.status === 'fulfilled' ? { status: 'fulfilled', value: r.value.report } : r));
}
