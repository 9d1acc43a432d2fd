/** Archive formats told apart by their first bytes, never by the file name. */
export type ArchiveFormat = 'gzip' | 'tar' | 'zip' | 'crx';

/** Bytes of the head needed to tell every format (a tar header is 512). */
export const SNIFF_BYTES = 512;

/** The archive format of a file from its first bytes, or null. */
export function detectArchive(head: Uint8Array): ArchiveFormat | null {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) {
    // Local file header, or the end record of an empty archive.
    if ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06)) return 'zip';
  }
  if (head.length >= 8 && head[0] === 0x43 && head[1] === 0x72 && head[2] === 0x32 && head[3] === 0x34) return 'crx';
  if (isTarHeader(head)) return 'tar';
  return null;
}

/** A 512-byte tar header: `ustar` magic at 257, or an old v7 header whose checksum adds up. */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  if (block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72) return true;
  if (block[0] === 0) return false;
  const stored = parseOctal(block, 148, 8);
  return stored !== null && stored === headerChecksum(block);
}

/** Sum of the header's bytes with the checksum field read as spaces. */
export function headerChecksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

/** An octal number field (NUL or space terminated); null when it holds anything else. */
export function parseOctal(block: Uint8Array, offset: number, length: number): number | null {
  let value = 0;
  let digits = 0;
  let i = offset;
  const end = offset + length;
  while (i < end && block[i] === 0x20) i++;
  for (; i < end; i++) {
    const b = block[i]!;
    if (b === 0 || b === 0x20) break;
    if (b < 0x30 || b > 0x37) return null;
    value = value * 8 + (b - 0x30);
    digits++;
  }
  return digits === 0 ? 0 : value;
}
