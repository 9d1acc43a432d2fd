import { Gunzip } from 'fflate';
import type { ByteSource } from './bytes';
import { CorruptError, type Budget } from './limits';

/** Compressed bytes pushed at a time: a bomb inflates ~1000x, so one push never yields more than ~16 MB. */
const PUSH = 16 * 1024;
/** Trailing zero bytes tolerated after the last member (old npm tarballs were padded to 512-byte blocks). */
const MAX_PADDING = 1024 * 1024;
/** The smallest gzip member: 10-byte header, 2 bytes of deflate, 8-byte trailer. */
const MIN_MEMBER = 20;

/**
 * Inflates a gzip stream (one or more members) chunk by chunk, handing each chunk of real output to `onData` while
 * the budget counts it. Stops as soon as a limit is hit (the `LimitError` propagates) or `onData` returns false.
 * Trailing zero padding is allowed; a stream cut anywhere (header, data or trailer) is a `CorruptError`, checked
 * on the last member's ISIZE since the streaming inflater does not notice a missing trailer.
 */
export function gunzipStream(source: ByteSource, offset: number, budget: Budget, what: string, onData: (chunk: Uint8Array) => boolean | void): void {
  if (source.size - offset < MIN_MEMBER) throw new CorruptError(`${what} is too short to be gzip (truncated)`);
  let inflated = 0;
  let memberBytes = 0;
  let read = 0;
  let stop = false;
  let failure: unknown = null;
  const gunzip = new Gunzip((chunk) => {
    if (stop || failure !== null) return;
    try {
      inflated += chunk.length;
      memberBytes += chunk.length;
      budget.inflate(chunk.length);
      budget.ratio(inflated, read, what);
      if (onData(chunk) === false) stop = true;
    } catch (error) {
      failure = error;
    }
  });
  gunzip.onmember = () => {
    memberBytes = 0;
  };
  const size = source.size;
  let broken: unknown = null;
  for (let at = offset; at < size && !stop && failure === null; at += PUSH) {
    const chunk = source.read(at, Math.min(PUSH, size - at));
    read += chunk.length;
    try {
      gunzip.push(chunk, at + PUSH >= size);
    } catch (error) {
      broken = error;
      break;
    }
  }
  if (failure !== null) throw failure;
  // Once the caller has what it needs, what follows is not judged.
  if (stop) return;
  // Whether fflate stopped on zero padding after the last member (an error) or read to the end (no error, but it does
  // not notice a missing trailer), the stream is whole when the last member's ISIZE sits just before the padding.
  if (trailerMatches(source, offset, memberBytes)) return;
  const detail = broken === null ? 'unexpected EOF (the stream is truncated)' : broken instanceof Error ? broken.message : String(broken);
  throw new CorruptError(`${what} is not valid gzip: ${detail}`);
}

/**
 * True when the 4 bytes before some position `e` hold `memberBytes` (mod 2^32) and only zeros follow `e`. `e` lies
 * between the last non-zero byte and 7 bytes after it, since a trailer may itself end in zero bytes.
 */
function trailerMatches(source: ByteSource, offset: number, memberBytes: number): boolean {
  const last = dataEnd(source, offset);
  const low = Math.max(last, offset + MIN_MEMBER);
  for (let e = low; e <= Math.min(source.size, Math.max(low, last + 7)); e++) {
    const b = source.read(e - 4, 4);
    if (b.length === 4 && ((b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0) === memberBytes % 0x100000000) return true;
  }
  return false;
}

/** Offset just past the last non-zero byte, allowing up to MAX_PADDING zeros at the end. */
function dataEnd(source: ByteSource, offset: number): number {
  let end = source.size;
  while (end > offset && source.size - end < MAX_PADDING) {
    const from = Math.max(offset, end - 4096);
    const bytes = source.read(from, end - from);
    let i = bytes.length - 1;
    while (i >= 0 && bytes[i] === 0) i--;
    if (i >= 0) return from + i + 1;
    end = from;
  }
  return source.size;
}
