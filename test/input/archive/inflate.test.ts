import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeflateError, Inflater, type InflateCheckpoint } from '../../../src/input/archive/inflate';
import { mulberry32 } from '../../helpers/prng';

const KiB = 1024;

/** Inflates `data` pushed `step` bytes at a time (the last push final); copies of the chunks and how they came. */
function inflate(data: Uint8Array, step: number): { out: Buffer; chunks: Uint8Array[]; done: boolean } {
  const chunks: Uint8Array[] = [];
  const copies: Uint8Array[] = [];
  const inflater = new Inflater((chunk) => {
    chunks.push(chunk);
    copies.push(chunk.slice());
  });
  for (let at = 0; ; at += step) {
    const final = at + step >= data.length;
    inflater.push(data.subarray(at, at + step), final);
    if (final) break;
  }
  return { out: Buffer.concat(copies), chunks, done: inflater.done };
}

/** Data of several kinds: incompressible, tiny alphabet, source-like words, runs. */
function sample(kind: 'random' | 'abcd' | 'words' | 'runs', seed: number, n: number): Uint8Array {
  const random = mulberry32(seed);
  const out = new Uint8Array(n);
  if (kind === 'random') for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  else if (kind === 'abcd') for (let i = 0; i < n; i++) out[i] = 97 + Math.floor(random() * 4);
  else if (kind === 'words') {
    const words = ['function ', 'return ', 'const x = ', '{', '}', ';\n', 'sources', '(a, b) => a + b'];
    for (let i = 0; i < n; ) for (const c of words[Math.floor(random() * words.length)]!) if (i < n) out[i++] = c.charCodeAt(0);
  } else {
    for (let i = 0; i < n; ) {
      const run = Math.floor(random() * 400);
      const b = Math.floor(random() * 256);
      for (let k = 0; k < run && i < n; k++) out[i++] = b;
    }
  }
  return out;
}

/** A raw deflate stream written bit by bit (LSB first, as RFC 1951 packs them). */
function bits(...fields: [value: number, width: number, huffman?: boolean][]): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (const [value, width, huffman] of fields) {
    for (let i = 0; i < width; i++) {
      // Huffman codes go most significant bit first; everything else least significant bit first.
      const bit = huffman ? (value >> (width - 1 - i)) & 1 : (value >> i) & 1;
      acc |= bit << n++;
      if (n === 8) {
        out.push(acc);
        acc = 0;
        n = 0;
      }
    }
  }
  if (n > 0) out.push(acc);
  return Uint8Array.from(out);
}

const { Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED } = zlib.constants;

describe('Inflater: output equals zlib', () => {
  const kinds = ['random', 'abcd', 'words', 'runs'] as const;
  const strategies: [string, number][] = [
    ['default', Z_DEFAULT_STRATEGY],
    ['filtered', Z_FILTERED],
    ['huffman only', Z_HUFFMAN_ONLY],
    ['rle', Z_RLE],
    ['fixed', Z_FIXED],
  ];
  const rows = kinds.flatMap((kind, k) => strategies.flatMap(([name, strategy]) => [0, 1, 6, 9].map((level) => [kind, name, strategy, level, k] as const)));

  it.each(rows)('%s, strategy %s, level %i: every push size gives the input back', (kind, _name, strategy, level, k) => {
    const data = sample(kind, 100 + k, 300 * KiB);
    const compressed = new Uint8Array(zlib.deflateRawSync(data, { level, strategy }));
    for (const step of [1 + (level % 3), 1000, 64 * KiB, compressed.length]) {
      if (step === 1 + (level % 3) && compressed.length > 100 * KiB) continue; // byte by byte: only the small streams
      const { out, done } = inflate(compressed, step);
      expect(done, `step ${step}`).toBe(true);
      expect(out.equals(data), `step ${step}`).toBe(true);
    }
  });

  it('empty input, one byte, and 3 MiB of zeros (the longest matches, back to back)', () => {
    for (const data of [new Uint8Array(0), Uint8Array.of(7), new Uint8Array(3 * KiB * KiB)]) {
      const compressed = new Uint8Array(zlib.deflateRawSync(data, { level: 9 }));
      expect(inflate(compressed, 4096).out.equals(data)).toBe(true);
    }
  });

  it('a stored block of 65,535 bytes pushed across many calls', () => {
    const data = sample('random', 3, 65_535);
    const compressed = new Uint8Array(zlib.deflateRawSync(data, { level: 0 }));
    expect(compressed.length).toBeGreaterThanOrEqual(65_535 + 5);
    expect(inflate(compressed, 333).out.equals(data)).toBe(true);
  });
});

describe('Inflater: memory', () => {
  it('hands out views of one reused buffer, at most 160 KiB each: nothing is allocated per chunk', () => {
    const data = sample('words', 4, 2 * KiB * KiB);
    const { chunks, out } = inflate(new Uint8Array(zlib.deflateRawSync(data)), 16 * KiB);
    expect(out.equals(data)).toBe(true);
    expect(chunks.length).toBeGreaterThan(10);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(1);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(160 * KiB);
  });

  it('onData returning false stops: no more calls, push says so', () => {
    const compressed = new Uint8Array(zlib.deflateRawSync(sample('random', 5, 1024 * KiB), { level: 1 }));
    let calls = 0;
    const inflater = new Inflater(() => ++calls < 2);
    expect(inflater.push(compressed, true)).toBe(false);
    expect(calls).toBe(2);
    expect(inflater.push(compressed, true)).toBe(false);
    expect(calls).toBe(2);
  });

  it('rest() gives the bytes after the stream, and reset() starts another', () => {
    const a = new Uint8Array(zlib.deflateRawSync(Buffer.from('first stream')));
    const b = new Uint8Array(zlib.deflateRawSync(Buffer.from('second')));
    let text = '';
    const inflater = new Inflater((chunk) => void (text += Buffer.from(chunk).toString()));
    const both = Buffer.concat([a, Buffer.from('TRAILER!'), b]);
    expect(inflater.push(both, true)).toBe(false);
    expect(inflater.done).toBe(true);
    const rest = inflater.rest().slice();
    expect(Buffer.from(rest.subarray(0, 8)).toString()).toBe('TRAILER!');
    inflater.reset();
    inflater.push(rest.subarray(8), true);
    expect(text).toBe('first streamsecond');
  });
});

describe('Inflater: malformed data', () => {
  const decode = (data: Uint8Array): string => {
    try {
      inflate(data, data.length || 1);
      return 'ok';
    } catch (error) {
      if (!(error instanceof DeflateError)) throw error;
      return error.message;
    }
  };

  it.each([
    ['block type 3', bits([1, 1], [3, 2]), 'invalid block type'],
    ['stored LEN and NLEN that disagree', bits([1, 1], [0, 2], [0, 5], [10, 16], [10, 16]), 'invalid stored block lengths'],
    // Fixed codes: length code 257 (7 bits, 0000001) and distance code 0 (5 bits) as the first symbol.
    ['a match before any output', bits([1, 1], [1, 2], [1, 7, true], [0, 5, true], [0, 7, true]), 'invalid distance'],
    // Fixed codes: literal 'a' (8 bits, 0x30 + 0x61), then distance code 30, which does not exist.
    ['distance code 30', bits([1, 1], [1, 2], [0x91, 8, true], [1, 7, true], [30, 5, true], [0, 7, true]), 'invalid distance'],
    ['length code 286', bits([1, 1], [1, 2], [0xc6, 8, true], [0, 7, true]), 'invalid length/literal'],
    ['nothing at all', new Uint8Array(0), 'unexpected EOF'],
  ])('%s', (_name, data, message) => {
    expect(decode(data)).toBe(message);
  });

  it('a dynamic block without an end-of-block code, or with over-subscribed code lengths', () => {
    // HLIT 257, HDIST 1, HCLEN 4 (16, 17, 18, 0): code length code 18 (repeat zero 11-138) is the only one used.
    const clen = (lengths: number[]) => lengths.map((l) => [l, 3] as [number, number]);
    const noEnd = bits([1, 1], [2, 2], [0, 5], [0, 5], [0, 4], ...clen([0, 0, 1, 0]), [0, 1, true], [127, 7], [0, 1, true], [127, 7], [0, 1, true], [0, 7]);
    expect(decode(noEnd)).toBe('invalid code lengths');
    // Three code length codes of 1 bit: over-subscribed.
    expect(decode(bits([1, 1], [2, 2], [0, 5], [0, 5], [0, 4], ...clen([1, 1, 1, 0]), [0, 64]))).toBe('invalid code lengths');
  });

  it('a stream cut anywhere is a DeflateError, never a silent prefix', () => {
    const data = sample('words', 6, 20 * KiB);
    for (const level of [0, 1, 9]) {
      const compressed = new Uint8Array(zlib.deflateRawSync(data, { level }));
      for (let cut = 0; cut < compressed.length; cut += level === 0 ? 97 : 1) {
        expect(decode(compressed.subarray(0, cut)), `level ${level}, cut at ${cut}`).not.toBe('ok');
      }
    }
  });

  it('random damage: fails where zlib fails, and gives zlib output where zlib succeeds', () => {
    const random = mulberry32(7);
    const tally = { same: 0, bothFail: 0 };
    for (let i = 0; i < 150; i++) {
      const kind = (['random', 'abcd', 'words', 'runs'] as const)[i % 4];
      const data = sample(kind, 1000 + i, Math.floor(random() * 50 * KiB));
      const damaged = new Uint8Array(zlib.deflateRawSync(data, { level: 1 + (i % 9), strategy: i % 5 }));
      for (let f = 0; f < 3; f++) damaged[Math.floor(random() * damaged.length)]! ^= 1 << Math.floor(random() * 8);
      let expected: Buffer | null = null;
      try {
        expected = zlib.inflateRawSync(damaged);
      } catch {
        expected = null;
      }
      const got = decode(damaged) === 'ok' ? inflate(damaged, 777).out : null;
      expect(got === null, `sample ${i}`).toBe(expected === null);
      if (got !== null && expected !== null) expect(got.equals(expected), `sample ${i}`).toBe(true);
      tally[got === null ? 'bothFail' : 'same']++;
    }
    expect(tally.same).toBeGreaterThan(20);
    expect(tally.bothFail).toBeGreaterThan(20);
  });
});

describe('Inflater: checkpoints', () => {
  /** Decodes `data`, taking a checkpoint at every chunk; then resumes from each and compares with the first pass. */
  function resumeEverywhere(data: Uint8Array, step: number): { checkpoints: number; kinds: Set<string> } {
    const compressed = new Uint8Array(zlib.deflateRawSync(data, { level: 6 }));
    const checkpoints: InflateCheckpoint[] = [];
    const inflater: Inflater = new Inflater(() => void checkpoints.push(inflater.checkpoint()));
    for (let at = 0; at < compressed.length; at += step) inflater.push(compressed.subarray(at, at + step), at + step >= compressed.length);
    for (const checkpoint of checkpoints) {
      const parts: Uint8Array[] = [];
      const resumed = Inflater.resume(checkpoint, (chunk) => void parts.push(chunk.slice()));
      const from = Math.floor(checkpoint.bit / 8);
      for (let at = from; at < compressed.length; at += step) resumed.push(compressed.subarray(at, at + step), at + step >= compressed.length);
      expect(resumed.done).toBe(true);
      expect(Buffer.concat(parts).equals(Buffer.from(data.subarray(checkpoint.out))), `resumed at output ${checkpoint.out}`).toBe(true);
      expect(checkpoint.window).toEqual(data.subarray(Math.max(0, checkpoint.out - 32 * KiB), checkpoint.out));
    }
    return { checkpoints: checkpoints.length, kinds: new Set(checkpoints.map((c) => `${c.state}${c.lengths === null ? '' : ' dynamic'}`)) };
  }

  it('resuming from the start of any chunk gives the rest of the output (dynamic, fixed and stored blocks)', () => {
    const words = resumeEverywhere(sample('words', 8, 3 * KiB * KiB), 64 * KiB);
    expect(words.checkpoints).toBeGreaterThan(10);
    expect(words.kinds).toContain('codes dynamic');
    const random = resumeEverywhere(sample('random', 9, KiB * KiB), 7000);
    expect(random.kinds).toContain('stored');
  });

  it('counts input from the offset given to reset, as a gzip member inside a file does', () => {
    const data = sample('runs', 10, 500 * KiB);
    const compressed = new Uint8Array(zlib.deflateRawSync(data));
    const file = Buffer.concat([Buffer.alloc(1000, 7), compressed]);
    let checkpoint: InflateCheckpoint | null = null;
    let calls = 0;
    const inflater: Inflater = new Inflater(() => {
      if (++calls === 2) checkpoint = inflater.checkpoint();
    });
    inflater.reset(1000);
    inflater.push(file.subarray(1000), true);
    const cp = checkpoint as InflateCheckpoint | null;
    expect(cp!.bit).toBeGreaterThan(1000 * 8);
    const parts: Uint8Array[] = [];
    Inflater.resume(cp!, (chunk) => void parts.push(chunk.slice())).push(file.subarray(Math.floor(cp!.bit / 8)), true);
    expect(Buffer.concat(parts).equals(Buffer.from(data.subarray(cp!.out)))).toBe(true);
  });
});
