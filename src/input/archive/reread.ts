import type { ByteSource } from './bytes';
import { GunzipStream, type GunzipCheckpoint } from './gzip';
import { DeflateError, Inflater } from './inflate';
import { CorruptError } from './limits';

/** Compressed bytes pushed at a time when reading again: little output past the range asked for. */
const STEP = 16 * 1024;

/** A point from which a decoded stream can be produced again. */
export interface ResumePoint {
  /** Output offset of the first byte decoded from here. */
  readonly out: number;
  /**
   * Starts decoding here, handing output to `onData` (views valid during the call). Returns a pump: each call
   * decodes a little more, and false once the input is used up.
   */
  start(onData: (chunk: Uint8Array) => void): () => boolean;
}

/** The output of a gzip stream in `source`, from a checkpoint taken while it was first inflated. */
export function gzipPoint(source: ByteSource, checkpoint: GunzipCheckpoint, what: string): ResumePoint {
  return {
    out: checkpoint.output,
    start(onData) {
      const gunzip = GunzipStream.resume(checkpoint, what, (chunk) => void onData(chunk));
      return pump(source, Math.floor(checkpoint.inflate.bit / 8), (chunk) => gunzip.push(chunk), () => gunzip.end());
    },
  };
}

/** The output of a gzip stream in `source` from its start. */
export function gzipStart(source: ByteSource, what: string): ResumePoint {
  return {
    out: 0,
    start(onData) {
      const gunzip = new GunzipStream(null, what, (chunk) => void onData(chunk));
      return pump(source, 0, (chunk) => gunzip.push(chunk), () => gunzip.end());
    },
  };
}

/** The output of raw deflate data (a zip entry's) in `source`, from its start. */
export function deflateStart(source: ByteSource, what: string): ResumePoint {
  return {
    out: 0,
    start(onData) {
      const inflater = new Inflater((chunk) => void onData(chunk));
      let at = 0;
      return () => {
        if (at >= source.size) return false;
        const n = Math.min(STEP, source.size - at);
        try {
          inflater.push(source.read(at, n), at + n >= source.size);
        } catch (error) {
          throw error instanceof DeflateError ? new CorruptError(`${what}: invalid deflate data (${error.message})`) : error;
        }
        at += n;
        return at < source.size && !inflater.done;
      };
    },
  };
}

function pump(source: ByteSource, from: number, push: (chunk: Uint8Array) => void, end: () => void): () => boolean {
  let at = from;
  return () => {
    if (at >= source.size) {
      end();
      return false;
    }
    const n = Math.min(STEP, source.size - at);
    push(source.read(at, n));
    at += n;
    return true;
  };
}

/**
 * Reads ranges of one decoded stream again, on demand, so that big files of an archive need not be held: a range
 * ahead of the last one goes on decoding from there; one behind it (or far ahead, past its resume point) starts
 * again from its resume point. A map read whole once and then piece by piece, in order, costs two passes.
 */
export class StreamReader {
  private pump: (() => boolean) | null = null;
  /** Output decoded past the last range read: `carry[carryAt..carryEnd]`, which starts at output offset `carryFrom`. */
  private carry = new Uint8Array(0);
  private carryAt = 0;
  private carryEnd = 0;
  private carryFrom = 0;
  /** Output offset of the next byte the pump decodes. */
  private next = 0;
  // The range being read, while a pump runs.
  private out = new Uint8Array(0);
  private from = 0;
  private to = 0;

  constructor(private readonly what: string) {}

  /** Output bytes `offset..offset+length`, decoded from `point` (at or before `offset`) or from where the last read stopped. */
  read(point: ResumePoint, offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    if (length === 0) return out;
    if (this.pump === null || offset < this.carryFrom || point.out > this.next) {
      this.pump = point.start((chunk) => this.take(chunk));
      this.carryAt = this.carryEnd = 0;
      this.carryFrom = this.next = point.out;
    }
    const to = offset + length;
    // What the last read decoded past its range: skip to the range, copy what falls in it.
    const skip = Math.min(Math.max(0, offset - this.carryFrom), this.carryEnd - this.carryAt);
    this.carryAt += skip;
    this.carryFrom += skip;
    const n = offset === this.carryFrom ? Math.min(length, this.carryEnd - this.carryAt) : 0;
    out.set(this.carry.subarray(this.carryAt, this.carryAt + n));
    this.carryAt += n;
    this.carryFrom += n;
    if (this.carryFrom < to) {
      // The carry is used up: decode on, keeping what comes past the range.
      this.carryAt = this.carryEnd = 0;
      this.out = out;
      this.from = offset;
      this.to = to;
      try {
        while (this.next < to) {
          if (!this.pump() && this.next < to) throw new CorruptError(`${this.what} ends before the ${length} bytes at offset ${offset} read again`);
        }
      } catch (error) {
        this.pump = null;
        throw error;
      } finally {
        this.out = new Uint8Array(0);
      }
      this.carryFrom = this.next - (this.carryEnd - this.carryAt);
    }
    return out;
  }

  /** A decoded chunk that starts at `next`: its part in the range is copied, its part past the range kept. */
  private take(chunk: Uint8Array): void {
    const start = this.next;
    this.next += chunk.length;
    const a = Math.max(start, this.from);
    const b = Math.min(this.next, this.to);
    if (a < b) this.out.set(chunk.subarray(a - start, b - start), a - this.from);
    if (this.next <= this.to) return;
    const rest = chunk.subarray(Math.max(start, this.to) - start);
    if (this.carryEnd + rest.length > this.carry.length) {
      const grown = new Uint8Array(Math.max(this.carryEnd + rest.length, 2 * this.carry.length, 256 * 1024));
      grown.set(this.carry.subarray(0, this.carryEnd));
      this.carry = grown;
    }
    this.carry.set(rest, this.carryEnd);
    this.carryEnd += rest.length;
  }
}
