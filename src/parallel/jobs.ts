/**
 * The jobs a worker runs, as plain cloneable data, and the one that needs no scan entry: measuring one map file
 * of a directory. Each worker reads its map by path, so only the path and the (small) measurement cross threads.
 */
import { directoryVfs } from '../input/node-vfs';
import type { ScanProgress } from '../report/options';
import { measureAndDetect, type Premeasured } from '../report/scan';
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
  /** Send back the contents the secrets pass keeps (first-party), for secretlint on the main thread. */
  secrets: boolean;
}

export type Job = TargetJob | MapJob;

/** A target job's result: the report and the scan's last progress (for totals over several targets). */
export interface TargetResult {
  report: ExposureReport;
  progress: ScanProgress | null;
}

/**
 * Measures one map file as the scan's `record()` would, for the `premeasured` hook. Null when the file cannot be
 * read: the scan then reads it itself, and reports the problem exactly as without workers.
 */
export function measureFile(job: MapJob): Premeasured | null {
  let bytes: Uint8Array;
  try {
    bytes = directoryVfs(job.root, null).read(job.path);
  } catch {
    return null;
  }
  if (bytes.length > job.maxMapBytes) return { size: bytes.length, signals: [] };
  // Only the contents the main thread's secrets pass keeps (first-party) come back; secretlint runs there, once
  // over every map as without workers (its profiler slows down by the square of its calls when they are spread
  // over many event-loop turns, as one call per job in a worker would be).
  const { measurement, signals } = measureAndDetect(
    bytes,
    job.path,
    'external',
    { signals: job.signals, detectors: [], limits: { maxSources: job.maxSources } },
    job.secrets ? 'first-party' : undefined,
  );
  return { size: bytes.length, measurement, signals };
}
