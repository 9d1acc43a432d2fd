/**
 * The main-thread side of parallel scans: a directory's `.map` files measured in workers before the (synchronous)
 * scan runs with their measurements, and several targets scanned in workers at once. Both fall back to scanning
 * in-process when workers would not pay (small inputs, `jobs: 1`, options that cannot cross threads).
 */
import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResolvedScanOptions, ScanProgress } from '../report/options';
import type { Premeasured } from '../report/scan';
import type { OpenedTarget } from '../report/target';
import type { ExposureReport } from '../types';
import { measureFile, type Job, type MapJob, type TargetResult } from './jobs';
import { WorkerPool, workerScript } from './pool';

/**
 * A directory's maps are measured in workers only from this many `.map` files and this many bytes of them. A worker
 * costs about 30 ms to start (plus about 70 ms to load secretlint when its maps have first-party source), and
 * one core measures about 60 MB of real bundle maps a second, so below a few MB the workers cannot win.
 */
export const PARALLEL_THRESHOLDS = { maps: 4, bytes: 4 * 1024 * 1024 };

/** `.map` by the scan's own rule: the extension after the last dot of a name that does not start with it. */
function isMapFile(path: string): boolean {
  const slash = path.lastIndexOf('/');
  return path.length - slash > 5 && path.slice(-4).toLowerCase() === '.map';
}

/**
 * Measures the `.map` files of a directory target in `jobs` threads (this one and `jobs - 1` workers), for the
 * scan's `premeasured` hook. Null when
 * the scan should do everything itself: not a directory, too little to gain, detectors (functions) given, or no
 * worker script. A map a worker could not measure is left to the scan, which reads and measures it as usual.
 */
export async function premeasureDirectory(opened: OpenedTarget, options: ResolvedScanOptions, jobs: number): Promise<Map<string, Premeasured> | null> {
  if (jobs < 2 || opened.target.kind !== 'directory' || opened.input.kind !== 'vfs' || options.detectors.length > 0) return null;
  const root = resolve(opened.target.name);
  const maps = opened.input.vfs.list().filter(isMapFile);
  if (maps.length < PARALLEL_THRESHOLDS.maps) return null;
  let total = 0;
  for (const path of maps) {
    try {
      total += lstatSync(join(root, path)).size;
    } catch {
      // the scan reports it
    }
  }
  if (total < PARALLEL_THRESHOLDS.bytes) return null;
  const script = workerScript();
  if (script === null) return null;

  const { maxMapBytes, maxSources } = options.limits;
  const job = (path: string): MapJob => ({ kind: 'map', root, path, maxMapBytes, maxSources, signals: options.signals, secrets: options.signals });
  const results = new Map<string, Premeasured>();
  // This thread measures too, so `jobs` threads in all: jobs - 1 workers, each handed two maps ahead so that it
  // does not wait while this thread is busy with a map of its own.
  const pool = new WorkerPool<Job, Premeasured | null>(script, Math.min(jobs - 1, maps.length - 1), 2);
  let next = 0;
  let done = 0;
  let bytes = 0;
  // secretlint is loaded here (once, for the maps whose first-party contents come back) while the workers measure.
  let secretlint: Promise<unknown> | null = null;
  const finish = (path: string, result: Premeasured | null): void => {
    if (result !== null) {
      results.set(path, result);
      bytes += result.size;
      if (secretlint === null && result.measurement?.contents.some((c) => c !== null && c.length > 0)) {
        secretlint = Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).catch(() => null);
      }
    }
    done++;
    options.onProgress?.({ filesDone: done, filesTotal: maps.length, bytesRead: bytes, archiveEntries: 0, bytesInflated: 0 });
  };
  const feed = async (): Promise<void> => {
    for (let i = next++; i < maps.length; i = next++) {
      // A map whose job failed (or whose worker died) is left to the scan: the report is the same as without workers.
      finish(maps[i]!, await pool.run(job(maps[i]!)).catch(() => null));
    }
  };
  const here = async (): Promise<void> => {
    for (let i = next++; i < maps.length; i = next++) {
      finish(maps[i]!, await measureFile(job(maps[i]!), false));
      // Let the workers' results in, and hand them their next maps.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    await Promise.all([...Array.from({ length: pool.size * pool.depth }, feed), here()]);
  } finally {
    await pool.close();
  }
  await secretlint;
  return results;
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
 * Scans path targets in `jobs` workers, one target per worker at a time, with `options` (plain data only);
 * `onProgress(index, progress)` gets each target's progress. Results are in target order; a target that fails,
 * or whose worker dies, is a rejected entry and the others go on. Null when there is no worker script.
 */
export async function scanTargetsInWorkers(
  targets: readonly string[],
  options: Record<string, unknown>,
  jobs: number,
  onProgress: ((index: number, progress: ScanProgress) => void) | undefined,
): Promise<PromiseSettledResult<ExposureReport>[] | null> {
  const script = workerScript();
  if (script === null) return null;
  const pool = new WorkerPool<Job, TargetResult>(script, Math.min(jobs, targets.length));
  try {
    return await Promise.allSettled(
      targets.map(async (target, i) => {
        const tick = onProgress === undefined ? undefined : (value: unknown) => onProgress(i, value as ScanProgress);
        const result = await pool.run({ kind: 'target', target, options, progress: tick !== undefined }, tick);
        if (result.progress !== null) onProgress?.(i, result.progress);
        return result.report;
      }),
    );
  } finally {
    await pool.close();
  }
}
