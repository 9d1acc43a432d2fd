import { utf8Decoder } from '../../util/text';
import { concat } from './bytes';
import { headerChecksum, parseOctal } from './detect';
import { CorruptError, LimitError, type Budget } from './limits';

/**
 * What to do with a regular file's data: keep it, drop it, look at its first bytes first, or pass over it and say
 * where it lies (`mark`: for a caller that can read it again from there).
 */
export type TarWant = 'keep' | 'skip' | 'sniff' | 'mark';

/** Where the data of a sniffed file goes when the sink streams it instead of keeping it (a nested archive). */
export interface TarEntryStream {
  /** The file's bytes in order, the head first. A view valid during the call: copy what you keep. */
  push(chunk: Uint8Array): void;
  /** The file is complete. Not called when the tar stream stops inside it (damage or a limit). */
  end(): void;
}

/** Decisions and results of a {@link TarReader}. */
export interface TarSink {
  /** Called for each regular file before its data. */
  want(path: string, size: number): TarWant;
  /**
   * For `sniff`: after seeing up to the first `sniffBytes` bytes (a view valid during the call), keep the file
   * (true), drop it (false), or stream its data, head included, to a {@link TarEntryStream}.
   */
  decide(path: string, head: Uint8Array, size: number): boolean | TarEntryStream;
  /** A kept file, complete. */
  file(path: string, data: Uint8Array): void;
  /** A marked file, complete: its data is bytes `offset..offset+size` of the tar stream. */
  marked?(path: string, offset: number, size: number): void;
  /** A problem that skips one entry; reading goes on. */
  problem(path: string, error: LimitError | CorruptError): void;
}

const BLOCK = 512;
/** PAX records and GNU long names beyond this are hostile, not metadata. */
const MAX_META = 1024 * 1024;

/**
 * A streaming tar reader: push bytes as they inflate, get regular files out. Honours ustar `prefix`, PAX `path`
 * and `size` records and GNU long names (`L`); links, directories and devices are passed over. Only kept files
 * are held, each in one array of its exact size, so memory follows what the scan needs, not the archive size;
 * pushed chunks are never held, so the caller may reuse them.
 */
export class TarReader {
  private pending: Uint8Array = new Uint8Array(0);
  private state: 'header' | 'data' | 'meta' | 'padding' | 'done' = 'header';
  private remaining = 0;
  private padding = 0;
  private zeroBlocks = 0;
  private offset = 0;
  // The entry being read.
  private path = '';
  private mode: TarWant | 'meta-pax' | 'meta-long' | 'drop' | 'stream' = 'skip';
  private size = 0;
  private entryOffset = 0;
  /** The whole data of a kept file or meta record, allocated at its size from the header. */
  private buffer: Uint8Array | null = null;
  private stream: TarEntryStream | null = null;
  /** The first bytes of a sniffed file (reused from entry to entry). */
  private readonly head: Uint8Array;
  private received = 0;
  // Overrides for the next entry from PAX / GNU records.
  private nextPath: string | null = null;
  private nextSize: number | null = null;
  /** The current entry is over `maxEntryBytes`: a sniffed one is only reported when it turns out to be an archive. */
  private oversized = false;

  constructor(
    private readonly sink: TarSink,
    private readonly budget: Budget,
    private readonly sniffBytes: number,
  ) {
    this.head = new Uint8Array(sniffBytes);
  }

  /** Where the data of the entry being read starts in the tar stream. */
  get dataOffset(): number {
    return this.entryOffset;
  }

  /** True once the end-of-archive marker was read. */
  get finished(): boolean {
    return this.state === 'done';
  }

  /** Feeds inflated bytes. Throws `CorruptError` on a broken header and `LimitError` past `maxEntries`. */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && this.state !== 'done') {
      if (this.state === 'header') {
        const need = BLOCK - this.pending.length;
        const take = Math.min(need, chunk.length - at);
        this.pending = this.pending.length === 0 && take === BLOCK ? chunk.subarray(at, at + BLOCK) : concat([this.pending, chunk.subarray(at, at + take)], this.pending.length + take);
        at += take;
        this.offset += take;
        if (this.pending.length === BLOCK) {
          const block = this.pending;
          this.pending = new Uint8Array(0);
          this.header(block);
        }
        continue;
      }
      if (this.state === 'padding') {
        const take = Math.min(this.padding, chunk.length - at);
        this.padding -= take;
        at += take;
        this.offset += take;
        if (this.padding === 0) this.state = 'header';
        continue;
      }
      // data or meta
      const take = Math.min(this.remaining, chunk.length - at);
      this.data(chunk.subarray(at, at + take));
      at += take;
      this.offset += take;
      this.remaining -= take;
      if (this.remaining === 0) this.finishEntry();
    }
  }

  /** The input ended: throws `CorruptError` when an entry was cut off. */
  end(): void {
    if (this.state === 'data' || this.state === 'meta' || this.state === 'padding' || (this.state === 'header' && this.pending.length > 0)) {
      throw new CorruptError(`the tar stream ends inside ${this.path ? `entry ${JSON.stringify(this.path)}` : 'a header'} (truncated)`);
    }
  }

  private header(block: Uint8Array): void {
    if (isZero(block)) {
      // Two zero blocks end the archive; one is tolerated.
      if (++this.zeroBlocks >= 2) this.state = 'done';
      return;
    }
    this.zeroBlocks = 0;
    const stored = parseOctal(block, 148, 8);
    if (stored === null || stored !== headerChecksum(block)) {
      throw new CorruptError(`bad tar header checksum at offset ${this.offset - BLOCK}`);
    }
    const type = block[156]!;
    let size = parseSize(block);
    if (size === null) throw new CorruptError(`bad size field in the tar header at offset ${this.offset - BLOCK}`);
    let name = cString(block, 0, 100);
    // Only POSIX ustar (magic "ustar\0") has a prefix at 345; old GNU headers ("ustar  \0") keep atime/ctime there.
    const posix = block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72 && block[262] === 0;
    if (posix && block[345] !== 0) {
      const prefix = cString(block, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const isMeta = type === 0x78 /* x */ || type === 0x67 /* g */ || type === 0x4c /* L */ || type === 0x4b; /* K */
    if (!isMeta) {
      if (this.nextPath !== null) name = this.nextPath;
      if (this.nextSize !== null) size = this.nextSize;
      this.nextPath = null;
      this.nextSize = null;
    }
    this.path = name;
    this.size = size;
    this.entryOffset = this.offset;
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.buffer = null;
    this.stream = null;
    this.received = 0;

    if (type === 0x35 /* 5 */) {
      // A directory's size is an allocation hint: no data follows it (POSIX: no data records for DIRTYPE).
      this.remaining = 0;
      this.padding = 0;
    }
    if (type === 0x78 || type === 0x4c) {
      // PAX record for the next entry, or a GNU long name: small by nature, read whole.
      if (size > MAX_META) throw new CorruptError(`a ${size}-byte tar extended header is not plausible (at most ${MAX_META})`);
      this.mode = type === 0x78 ? 'meta-pax' : 'meta-long';
      this.buffer = new Uint8Array(size);
      this.state = 'meta';
    } else if (type === 0x30 || type === 0 || type === 0x37) {
      this.budget.entry();
      this.mode = this.sink.want(name, size);
      this.oversized = size > this.budget.limits.maxEntryBytes;
      if ((this.mode === 'keep' || this.mode === 'mark') && this.oversized) {
        this.sink.problem(name, new LimitError('maxEntryBytes', this.budget.limits.maxEntryBytes, `entry of ${size} bytes is over the per-entry limit`));
        this.mode = 'drop';
      }
      // The size is the tar's own framing, not a claim: exactly that many bytes follow, or the stream is cut.
      if (this.mode === 'keep') this.buffer = new Uint8Array(size);
      this.state = 'data';
    } else {
      // Links, directories, devices, global PAX headers, GNU long link names: not files of the scan.
      this.mode = 'skip';
      this.state = 'data';
    }
    if (this.remaining === 0) this.finishEntry();
  }

  private data(bytes: Uint8Array): void {
    const mode = this.mode;
    if (mode === 'skip' || mode === 'drop' || mode === 'mark') return;
    if (mode === 'stream') {
      this.stream!.push(bytes);
      this.received += bytes.length;
      return;
    }
    if (mode !== 'sniff') {
      // Kept files and meta records were allocated at their exact size: the chunk is copied, never held.
      this.buffer!.set(bytes, this.received);
      this.received += bytes.length;
      return;
    }
    // Decide as soon as the head is in; a shorter file is decided when it ends (finishEntry).
    const take = Math.min(bytes.length, this.sniffBytes - this.received);
    this.head.set(bytes.subarray(0, take), this.received);
    this.received += take;
    if (this.received < this.sniffBytes) return;
    this.decide();
    if (take < bytes.length) this.data(bytes.subarray(take));
  }

  /** Asks the sink about a sniffed file whose head (or whole data, when shorter) is in `head`. */
  private decide(): void {
    const head = this.head.subarray(0, this.received);
    const decision = this.sink.decide(this.path, head, this.size);
    if (decision === false) {
      this.mode = 'skip';
      return;
    }
    if (this.oversized) {
      this.sink.problem(this.path, new LimitError('maxEntryBytes', this.budget.limits.maxEntryBytes, `archive entry of ${this.size} bytes is over the per-entry limit`));
      this.mode = 'drop';
      return;
    }
    if (decision === true) {
      this.mode = 'keep';
      this.buffer = new Uint8Array(this.size);
      this.buffer.set(head);
    } else {
      this.mode = 'stream';
      this.stream = decision;
      decision.push(head);
    }
  }

  private finishEntry(): void {
    if (this.mode === 'sniff') this.decide();
    const mode = this.mode;
    const data = this.buffer;
    const stream = this.stream;
    this.buffer = null;
    this.stream = null;
    if (mode === 'meta-pax') this.pax(data!);
    else if (mode === 'meta-long') this.nextPath = cString(data!, 0, data!.length);
    else if (mode === 'keep') this.sink.file(this.path, data!);
    else if (mode === 'mark') this.sink.marked?.(this.path, this.entryOffset, this.size);
    else if (mode === 'stream') stream!.end();
    this.state = this.padding > 0 ? 'padding' : 'header';
  }

  /** PAX records: `<length> <key>=<value>\n`, length counting the whole record. */
  private pax(data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      let space = at;
      while (space < data.length && data[space] !== 0x20) space++;
      const length = Number(utf8Decoder.decode(data.subarray(at, space)));
      if (!Number.isInteger(length) || length <= 0 || at + length > data.length) throw new CorruptError('malformed PAX extended header');
      const record = utf8Decoder.decode(data.subarray(space + 1, at + length - 1));
      const eq = record.indexOf('=');
      if (eq > 0) {
        const key = record.slice(0, eq);
        const value = record.slice(eq + 1);
        if (key === 'path') this.nextPath = value;
        else if (key === 'size') {
          const size = Number(value);
          if (!Number.isSafeInteger(size) || size < 0) throw new CorruptError(`bad PAX size ${JSON.stringify(value)}`);
          this.nextSize = size;
        }
      }
      at += length;
    }
  }
}

function parseSize(block: Uint8Array): number | null {
  const first = block[124]!;
  if (first & 0x80) {
    // GNU base-256: big-endian binary in the remaining bits.
    let value = first & 0x7f;
    for (let i = 125; i < 136; i++) value = value * 256 + block[i]!;
    return Number.isSafeInteger(value) ? value : null;
  }
  return parseOctal(block, 124, 12);
}

function cString(bytes: Uint8Array, offset: number, length: number): string {
  let end = offset;
  const max = Math.min(bytes.length, offset + length);
  while (end < max && bytes[end] !== 0) end++;
  return utf8Decoder.decode(bytes.subarray(offset, end));
}

function isZero(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}
