/**
 * The jobs a worker runs, as plain cloneable data, and the one that needs no scan entry: measuring one map file
 * of a directory. Each worker reads its map by path, so only the path and the (small) measurement cross threads.
 */
import { directoryVfs } from '../input/node-vfs';
import type { ScanProgress } from '../report/options';
import { measureAndDetect, type Premeasured } from '../report/scan';
import { collectCandidates, findSecrets } from '../signals/secrets';
import type { ExposureReport } from '../types';

/** Scan one whole target with `scanAny` (options without functions). */
export interface TargetJob {
  kind: 'target';
  target: string;
  options: Record<string, unknown>;
  /** Send progress messages (only when the caller shows progress). */
  progress: boolean;
}

/** Read and measure one `.map` file of a directory, with its signals (and secrets, as the async scan finds them). */
export interface MapJob {
  kind: 'map';
  /** Absolute directory of the target. */
  root: string;
  /** POSIX path inside it. */
  path: string;
  maxMapBytes: number;
  maxSources: number;
  /** Leak signals (private keys, internal URLs, comments) in first-party source. */
  signals: boolean;
  /** Secrets are looked for (the async scan functions): keep first-party contents, or check them here. */
  secrets: boolean;
}

export type Job = TargetJob | MapJob;

/** A target job's result: the report and the scan's last progress (for totals over several targets). */
export interface TargetResult {
  report: ExposureReport;
  progress: ScanProgress | null;
}

/**
 * First-party bytes of one map from which its worker checks them for secrets itself. Below, the contents go back
 * and the main thread checks them with all the others, as without workers: loading secretlint costs a thread about
 * 70 ms, what it takes to check some 700 KB, so a worker only loads it for maps that carry that much.
 */
export const SECRETS_IN_WORKER_BYTES = 256 * 1024;

/**
 * Measures one map file as the scan's `record()` would, for the `premeasured` hook. The first-party contents the
 * secrets pass keeps go back with it (null elsewhere); or, for a map with much of them in a worker (`checkHere`),
 * this thread checks them and adds the findings to the map's signals. Null when the file cannot be read: the scan then reads it itself,
 * and reports the problem exactly as without workers.
 */
export async function measureFile(job: MapJob, checkHere = true): Promise<Premeasured | null> {
  let bytes: Uint8Array;
  try {
    bytes = directoryVfs(job.root, null).read(job.path);
  } catch {
    return null;
  }
  if (bytes.length > job.maxMapBytes) return { size: bytes.length, signals: [] };
  const { measurement, signals } = measureAndDetect(
    bytes,
    job.path,
    'external',
    { signals: job.signals, detectors: [], limits: { maxSources: job.maxSources } },
    job.secrets ? 'first-party' : undefined,
  );
  if (!job.secrets || measurement.entry === null || measurement.tooManySources !== undefined) {
    return { size: bytes.length, measurement: { ...measurement, contents: [] }, signals };
  }
  // The candidates the main thread's collector would keep for this map, in its order.
  const collector = collectCandidates();
  collector.onMap(measurement.entry, measurement.contents);
  let firstParty = 0;
  for (const c of collector.candidates) firstParty += c.content.length;
  if (!checkHere || firstParty < SECRETS_IN_WORKER_BYTES) return { size: bytes.length, measurement, signals };
  // Findings of one map sort among the report's findings where they would have (ties are only ever within a map),
  // and nothing is left for the main thread's pass.
  signals.push(...(await findSecrets(collector.candidates)));
  return { size: bytes.length, measurement: { ...measurement, contents: [] }, signals };
}
