/** Caps that hold against lying archives: every figure is counted on real inflated bytes, never on declared sizes. */
export interface ArchiveLimits {
  /** Inflated bytes over the whole scan, all archives together. */
  maxTotalBytes: number;
  /** Inflated bytes of one archive entry (or of one gzip stream without tar inside). */
  maxEntryBytes: number;
  /** Archive entries over the whole scan. */
  maxEntries: number;
  /** Archives inside archives: a top-level `.tgz` is depth 1, a `.zip` inside it depth 2. */
  maxDepth: number;
  /** Inflated/compressed ratio of one stream, checked once it has inflated {@link RATIO_FLOOR} bytes. */
  maxRatio: number;
  /** Bytes of one map document; a larger one is reported, not parsed. */
  maxMapBytes: number;
  /** Sources of one map; a map with more is reported, not measured. */
  maxSources: number;
}

/**
 * Defaults: a 60 MB map inside a 300 MB package passes, also when that package sits inside another archive; a gzip
 * bomb (ratio ~1000) stops after 16 to 33 MiB. 512 MiB per entry is about V8's longest string, the largest map
 * that could be parsed at all.
 */
export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 512 * 1024 * 1024,
  maxEntries: 200_000,
  maxDepth: 3,
  maxRatio: 200,
  maxMapBytes: 256 * 1024 * 1024,
  maxSources: 100_000,
});

/** Below this many inflated bytes a stream's ratio is not judged: small repetitive files compress very well. */
export const RATIO_FLOOR = 16 * 1024 * 1024;

/** A limit was hit. Internal: the scan turns it into an `ARCHIVE_LIMIT` finding. */
export class LimitError extends Error {
  constructor(
    /** Which limit. */
    readonly limit: keyof ArchiveLimits,
    /** The limit's value. */
    readonly value: number,
    message: string,
  ) {
    super(message);
    this.name = 'LimitError';
  }
}

/** An archive is malformed (truncated, bad checksum, unsupported feature). Internal: becomes `ARCHIVE_CORRUPT`. */
export class CorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptError';
  }
}

const TICK = 4 * 1024 * 1024;

/** Scan-wide counters checked against the limits. */
export class Budget {
  /** Inflated bytes so far. */
  inflated = 0;
  /** Archive entries so far. */
  entries = 0;
  /** Archives opened so far. */
  archives = 0;

  constructor(readonly limits: Readonly<ArchiveLimits>) {}

  /** Called every 4 MiB of inflation, for progress while one big archive streams. */
  tick: (() => void) | undefined = undefined;
  private nextTick = TICK;

  /** Counts `n` more inflated bytes; throws when the total passes `maxTotalBytes`. */
  inflate(n: number): void {
    this.inflated += n;
    if (this.inflated >= this.nextTick) {
      this.nextTick = this.inflated + TICK;
      this.tick?.();
    }
    if (this.inflated > this.limits.maxTotalBytes) {
      throw new LimitError('maxTotalBytes', this.limits.maxTotalBytes, `more than ${this.limits.maxTotalBytes} bytes inflated in all`);
    }
  }

  /** Counts one more entry; throws past `maxEntries`. */
  entry(): void {
    this.entries++;
    if (this.entries > this.limits.maxEntries) {
      throw new LimitError('maxEntries', this.limits.maxEntries, `more than ${this.limits.maxEntries} archive entries`);
    }
  }

  /** Throws when a stream that has inflated `out` bytes from `in` compressed ones looks like a bomb. */
  ratio(inflated: number, compressed: number, what: string): void {
    if (inflated > RATIO_FLOOR && inflated > compressed * this.limits.maxRatio) {
      throw new LimitError('maxRatio', this.limits.maxRatio, `${what} inflates more than ${this.limits.maxRatio} times its compressed size`);
    }
  }
}
