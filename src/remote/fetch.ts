import { ForensicsError } from '../errors';
import { concat } from '../input/archive/bytes';

/** The part of the WHATWG `fetch` this library calls; pass your own (proxy, auth, cache) through the `fetch` option. */
export type FetchLike = (url: string, init?: { headers?: Record<string, string>; redirect?: 'follow' | 'manual' }) => Promise<FetchResponse>;

/** The part of a WHATWG `Response` this library reads. */
export interface FetchResponse {
  ok: boolean;
  status: number;
  url?: string;
  headers: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The global fetch, or an error that says how to provide one. */
export function defaultFetch(): FetchLike {
  const f = (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof f !== 'function') throw new ForensicsError('INVALID_OPTION', 'no global fetch here: pass the "fetch" option');
  return f;
}

/** Reads a response body, refusing more than `max` bytes (counted as they arrive; Content-Length may lie). Null when over. */
export async function readBody(response: FetchResponse, max: number): Promise<Uint8Array | null> {
  const body = response.body;
  if (!body || typeof body.getReader !== 'function') {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length > max ? null : bytes;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}
