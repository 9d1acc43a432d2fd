import { strictUtf8Decoder, utf8Decoder } from '../../util/text';
import { ByteCollector, sliceSource, type ByteSource } from './bytes';
import { DeflateError, Inflater } from './inflate';
import { CorruptError, LimitError, type Budget } from './limits';

/** One regular file of a zip, as its central directory describes it (sizes are claims, not facts). */
export interface ZipEntry {
  /** Name as stored. */
  name: string;
  /** 0 stored, 8 deflated; anything else is reported unsupported. */
  method: number;
  /** Declared compressed size. */
  compressedSize: number;
  /** Offset of the local file header, relative to the start of the zip data. */
  localOffset: number;
  /** Bit 0 of the flags: encrypted, cannot be read. */
  encrypted: boolean;
  /**
   * Declared uncompressed size: a claim, compared with what really inflates; used only as the first guess of a
   * buffer's size, capped by the per-entry limit and by what the compressed size can inflate to.
   */
  declaredSize: number;
}

/** An opened zip: its entries and a reader that inflates one on demand, within the budget. */
export interface ZipArchive {
  /** Regular files, in central-directory order. */
  entries: ZipEntry[];
  /** Inflates an entry, or its first `limit` bytes. */
  read(entry: ZipEntry, limit?: number): Uint8Array;
  /**
   * Inflates an entry to its end without holding it, handing each chunk (a view valid during the call) to `onData`
   * until that returns false; the rest is still inflated and counted. Returns the entry's real length.
   */
  stream(entry: ZipEntry, onData: (chunk: Uint8Array) => boolean | void): number;
  /** The entry's data as it lies in the archive (stored bytes, or deflate data), as a source of its own. */
  data(entry: ZipEntry): ByteSource;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Compressed bytes read at a time. */
const PUSH = 64 * 1024;
/** Deflate cannot inflate more than about 1032 times its size (258-byte matches in 2 bits, RFC 1951). */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Opens a zip (or a zip with bytes before it, such as a CRX or a self-extracting archive) from its end-of-central-
 * directory record. Offsets are rebased on where the central directory really is, so prepended headers need no
 * special case. ZIP64 records are honoured.
 */
export function openZip(source: ByteSource, budget: Budget): ZipArchive {
  const size = source.size;
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = source.read(size - tailLength, tailLength).slice();
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new CorruptError('no end-of-central-directory record (not a zip, or truncated)');
  const eocdAt = size - tailLength + eocd;
  let count = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  let cdAt = eocdAt - cdSize;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locatorAt = eocdAt - 20;
    const locator = locatorAt >= 0 ? source.read(locatorAt, 20).slice() : new Uint8Array(0);
    if (locator.length === 20 && u32(locator, 0) === ZIP64_LOCATOR) {
      // The locator's offset counts from the start of the zip, which bytes may precede (CRX, self-extractors):
      // the record normally sits right before the locator, so look there when the stated offset misses.
      let recordAt = Number(u64(locator, 8));
      let record = source.read(recordAt, 56).slice();
      if ((record.length < 56 || u32(record, 0) !== ZIP64_EOCD) && locatorAt >= 56) {
        recordAt = locatorAt - 56;
        record = source.read(recordAt, 56).slice();
      }
      if (record.length < 56 || u32(record, 0) !== ZIP64_EOCD) throw new CorruptError('broken ZIP64 end-of-central-directory record');
      count = Number(u64(record, 32));
      cdSize = Number(u64(record, 40));
      cdOffset = Number(u64(record, 48));
      cdAt = recordAt - cdSize;
    }
  }
  if (cdAt < 0 || cdSize > size) throw new CorruptError('the central directory lies outside the file');
  const base = cdAt - cdOffset;
  const cd = source.read(cdAt, cdSize).slice();

  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > cd.length || u32(cd, at) !== CENTRAL) throw new CorruptError(`central directory entry ${n} is malformed`);
    budget.entry();
    const flags = u16(cd, at + 8);
    const method = u16(cd, at + 10);
    let compressedSize = u32(cd, at + 20);
    let uncompressedSize = u32(cd, at + 24);
    const nameLength = u16(cd, at + 28);
    const extraLength = u16(cd, at + 30);
    const commentLength = u16(cd, at + 32);
    const external = u32(cd, at + 38);
    let localOffset = u32(cd, at + 42);
    const name = decodeName(cd.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0);
    // ZIP64 extra field: 64-bit values replace the 0xFFFFFFFF ones, in this order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = u16(cd, extra);
      const length = u16(cd, extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (uncompressedSize === 0xffffffff) (uncompressedSize = Number(u64(cd, field))), (field += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(u64(cd, field))), (field += 8);
        if (localOffset === 0xffffffff) localOffset = Number(u64(cd, field));
      }
      extra += 4 + length;
    }
    at = extraEnd + commentLength;
    const unixType = (external >>> 16) & 0o170000;
    // Directories and symbolic links (unix mode in the high bits) are not files of the scan; anything else carries data.
    if (name.endsWith('/') || unixType === 0o040000 || unixType === 0o120000) continue;
    entries.push({ name, method, compressedSize, localOffset: base + localOffset, encrypted: (flags & 1) === 1, declaredSize: uncompressedSize });
  }

  /** Where an entry's data starts, after checking its local header and that its data is all there. */
  const dataStart = (entry: ZipEntry): number => {
    if (entry.encrypted) throw new CorruptError(`${entry.name} is encrypted`);
    const local = source.read(entry.localOffset, 30).slice();
    if (local.length < 30 || u32(local, 0) !== LOCAL) throw new CorruptError(`${entry.name}: local header missing at offset ${entry.localOffset}`);
    const dataAt = entry.localOffset + 30 + u16(local, 26) + u16(local, 28);
    const available = Math.max(0, Math.min(entry.compressedSize, size - dataAt));
    if (available < entry.compressedSize) throw new CorruptError(`${entry.name}: data runs past the end of the archive (truncated)`);
    if (entry.method !== 0 && entry.method !== 8) throw new CorruptError(`${entry.name}: compression method ${entry.method} is not supported`);
    // Deflate data has at least one block (an empty input deflates to 2 bytes): none at all is damage.
    if (entry.method === 8 && entry.compressedSize === 0) throw new CorruptError(`${entry.name}: deflated entry with no data`);
    return dataAt;
  };

  /** Hands out an entry's bytes, the first `limit` of them or all (then past `maxEntryBytes` is a LimitError). */
  const chunks = (entry: ZipEntry, limit: number | undefined, onData: (chunk: Uint8Array) => boolean | void): number => {
    const dataAt = dataStart(entry);
    if (entry.method === 0) {
      const length = Math.min(entry.compressedSize, limit ?? Infinity);
      if (length > budget.limits.maxEntryBytes) {
        throw new LimitError('maxEntryBytes', budget.limits.maxEntryBytes, `${entry.name} is over the per-entry limit`);
      }
      budget.inflate(length);
      let delivering = true;
      for (let at = 0; at < length && delivering; at += PUSH) {
        if (onData(source.read(dataAt + at, Math.min(PUSH, length - at))) === false) delivering = false;
      }
      return length;
    }
    const max = Math.min(limit ?? Infinity, budget.limits.maxEntryBytes);
    return inflateEntry(source, dataAt, entry.compressedSize, max, limit !== undefined, budget, entry.name, onData);
  };

  return {
    entries,
    read(entry, limit) {
      if (entry.method === 0 && source.stable === true) {
        // A view of bytes the scan holds anyway: no copy.
        const dataAt = dataStart(entry);
        const length = Math.min(entry.compressedSize, limit ?? Infinity);
        if (length > budget.limits.maxEntryBytes) {
          throw new LimitError('maxEntryBytes', budget.limits.maxEntryBytes, `${entry.name} is over the per-entry limit`);
        }
        budget.inflate(length);
        return source.read(dataAt, length);
      }
      const cap = Math.min(limit ?? Infinity, budget.limits.maxEntryBytes);
      const expected = entry.method === 0 ? entry.compressedSize : Math.min(entry.declaredSize, entry.compressedSize * MAX_DEFLATE_RATIO);
      const out = new ByteCollector(Math.min(expected, cap));
      chunks(entry, limit, (chunk) => out.push(chunk));
      return out.bytes();
    },
    stream: (entry, onData) => chunks(entry, undefined, onData),
    data: (entry) => sliceSource(source, dataStart(entry), entry.compressedSize),
  };
}

/**
 * Inflates `length` compressed bytes at `at`, at most `max` bytes of output: with `partial`, stops there (a head
 * read); otherwise more is a LimitError. Hands each chunk to `onData` until it returns false; without `partial` the
 * rest is still inflated and counted, so the entry is checked whole. Returns the output length.
 */
function inflateEntry(
  source: ByteSource,
  at: number,
  length: number,
  max: number,
  partial: boolean,
  budget: Budget,
  name: string,
  onData: (chunk: Uint8Array) => boolean | void,
): number {
  let total = 0;
  let read = 0;
  let delivering = true;
  const inflater = new Inflater((chunk) => {
    const take = Math.min(chunk.length, max - total);
    if (take < chunk.length && !partial) {
      throw new LimitError('maxEntryBytes', budget.limits.maxEntryBytes, `${name} inflates past the per-entry limit`);
    }
    budget.inflate(take);
    total += take;
    budget.ratio(total, read, name);
    if (delivering && onData(take < chunk.length ? chunk.subarray(0, take) : chunk) === false) delivering = false;
    return partial ? delivering && total < max : true;
  });
  // A head read wants a few hundred bytes: read little at a time.
  const step = partial ? PUSH / 4 : PUSH;
  for (let offset = 0; offset < length; offset += step) {
    const chunk = source.read(at + offset, Math.min(step, length - offset));
    read += chunk.length;
    let more: boolean;
    try {
      more = inflater.push(chunk, offset + step >= length);
    } catch (error) {
      if (error instanceof DeflateError) throw new CorruptError(`${name}: invalid deflate data (${error.message})`);
      throw error;
    }
    if (!more) break;
  }
  return total;
}

// IBM code page 437, bytes 0x80-0xFF: the zip default when the UTF-8 flag (bit 11) is not set.
const CP437 =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/**
 * An entry name: UTF-8 when flagged, or when it is valid UTF-8 anyway (Info-ZIP on Linux writes raw UTF-8 without the
 * flag); otherwise code page 437, so distinct legacy names stay distinct.
 */
function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) return utf8Decoder.decode(bytes);
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    let name = '';
    for (const b of bytes) name += b < 0x80 ? String.fromCharCode(b) : CP437[b - 0x80]!;
    return name;
  }
}

function u16(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8);
}

function u32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function u64(b: Uint8Array, i: number): bigint {
  return BigInt(u32(b, i)) + (BigInt(u32(b, i + 4)) << 32n);
}
