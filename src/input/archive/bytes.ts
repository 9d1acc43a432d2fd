/** Random-access bytes: an archive in memory, or a file read on demand (Node entry), so big archives need not be loaded whole. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * `length` bytes from `offset` (fewer at the end). May be a view of memory that the next read reuses (a file
   * source reads small pieces into one buffer): copy what you keep, unless {@link stable} is set.
   */
  read(offset: number, length: number): Uint8Array;
  /** True when what `read` returns stays valid (a view of bytes in memory), so it may be kept without a copy. */
  readonly stable?: boolean;
  /** Releases what the source holds (a file descriptor); called once the scan is done with it. */
  close?(): void;
}

/** A ByteSource over bytes in memory (zero-copy views). */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    stable: true,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** The bytes `offset..offset+length` of a source, in an array the caller owns (a view when the source is stable). */
export function readOwned(source: ByteSource, offset: number, length: number): Uint8Array {
  if (source.stable === true) return source.read(offset, length);
  const out = new Uint8Array(length);
  // In pieces, so a source that reads into a reused buffer needs no second copy of a big range.
  for (let at = 0; at < length; ) {
    const piece = source.read(offset + at, Math.min(64 * 1024, length - at));
    if (piece.length === 0) throw new RangeError(`read past the end of the source at offset ${offset + at}`);
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** `length` bytes of `source` from `offset`, as a source of their own. */
export function sliceSource(source: ByteSource, offset: number, length: number): ByteSource {
  const size = Math.max(0, Math.min(length, source.size - offset));
  return {
    size,
    stable: source.stable === true,
    read: (at, n) => source.read(offset + at, Math.max(0, Math.min(n, size - at))),
  };
}

/** Concatenates chunks into one array. */
export function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === total) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Gathers a stream's chunks into one array, copying each as it comes (so chunks may be views of reused buffers).
 * Allocated once at `expected` bytes when that is right, so the data is never held twice; grown by doubling when the
 * stream outruns it. `expected` may come from a claim (a zip's declared size): callers cap it.
 */
export class ByteCollector {
  private buffer: Uint8Array;
  /** Bytes gathered so far. */
  length = 0;

  constructor(expected: number) {
    this.buffer = new Uint8Array(Math.max(0, Math.floor(expected)));
  }

  push(chunk: Uint8Array): void {
    const need = this.length + chunk.length;
    if (need > this.buffer.length) {
      const grown = new Uint8Array(Math.max(need, this.buffer.length * 2, 64 * 1024));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length = need;
  }

  /** The bytes gathered (a view when the buffer came out larger than the data). */
  bytes(): Uint8Array {
    return this.length === this.buffer.length ? this.buffer : this.buffer.subarray(0, this.length);
  }
}
