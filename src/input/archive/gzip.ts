import { Gunzip } from 'fflate';
import type { ByteSource } from './bytes';
import { CorruptError, type Budget } from './limits';

/** Compressed bytes pushed at a time: a bomb inflates ~1000x, so one push never yields more than ~16 MB. */
const PUSH = 16 * 1024;

/**
 * Inflates a gzip stream chunk by chunk, handing each chunk of real output to `onData` while the budget counts
 * it. Stops as soon as a limit is hit (the `LimitError` propagates) or `onData` returns false.
 */
export function gunzipStream(source: ByteSource, offset: number, budget: Budget, what: string, onData: (chunk: Uint8Array) => boolean | void): void {
  let inflated = 0;
  let read = 0;
  let stop = false;
  let failure: unknown = null;
  const gunzip = new Gunzip((chunk) => {
    if (stop || failure !== null) return;
    try {
      inflated += chunk.length;
      budget.inflate(chunk.length);
      budget.ratio(inflated, read, what);
      if (onData(chunk) === false) stop = true;
    } catch (error) {
      failure = error;
    }
  });
  const end = source.size;
  for (let at = offset; at < end && !stop && failure === null; at += PUSH) {
    const chunk = source.read(at, PUSH);
    read += chunk.length;
    try {
      gunzip.push(chunk, at + PUSH >= end);
    } catch (error) {
      throw new CorruptError(`${what} is not valid gzip: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failure !== null) throw failure;
}
