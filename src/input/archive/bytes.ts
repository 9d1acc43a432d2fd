/** Random-access bytes: an archive in memory, or a file read on demand (Node entry), so big archives need not be loaded whole. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end). May be a view of shared memory: copy what you keep. */
  read(offset: number, length: number): Uint8Array;
  /** Releases what the source holds (a file descriptor); called once the scan is done with it. */
  close?(): void;
}

/** A ByteSource over bytes in memory (zero-copy views). */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
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
