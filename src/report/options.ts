import { ForensicsError } from '../errors';
import type { Detector } from '../analysis/signals';
import { DEFAULT_LIMITS, type ArchiveLimits } from '../input/archive/limits';

/** How far a scan has got; passed to `onProgress`. */
export interface ScanProgress {
  /** Files (and archive entries) looked at so far. */
  filesDone: number;
  /** Files (and archive entries) listed so far; grows as nested archives are opened. */
  filesTotal: number;
  /** Bytes read so far. */
  bytesRead: number;
  /** Archive entries met so far. */
  archiveEntries: number;
  /** Bytes inflated from archives so far. */
  bytesInflated: number;
}

/** Options of `scan` / `scanSync` and the other scan functions. Every field is optional; unknown keys are rejected. */
export interface ScanOptions {
  /**
   * Called as the scan reads files and archive entries, for progress display.
   * @default undefined
   */
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Inflated bytes allowed over the whole scan, all archives together (real bytes, not declared sizes).
   * @default 1073741824 (1 GiB)
   */
  maxTotalBytes?: number;
  /**
   * Inflated bytes allowed for one archive entry (or one fetched file).
   * @default 536870912 (512 MiB)
   */
  maxEntryBytes?: number;
  /**
   * Archive entries allowed over the whole scan.
   * @default 200000
   */
  maxEntries?: number;
  /**
   * Archives inside archives: a top-level `.tgz` is depth 1; an archive inside it, depth 2.
   * @default 3
   */
  maxDepth?: number;
  /**
   * Largest inflated/compressed ratio of one stream once it has inflated 16 MiB (gzip bombs run near 1000).
   * @default 200
   */
  maxRatio?: number;
  /**
   * Bytes of one map document; a larger map is reported (`MAP_LIMIT`) and not parsed.
   * @default 268435456 (256 MiB)
   */
  maxMapBytes?: number;
  /**
   * Sources of one map; a map with more is reported (`MAP_LIMIT`) and not measured.
   * @default 100000
   */
  maxSources?: number;
  /**
   * Look for leak signals in recovered first-party source: private keys, internal URLs, comments, and (in the
   * async functions of the Node entry) secrets with secretlint's recommended rules.
   * @default true
   */
  signals?: boolean;
  /**
   * The caller's own checks, run over every recovered file (first- and third-party); matches become
   * `DETECTOR_MATCH` findings at the file's original line and column.
   * @default []
   */
  detectors?: readonly Detector[];
}

/** @internal Options after defaults, plus what the target kind decides. */
export interface ResolvedScanOptions {
  onProgress: ((progress: ScanProgress) => void) | undefined;
  limits: ArchiveLimits;
  /** Report `.map` files nothing references as orphans (meaningless for a single-file target). */
  orphans: boolean;
  signals: boolean;
  detectors: readonly Detector[];
}

const LIMIT_KEYS = ['maxTotalBytes', 'maxEntryBytes', 'maxEntries', 'maxDepth', 'maxRatio', 'maxMapBytes', 'maxSources'] as const;

/** Checks an options object and merges defaults in one place (esbuild-style: unknown keys are errors). */
export function resolveScanOptions(options: unknown, orphans: boolean, extraKeys: readonly string[] = []): ResolvedScanOptions {
  const limits: ArchiveLimits = { ...DEFAULT_LIMITS };
  if (options === undefined || options === null) return { onProgress: undefined, limits, orphans, signals: true, detectors: [] };
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ForensicsError('INVALID_OPTION', `options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const known = ['onProgress', 'signals', 'detectors', ...LIMIT_KEYS, ...extraKeys];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ForensicsError('INVALID_OPTION', `unknown option ${JSON.stringify(key)}; known options: ${known.join(', ')}`);
  }
  const o = options as ScanOptions;
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new ForensicsError('INVALID_OPTION', `option "onProgress" must be a function, got ${typeof o.onProgress}`);
  }
  for (const key of LIMIT_KEYS) {
    const value = o[key];
    if (value === undefined) continue;
    const minimum = key === 'maxDepth' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      throw new ForensicsError('INVALID_OPTION', `option "${key}" must be an integer >= ${minimum}, got ${JSON.stringify(value)}`);
    }
    limits[key] = value;
  }
  if (o.signals !== undefined && typeof o.signals !== 'boolean') {
    throw new ForensicsError('INVALID_OPTION', `option "signals" must be a boolean, got ${typeof o.signals}`);
  }
  const detectors = o.detectors ?? [];
  if (!Array.isArray(detectors) || detectors.some((d) => d === null || typeof d !== 'object' || typeof d.name !== 'string' || typeof d.detect !== 'function')) {
    throw new ForensicsError('INVALID_OPTION', 'option "detectors" must be an array of { name: string, detect(file) }');
  }
  return { onProgress: o.onProgress, limits, orphans, signals: o.signals ?? true, detectors };
}
