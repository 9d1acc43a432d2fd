/**
 * A streaming DEFLATE decoder (RFC 1951) that allocates nothing once it runs: one input buffer, one output buffer
 * holding the 32 KiB window, and Huffman tables, all reused. Output is handed out as views of the output buffer.
 *
 * Why not fflate's streaming `Inflate`: it allocates about four times its output in short-lived arrays (a grown
 * buffer, a copy for the callback, a copy of the window, per push). Those live outside the JS heap until a garbage
 * collection notices them, which keeps tens of MiB resident while a 300 MB package streams through, however small
 * the pushes. Here a package streams in constant memory, so peak memory follows the largest file kept.
 */

/** The compressed data is malformed. Internal: the gzip and zip readers wrap it in a `CorruptError`. */
export class DeflateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeflateError';
  }
}

const WINDOW = 32 * 1024;
/** Output buffer beyond the window: chunks handed out are at most WINDOW + OUT bytes (the first) or OUT. */
const OUT = 128 * 1024;
/** The longest match. */
const MAX_MATCH = 258;
/**
 * Input kept in hand before a step starts, unless the input has ended: a step (a block header with its code
 * tables, at most ~570 bytes, or one length/distance pair, at most 6) then never runs out of bits half-way.
 */
const MARGIN = 1024;

const LENGTH_BASE = Uint16Array.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258);
const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
const DIST_BASE = Uint16Array.of(
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
);
const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
/** Order of the code length code lengths in a dynamic block header. */
const CLEN_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/**
 * A decoding table: entry `i` holds `symbol << 4 | length` for the code whose bit-reversed form is the low `length`
 * bits of `i`; 0 marks bit patterns that no code uses.
 */
interface Table {
  entries: Uint16Array;
  /** Index bits: the longest code. */
  bits: number;
}

const counts = new Uint16Array(16);
const next = new Uint16Array(16);

/**
 * Fills `table` for canonical codes of the given lengths (RFC 1951 3.2.2). As zlib: over-subscribed lengths are an
 * error, and so is an incomplete set, except a single one-bit code in a literal/length or distance table (`single`).
 */
function buildTable(lengths: Uint8Array, from: number, n: number, table: Table, single: boolean): void {
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[lengths[from + i]!]!++;
  counts[0] = 0;
  let bits = 15;
  while (bits > 0 && counts[bits] === 0) bits--;
  let left = 1;
  for (let len = 1; len <= bits; len++) {
    left = (left << 1) - counts[len]!;
    if (left < 0) throw new DeflateError('invalid code lengths');
  }
  if (bits > 0 && left > 0 && !(single && bits === 1)) throw new DeflateError('invalid code lengths');
  // No codes at all (a distance tree of a block with literals only): one bit, every pattern unused.
  if (bits === 0) bits = 1;
  next[1] = 0;
  for (let len = 1; len < 15; len++) next[len + 1] = (next[len]! + counts[len]!) << 1;
  const size = 1 << bits;
  const entries = table.entries;
  entries.fill(0, 0, size);
  for (let symbol = 0; symbol < n; symbol++) {
    const len = lengths[from + symbol]!;
    if (len === 0) continue;
    const entry = (symbol << 4) | len;
    for (let i = reverse(next[len]!++, len); i < size; i += 1 << len) entries[i] = entry;
  }
  table.bits = bits;
}

/** The low `len` bits of `code`, reversed (Huffman codes are packed starting with their most significant bit). */
function reverse(code: number, len: number): number {
  let x = code;
  x = ((x & 0xaaaa) >>> 1) | ((x & 0x5555) << 1);
  x = ((x & 0xcccc) >>> 2) | ((x & 0x3333) << 2);
  x = ((x & 0xf0f0) >>> 4) | ((x & 0x0f0f) << 4);
  x = ((x & 0xff00) >>> 8) | ((x & 0x00ff) << 8);
  return x >>> (16 - len);
}

let fixed: { lit: Table; dist: Table } | null = null;

/** The fixed codes of block type 1 (RFC 1951 3.2.6), built once. */
function fixedTables(): { lit: Table; dist: Table } {
  if (fixed === null) {
    const lengths = new Uint8Array(288 + 32);
    lengths.fill(8, 0, 144);
    lengths.fill(9, 144, 256);
    lengths.fill(7, 256, 280);
    lengths.fill(8, 280, 288);
    lengths.fill(5, 288, 320);
    const lit = { entries: new Uint16Array(1 << 9), bits: 0 };
    const dist = { entries: new Uint16Array(1 << 5), bits: 0 };
    buildTable(lengths, 0, 288, lit, true);
    buildTable(lengths, 288, 32, dist, true);
    fixed = { lit, dist };
  }
  return fixed;
}

/**
 * Where an {@link Inflater} stood at the start of a chunk it handed out: enough to decode again from there without
 * the input before it (zlib's zran.c does the same at block boundaries; here any point between two codes will do).
 */
export interface InflateCheckpoint {
  /** Input position, in bits, counted as the caller counts input (from the offset given to `reset`). */
  readonly bit: number;
  /** Output bytes of the stream before this point. */
  readonly out: number;
  readonly state: 'header' | 'stored' | 'codes';
  readonly last: boolean;
  readonly storedLeft: number;
  /** Code lengths of the dynamic block being decoded (literal/length then distance), or null for fixed codes. */
  readonly lengths: Uint8Array | null;
  readonly hlit: number;
  /** The output just before this point, up to 32 KiB: what later codes may copy from. */
  readonly window: Uint8Array;
}

/**
 * Streaming raw DEFLATE: `push` compressed bytes as they come, get the output through `onData` in chunks of at most
 * 160 KiB. A chunk is a view of a buffer that the next chunk overwrites: copy what you keep. `onData` returning false
 * stops decoding; an exception it throws propagates out of `push`. Malformed data throws {@link DeflateError}.
 */
export class Inflater {
  /** True once the last block has ended; the bytes after it are {@link rest}. */
  done = false;
  private stopped = false;
  private input = new Uint8Array(0);
  /** Bytes of `input` that hold data. */
  private end = 0;
  /** Bit position in `input`. */
  private pos = 0;
  private readonly out = new Uint8Array(WINDOW + OUT);
  /** Write position in `out`; `out` holds the window before `start`, the output not yet handed out from `start`. */
  private op = 0;
  private start = 0;
  private state: 'header' | 'stored' | 'codes' = 'header';
  private last = false;
  private storedLeft = 0;
  private lit: Table = { entries: new Uint16Array(0), bits: 0 };
  private dist: Table = { entries: new Uint16Array(0), bits: 0 };
  private dynamic: { lit: Table; dist: Table; clen: Table; lengths: Uint8Array } | null = null;
  /** Code lengths of the current block: null for fixed codes; `hlit` splits literal/length from distance lengths. */
  private lengths: Uint8Array | null = null;
  private hlit = 0;
  /** Input offset of `input[0]`, and output bytes before `out[0]`, as the caller counts them. */
  private base = 0;
  private produced = 0;
  /** The decoder's state at `start` (see {@link checkpoint}), recorded after each chunk is handed out. */
  private mark = { bit: 0, out: 0, state: 'header' as Inflater['state'], last: false, storedLeft: 0, lengths: null as Uint8Array | null, hlit: 0 };
  /** Two buffers for code lengths: a new block writes to the one the mark does not hold. */
  private readonly lengthBuffers = [new Uint8Array(286 + 30), new Uint8Array(286 + 30)];

  constructor(private readonly onData: (chunk: Uint8Array) => boolean | void) {}

  /** An inflater that goes on from a checkpoint: push the input from byte `Math.floor(checkpoint.bit / 8)` on. */
  static resume(checkpoint: InflateCheckpoint, onData: (chunk: Uint8Array) => boolean | void): Inflater {
    const inflater = new Inflater(onData);
    inflater.out.set(checkpoint.window);
    inflater.op = inflater.start = checkpoint.window.length;
    inflater.produced = checkpoint.out - checkpoint.window.length;
    inflater.base = Math.floor(checkpoint.bit / 8);
    inflater.pos = checkpoint.bit & 7;
    inflater.state = checkpoint.state;
    inflater.last = checkpoint.last;
    inflater.storedLeft = checkpoint.storedLeft;
    if (checkpoint.state === 'codes') {
      if (checkpoint.lengths === null) inflater.useFixed();
      else inflater.useLengths(checkpoint.lengths, checkpoint.hlit, checkpoint.lengths.length - checkpoint.hlit);
    }
    inflater.remember();
    return inflater;
  }

  /**
   * Where the chunk being handed out starts: callable from `onData` only. Copies the window (32 KiB at most), so
   * keep checkpoints for the few places worth reading again.
   */
  checkpoint(): InflateCheckpoint {
    const m = this.mark;
    return {
      bit: m.bit,
      out: m.out,
      state: m.state,
      last: m.last,
      storedLeft: m.storedLeft,
      lengths: m.lengths === null ? null : m.lengths.slice(),
      hlit: m.hlit,
      window: this.out.slice(Math.max(0, this.start - WINDOW), this.start),
    };
  }

  /**
   * Feeds compressed bytes; `final` says no more will come (a stream that has not ended by then is cut off).
   * Returns false once decoding stopped: the stream ended, or `onData` asked to stop.
   */
  push(chunk: Uint8Array, final: boolean): boolean {
    if (this.done || this.stopped) return false;
    this.append(chunk);
    try {
      for (;;) {
        if (this.state === 'stored') {
          if (!this.stored(final)) break;
        } else {
          // A step needs MARGIN bytes in hand unless the input has ended.
          if (!final && this.end * 8 - this.pos < MARGIN * 8) break;
          if (this.state === 'header') this.header(final);
          else if (!this.codes(final)) break;
        }
        if (this.stopped) return false;
        if (this.state === 'header' && this.last) {
          this.done = true;
          break;
        }
      }
    } catch (error) {
      // Past the end of a cut stream the bits read are zeros, which may decode as anything: say what happened.
      if (final && error instanceof DeflateError && this.pos > this.end * 8) throw new DeflateError('unexpected EOF');
      throw error;
    }
    this.flush();
    return !this.done && !this.stopped;
  }

  /** After {@link done}: the input bytes that followed the stream (valid until the next push). */
  rest(): Uint8Array {
    return this.input.subarray(Math.min(this.end, (this.pos + 7) >>> 3), this.end);
  }

  /** Starts a new stream (the next gzip member) with empty input, keeping the buffers; `offset`: its input position. */
  reset(offset = 0): void {
    this.end = 0;
    this.pos = 0;
    this.base = offset;
    this.op = 0;
    this.start = 0;
    this.produced = 0;
    this.state = 'header';
    this.last = false;
    this.done = false;
    this.remember();
  }

  /** Input position just past the stream, once {@link done}: where {@link rest} starts. */
  get restOffset(): number {
    return this.base + Math.min(this.end, (this.pos + 7) >>> 3);
  }

  /** Records the state at `start`, for {@link checkpoint}. */
  private remember(): void {
    const m = this.mark;
    m.bit = this.base * 8 + this.pos;
    m.out = this.produced + this.start;
    m.state = this.state;
    m.last = this.last;
    m.storedLeft = this.storedLeft;
    m.lengths = this.state === 'codes' ? this.lengths : null;
    m.hlit = this.hlit;
  }

  /** Moves unread input to the front and appends `chunk`; 8 zero bytes follow the data so peeks never read stale bytes. */
  private append(chunk: Uint8Array): void {
    const from = this.pos >>> 3;
    const kept = this.end - from;
    this.base += from;
    const need = kept + chunk.length + 8;
    if (need > this.input.length) {
      const grown = new Uint8Array(Math.max(need, this.input.length * 2, 64 * 1024));
      grown.set(this.input.subarray(from, this.end));
      this.input = grown;
    } else if (from > 0) {
      this.input.copyWithin(0, from, this.end);
    }
    this.pos &= 7;
    this.input.set(chunk, kept);
    this.end = kept + chunk.length;
    this.input.fill(0, this.end, this.end + 8);
  }

  /** `n` bits (n <= 16) at the current position, least significant first. */
  private bits(n: number): number {
    const input = this.input;
    const p = this.pos >>> 3;
    const value = ((input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16)) >>> (this.pos & 7)) & ((1 << n) - 1);
    this.pos += n;
    return value;
  }

  private eof(): void {
    if (this.pos > this.end * 8) throw new DeflateError('unexpected EOF');
  }

  /** A block header: stored length, or the code tables. */
  private header(final: boolean): void {
    this.last = this.bits(1) === 1;
    const type = this.bits(2);
    if (type === 0) {
      this.pos = (this.pos + 7) & ~7;
      const len = this.bits(16);
      const nlen = this.bits(16);
      this.eof();
      if (len !== (~nlen & 0xffff)) throw new DeflateError('invalid stored block lengths');
      this.storedLeft = len;
      this.state = 'stored';
    } else if (type === 1) {
      this.useFixed();
      this.state = 'codes';
    } else if (type === 2) {
      this.dynamicTables();
      if (final) this.eof();
      this.state = 'codes';
    } else {
      throw new DeflateError('invalid block type');
    }
  }

  private dynamicTables(): void {
    const d = this.dynamicState();
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    if (hlit > 286 || hdist > 30) throw new DeflateError('invalid code lengths');
    const lengths = d.lengths;
    lengths.fill(0, 0, 19);
    for (let i = 0; i < hclen; i++) lengths[CLEN_ORDER[i]!] = this.bits(3);
    buildTable(lengths, 0, 19, d.clen, false);
    const clen = d.clen.entries;
    const clenMask = (1 << d.clen.bits) - 1;
    const total = hlit + hdist;
    for (let i = 0; i < total; ) {
      const entry = clen[this.peek() & clenMask]!;
      if ((entry & 15) === 0) throw new DeflateError('invalid code lengths');
      this.pos += entry & 15;
      const symbol = entry >>> 4;
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (symbol === 16) {
        if (i === 0) throw new DeflateError('invalid code lengths');
        value = lengths[i - 1]!;
        repeat = 3 + this.bits(2);
      } else if (symbol === 17) {
        repeat = 3 + this.bits(3);
      } else {
        repeat = 11 + this.bits(7);
      }
      if (i + repeat > total) throw new DeflateError('invalid code lengths');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    // The end-of-block code must exist, or the block could never end.
    if (lengths[256] === 0) throw new DeflateError('invalid code lengths');
    this.useLengths(lengths.subarray(0, total), hlit, hdist);
  }

  private useFixed(): void {
    const tables = fixedTables();
    this.lit = tables.lit;
    this.dist = tables.dist;
    this.lengths = null;
  }

  /** Builds the tables of a dynamic block from its code lengths (`hlit` literal/length ones, then `hdist`). */
  private useLengths(lengths: Uint8Array, hlit: number, hdist: number): void {
    const d = this.dynamicState();
    buildTable(lengths, 0, hlit, d.lit, true);
    buildTable(lengths, hlit, hdist, d.dist, true);
    this.lit = d.lit;
    this.dist = d.dist;
    // Kept for checkpoints, in the buffer the last record does not hold (it may describe an earlier block).
    const held = this.mark.lengths?.buffer;
    const buffer = this.lengthBuffers[0]!.buffer === held ? this.lengthBuffers[1]! : this.lengthBuffers[0]!;
    buffer.set(lengths.subarray(0, hlit + hdist));
    this.lengths = buffer.subarray(0, hlit + hdist);
    this.hlit = hlit;
  }

  private dynamicState(): { lit: Table; dist: Table; clen: Table; lengths: Uint8Array } {
    return (this.dynamic ??= {
      lit: { entries: new Uint16Array(1 << 15), bits: 0 },
      dist: { entries: new Uint16Array(1 << 15), bits: 0 },
      clen: { entries: new Uint16Array(1 << 7), bits: 0 },
      lengths: new Uint8Array(286 + 30),
    });
  }

  /** 24 bits at the current position (the longest code is 15), not consumed. */
  private peek(): number {
    const input = this.input;
    const p = this.pos >>> 3;
    return (input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16)) >>> (this.pos & 7);
  }

  /** Copies stored bytes; false when it must wait for input. */
  private stored(final: boolean): boolean {
    if (this.storedLeft === 0) {
      this.state = 'header';
      return true;
    }
    const at = this.pos >>> 3;
    const available = this.end - at;
    if (available === 0) {
      if (final) throw new DeflateError('unexpected EOF');
      return false;
    }
    if (this.op === this.out.length) this.flush();
    if (this.stopped) return true;
    const n = Math.min(this.storedLeft, available, this.out.length - this.op);
    this.out.set(this.input.subarray(at, at + n), this.op);
    this.op += n;
    this.pos += n * 8;
    this.storedLeft -= n;
    if (this.storedLeft === 0) this.state = 'header';
    return true;
  }

  /** Decodes literal/length and distance codes until the block ends (true), or input or output runs short (false/flush). */
  private codes(final: boolean): boolean {
    const input = this.input;
    const out = this.out;
    const lit = this.lit.entries;
    const dist = this.dist.entries;
    const litMask = (1 << this.lit.bits) - 1;
    const distMask = (1 << this.dist.bits) - 1;
    const endBits = this.end * 8;
    const limit = final ? endBits : endBits - MARGIN * 8;
    const outLimit = out.length - MAX_MATCH;
    let pos = this.pos;
    let op = this.op;
    let ended = false;
    let full = false;
    try {
      while (pos <= limit) {
        if (op > outLimit) {
          full = true;
          break;
        }
        let p = pos >>> 3;
        const entry = lit[((input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16)) >>> (pos & 7)) & litMask]!;
        if ((entry & 15) === 0) throw new DeflateError('invalid length/literal');
        pos += entry & 15;
        const symbol = entry >>> 4;
        if (symbol < 256) {
          out[op++] = symbol;
          continue;
        }
        if (symbol === 256) {
          ended = true;
          break;
        }
        if (symbol > 285) throw new DeflateError('invalid length/literal');
        const code = symbol - 257;
        let length = LENGTH_BASE[code]!;
        const lengthExtra = LENGTH_EXTRA[code]!;
        if (lengthExtra > 0) {
          p = pos >>> 3;
          length += ((input[p]! | (input[p + 1]! << 8)) >>> (pos & 7)) & ((1 << lengthExtra) - 1);
          pos += lengthExtra;
        }
        p = pos >>> 3;
        const d = dist[((input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16)) >>> (pos & 7)) & distMask]!;
        if ((d & 15) === 0) throw new DeflateError('invalid distance');
        pos += d & 15;
        const dcode = d >>> 4;
        if (dcode > 29) throw new DeflateError('invalid distance');
        let distance = DIST_BASE[dcode]!;
        const distExtra = DIST_EXTRA[dcode]!;
        if (distExtra > 0) {
          p = pos >>> 3;
          distance += ((input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16)) >>> (pos & 7)) & ((1 << distExtra) - 1);
          pos += distExtra;
        }
        // Before the first slide `op` is all the output there is; after it, the window is always whole.
        if (distance > op) throw new DeflateError('invalid distance');
        let from = op - distance;
        const stop = op + length;
        while (op < stop) out[op++] = out[from++]!;
      }
    } finally {
      this.pos = pos;
      this.op = op;
    }
    if (final) this.eof();
    if (ended) {
      this.state = 'header';
      return true;
    }
    if (full) {
      this.flush();
      return true;
    }
    // Out of input: with `final`, the stream stops before its last block ends.
    if (final) throw new DeflateError('unexpected EOF');
    return false;
  }

  /** Hands out the output not yet handed out, then slides the window to the front when the buffer is nearly full. */
  private flush(): void {
    if (this.op > this.start) {
      const chunk = this.out.subarray(this.start, this.op);
      if (this.onData(chunk) === false) this.stopped = true;
      this.start = this.op;
    }
    if (this.op > this.out.length - MAX_MATCH) {
      this.out.copyWithin(0, this.op - WINDOW, this.op);
      this.produced += this.op - WINDOW;
      this.op = WINDOW;
      this.start = WINDOW;
    }
    this.remember();
  }
}
