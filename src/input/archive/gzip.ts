import type { ByteSource } from './bytes';
import { DeflateError, Inflater, type InflateCheckpoint } from './inflate';
import { CorruptError, type Budget } from './limits';

/** Compressed bytes read at a time from a ByteSource. */
const PUSH = 64 * 1024;
/** Trailing zero bytes tolerated after the last member (old npm tarballs were padded to 512-byte blocks). */
const MAX_PADDING = 1024 * 1024;
/** The smallest gzip member: 10-byte header, 2 bytes of deflate, 8-byte trailer. */
const MIN_MEMBER = 20;

/** Optional header fields in their order (RFC 1952 2.3.1): flag bit, field, fixed length (0: NUL-terminated). */
const OPTIONAL: readonly (readonly [number, 'xlen' | 'name' | 'comment' | 'hcrc', number])[] = [
  [0x04, 'xlen', 2],
  [0x08, 'name', 0],
  [0x10, 'comment', 0],
  [0x02, 'hcrc', 2],
];

/** Where a {@link GunzipStream} stood at the start of a chunk it handed out, to inflate again from there. */
export interface GunzipCheckpoint {
  /** The member's inflater, its input counted from the start of the gzip stream. */
  readonly inflate: InflateCheckpoint;
  /** Output bytes of the whole stream (all members) before this point. */
  readonly output: number;
}

/**
 * A gzip stream (RFC 1952: one or more members, then optionally zero padding) inflated as bytes are pushed, each
 * chunk of real output handed to `onData` while the budget counts it. Memory is constant: compressed bytes may come
 * from anywhere (a file, or an entry of another archive as it inflates). Every member's length is checked against
 * its trailer (ISIZE), so a stream cut anywhere is a `CorruptError`; the CRC is not computed.
 *
 * Output chunks are views of a buffer that the next chunk overwrites: copy what you keep. `onData` returning false
 * stops the stream (what follows is not judged); a `LimitError` from the budget or an error from `onData` propagates.
 */
export class GunzipStream {
  private inflater: Inflater;
  private state: 'header' | 'deflate' | 'trailer' | 'padding' = 'header';
  /** The header just ended: the inflater starts a member at the next byte. */
  private fresh = false;
  /** Output of the whole stream before the chunk being handed out. */
  private chunkStart = 0;
  /** Header bytes seen of the current member, and where its variable part stands. */
  private headerBytes = 0;
  private readonly fixed = new Uint8Array(10);
  private field: 'fixed' | 'xlen' | 'extra' | 'name' | 'comment' | 'hcrc' = 'fixed';
  private fieldLeft = 0;
  private extraLength = 0;
  private readonly trailer = new Uint8Array(8);
  private trailerBytes = 0;
  private members = 0;
  private memberBytes = 0;
  private padding = 0;
  private inflated = 0;
  private read = 0;
  private stopped = false;
  /** The inflater's output handler: counts, checks the budget, hands on. */
  private readonly decoded: (chunk: Uint8Array) => boolean;

  /** `budget` null: bytes read again (from a checkpoint), counted when they were first inflated. */
  constructor(
    budget: Budget | null,
    private readonly what: string,
    onData: (chunk: Uint8Array) => boolean | void,
  ) {
    this.decoded = (chunk) => {
      this.chunkStart = this.inflated;
      this.inflated += chunk.length;
      this.memberBytes += chunk.length;
      if (budget !== null) {
        budget.inflate(chunk.length);
        budget.ratio(this.inflated, this.read, what);
      }
      if (onData(chunk) === false) {
        this.stopped = true;
        return false;
      }
      return true;
    };
    this.inflater = new Inflater(this.decoded);
  }

  /**
   * A stream that inflates again from a checkpoint, counting nothing against a budget (the bytes were counted the
   * first time): push the gzip stream's bytes from offset `Math.floor(checkpoint.inflate.bit / 8)` on.
   */
  static resume(checkpoint: GunzipCheckpoint, what: string, onData: (chunk: Uint8Array) => boolean | void): GunzipStream {
    const stream = new GunzipStream(null, what, onData);
    stream.inflater = Inflater.resume(checkpoint.inflate, stream.decoded);
    stream.state = 'deflate';
    stream.memberBytes = checkpoint.inflate.out;
    stream.inflated = checkpoint.output;
    stream.read = Math.floor(checkpoint.inflate.bit / 8);
    return stream;
  }

  /** Where the chunk being handed out starts: callable from `onData` only. */
  checkpoint(): GunzipCheckpoint {
    return { inflate: this.inflater.checkpoint(), output: this.chunkStart };
  }

  /** Feeds compressed bytes (copied as needed: the caller may reuse `chunk`). False once the caller asked to stop. */
  push(chunk: Uint8Array): boolean {
    this.read += chunk.length;
    this.process(chunk, this.read - chunk.length, false);
    return !this.stopped;
  }

  /** The input ended: throws `CorruptError` when a member is incomplete. */
  end(): void {
    this.process(new Uint8Array(0), this.read, true);
    if (this.stopped) return;
    if (this.state === 'padding' || (this.state === 'header' && this.headerBytes === 0 && this.members > 0)) return;
    throw this.corrupt('unexpected EOF');
  }

  /** Handles `bytes`, which start at `offset` of the gzip stream. */
  private process(bytes: Uint8Array, offset: number, final: boolean): void {
    let at = 0;
    while (!this.stopped) {
      if (this.state === 'deflate') {
        if (this.fresh) {
          this.fresh = false;
          this.memberBytes = 0;
          this.inflater.reset(offset + at);
        }
        try {
          this.inflater.push(bytes.subarray(at), final);
        } catch (error) {
          throw error instanceof DeflateError ? this.corrupt(error.message) : error;
        }
        if (this.stopped || !this.inflater.done) return;
        // What followed the deflate data: the trailer, maybe more members.
        offset = this.inflater.restOffset;
        bytes = this.inflater.rest();
        at = 0;
        this.state = 'trailer';
        this.trailerBytes = 0;
        continue;
      }
      if (at >= bytes.length) return;
      if (this.state === 'trailer') {
        const n = Math.min(8 - this.trailerBytes, bytes.length - at);
        this.trailer.set(bytes.subarray(at, at + n), this.trailerBytes);
        this.trailerBytes += n;
        at += n;
        if (this.trailerBytes === 8) this.endMember();
      } else if (this.state === 'padding') {
        this.padding += bytes.length - at;
        for (; at < bytes.length; at++) if (bytes[at] !== 0) throw this.corrupt('invalid gzip data');
        if (this.padding > MAX_PADDING) throw this.corrupt('invalid gzip data');
      } else if (this.headerBytes === 0 && this.members > 0 && bytes[at] === 0) {
        this.state = 'padding';
      } else {
        at = this.header(bytes, at);
      }
    }
  }

  /** Reads header bytes from `at`; returns where it stopped. Starts the member's deflate data once the header is whole. */
  private header(bytes: Uint8Array, at: number): number {
    while (at < bytes.length && this.state === 'header') {
      const b = bytes[at++]!;
      this.headerBytes++;
      switch (this.field) {
        case 'fixed':
          this.fixed[this.headerBytes - 1] = b;
          if (this.headerBytes === 3 && (this.fixed[0] !== 0x1f || this.fixed[1] !== 0x8b || this.fixed[2] !== 8)) throw this.corrupt('invalid gzip data');
          if (this.headerBytes === 10) this.nextField(0);
          break;
        case 'xlen':
          // XLEN, little-endian, then that many bytes of extra field.
          this.extraLength |= b << (8 * (2 - this.fieldLeft));
          if (--this.fieldLeft === 0) {
            this.fieldLeft = this.extraLength;
            if (this.fieldLeft > 0) this.field = 'extra';
            else this.nextField(1);
          }
          break;
        case 'extra':
          if (--this.fieldLeft === 0) this.nextField(1);
          break;
        case 'name':
          if (b === 0) this.nextField(2);
          break;
        case 'comment':
          if (b === 0) this.nextField(3);
          break;
        case 'hcrc':
          if (--this.fieldLeft === 0) this.nextField(4);
          break;
      }
    }
    return at;
  }

  /** Moves to the first optional field from index `from` that the flags ask for, or to the deflate data. */
  private nextField(from: number): void {
    const flags = this.fixed[3]!;
    for (let i = from; i < OPTIONAL.length; i++) {
      const [flag, field, length] = OPTIONAL[i]!;
      if ((flags & flag) === 0) continue;
      this.field = field;
      this.fieldLeft = length;
      this.extraLength = 0;
      return;
    }
    this.state = 'deflate';
    this.fresh = true;
  }

  private endMember(): void {
    const t = this.trailer;
    const isize = (t[4]! | (t[5]! << 8) | (t[6]! << 16) | (t[7]! << 24)) >>> 0;
    if (isize !== this.memberBytes % 0x100000000) throw this.corrupt('the inflated length does not match the trailer (ISIZE)');
    this.members++;
    this.state = 'header';
    this.headerBytes = 0;
    this.field = 'fixed';
  }

  private corrupt(detail: string): CorruptError {
    return new CorruptError(`${this.what} is not valid gzip: ${detail}`);
  }
}

/**
 * Inflates a gzip stream that starts at `offset` of a ByteSource, reading it 64 KiB at a time; see {@link GunzipStream}.
 * Stops as soon as a limit is hit (the `LimitError` propagates) or `onData` returns false: the rest is not read.
 */
export function gunzipStream(source: ByteSource, offset: number, budget: Budget, what: string, onData: (chunk: Uint8Array) => boolean | void): void {
  if (source.size - offset < MIN_MEMBER) throw new CorruptError(`${what} is too short to be gzip (truncated)`);
  const gunzip = new GunzipStream(budget, what, onData);
  for (let at = offset; at < source.size; at += PUSH) {
    if (!gunzip.push(source.read(at, Math.min(PUSH, source.size - at)))) return;
  }
  gunzip.end();
}
