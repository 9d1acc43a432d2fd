import { ForensicsError } from '../errors';

/** How far a scan has got; passed to `onProgress`. */
export interface ScanProgress {
  /** Files of the target looked at so far. */
  filesDone: number;
  /** Files the target holds. */
  filesTotal: number;
  /** Bytes read so far. */
  bytesRead: number;
}

/** Options of `scan` / `scanSync`. Every field is optional; unknown keys are rejected. */
export interface ScanOptions {
  /**
   * Called as the scan reads files, for progress display.
   * @default undefined
   */
  onProgress?: (progress: ScanProgress) => void;
}

/** @internal Options after defaults, plus what the target kind decides. */
export interface ResolvedScanOptions {
  onProgress: ((progress: ScanProgress) => void) | undefined;
  /** Report `.map` files nothing references as orphans (meaningless for a single-file target). */
  orphans: boolean;
}

const KNOWN: readonly string[] = ['onProgress'];

/** Checks an options object and merges defaults in one place (esbuild-style: unknown keys are errors). */
export function resolveScanOptions(options: unknown, orphans: boolean): ResolvedScanOptions {
  if (options === undefined || options === null) return { onProgress: undefined, orphans };
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ForensicsError('INVALID_OPTION', `options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new ForensicsError('INVALID_OPTION', `unknown option ${JSON.stringify(key)}; known options: ${KNOWN.join(', ')}`);
  }
  const { onProgress } = options as ScanOptions;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ForensicsError('INVALID_OPTION', `option "onProgress" must be a function, got ${typeof onProgress}`);
  }
  return { onProgress, orphans };
}
