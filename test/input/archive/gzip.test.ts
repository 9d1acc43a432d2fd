import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { gunzipSync, gzipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { memorySource, type ByteSource } from '../../../src/input/archive/bytes';
import { gunzipStream } from '../../../src/input/archive/gzip';
import { Budget, CorruptError, DEFAULT_LIMITS, LimitError, RATIO_FLOOR, type ArchiveLimits } from '../../../src/input/archive/limits';
import { mulberry32, randomBytes } from '../../helpers/prng';
import { cat, thrown } from '../../helpers/bytes';
import { ranges } from '../../helpers/ranges';

const MiB = 1024 * 1024;
const root = fileURLToPath(new URL('../../..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'smf-gzip-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Text that compresses like source code (about 3-5x). */
function sourceLike(seed: number, n: number): Uint8Array {
  const random = mulberry32(seed);
  const words = ['const', 'return', 'function', 'import', 'export', '=>', '{', '}', '(', ')', ';', 'value', 'index', 'map', 'sources', '\n'];
  let s = '';
  while (s.length < n) s += `${words[Math.floor(random() * words.length)]}${random() < 0.5 ? ' ' : ''}${Math.floor(random() * 1000)}`;
  return strToU8(s.slice(0, n));
}

/** Inflates with gunzipStream, keeping copies of the chunks. */
function gunzip(bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}, offset = 0): { out: Uint8Array; chunks: number; budget: Budget } {
  const budget = new Budget({ ...DEFAULT_LIMITS, ...limits });
  const parts: Uint8Array[] = [];
  gunzipStream(memorySource(bytes), offset, budget, 'test.gz', (chunk) => {
    parts.push(chunk.slice());
  });
  return { out: cat(...parts), chunks: parts.length, budget };
}

/** A ByteSource that records how many bytes were asked and returned. */
function countingSource(bytes: Uint8Array): ByteSource & { returned: number } {
  const inner = memorySource(bytes);
  const source = {
    size: inner.size,
    returned: 0,
    read(offset: number, length: number): Uint8Array {
      const out = inner.read(offset, length);
      source.returned += out.length;
      return out;
    },
  };
  return source;
}

/** 'equal', or where two byte arrays first differ (toEqual walks big typed arrays one element at a time: slow). */
function sameBytes(a: Uint8Array, b: Uint8Array): string {
  if (Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))) return 'equal';
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `lengths ${a.length} and ${b.length}, first difference at ${i}`;
}

describe('gunzipStream: output', () => {
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['one byte', strToU8('x')],
    ['1000 random bytes', randomBytes(1, 1000)],
    ['100 kB random', randomBytes(2, 100_000)],
    ['1 MiB source-like', sourceLike(3, MiB)],
    ['3 MiB zeros', new Uint8Array(3 * MiB)],
  ];

  for (const level of [0, 1, 6, 9] as const) {
    it.each(cases)(`equals fflate gunzipSync and zlib (level ${level}): %s`, (_name, data) => {
      const gz = gzipSync(data, { level });
      const { out, budget } = gunzip(gz);
      expect(sameBytes(out, gunzipSync(gz))).toBe('equal');
      expect(sameBytes(out, zlib.gunzipSync(gz))).toBe('equal');
      expect(sameBytes(out, data)).toBe('equal');
      expect(budget.inflated).toBe(data.length);
    });
  }

  it('the committed cli.js.map.gz inflates to the demo map', () => {
    const gz = new Uint8Array(readFileSync(join(root, 'fixtures/archives/cli.js.map.gz')));
    expect(sameBytes(gunzip(gz).out, readFileSync(join(root, 'fixtures/demo/cli.js.map')))).toBe('equal');
  });

  it('reads the output of the system gzip (FNAME set in the header)', () => {
    const data = sourceLike(4, 50_000);
    const file = join(temp, 'named.js');
    writeFileSync(file, data);
    const gz = new Uint8Array(execFileSync('gzip', ['-c', '-9', file]));
    expect(gz[3]! & 0x08).toBe(0x08); // FNAME
    expect(sameBytes(gunzip(gz).out, data)).toBe('equal');
  });

  it('skips FEXTRA, FNAME, FCOMMENT and FHCRC (RFC 1952 2.3.1)', () => {
    const data = sourceLike(5, 5000);
    const plain = gzipSync(data, { level: 6 });
    const body = plain.subarray(10); // deflate data, CRC32, ISIZE
    const extra = Uint8Array.of(0x41, 0x42, 4, 0, 1, 2, 3, 4); // SI1 SI2 LEN=4, 4 bytes
    const head = cat(
      Uint8Array.of(0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3),
      Uint8Array.of(extra.length, 0),
      extra,
      strToU8('name.js\0'),
      strToU8('a comment\0'),
    );
    const crc16 = zlib.crc32(head) & 0xffff;
    const gz = cat(head, Uint8Array.of(crc16 & 0xff, crc16 >> 8), body);
    expect(new Uint8Array(zlib.gunzipSync(gz))).toEqual(data);
    expect(gunzip(gz).out).toEqual(data);
  });

  it('starts at the given offset', () => {
    const data = randomBytes(6, 40_000);
    const bytes = cat(randomBytes(7, 100), gzipSync(data));
    expect(sameBytes(gunzip(bytes, {}, 100).out, data)).toBe('equal');
  });

  it('multi-member: two concatenated gzip streams yield both (as zlib does)', () => {
    const a = sourceLike(8, 70_000);
    const b = randomBytes(9, 30_000);
    const gz = cat(gzipSync(a, { level: 9 }), gzipSync(b, { level: 1 }));
    const { out, budget } = gunzip(gz);
    expect(sameBytes(out, cat(a, b))).toBe('equal');
    expect(sameBytes(out, zlib.gunzipSync(gz))).toBe('equal');
    expect(budget.inflated).toBe(a.length + b.length);
  });

  it('multi-member: three small members, the middle one empty', () => {
    const gz = cat(gzipSync(strToU8('hello ')), gzipSync(new Uint8Array(0)), gzipSync(strToU8('world')));
    expect(new TextDecoder().decode(gunzip(gz).out)).toBe('hello world');
  });
});

describe('gunzipStream: corrupt input', () => {
  const data = sourceLike(10, 20_000);
  const gz = gzipSync(data, { level: 6 });

  it('a bad magic is a CorruptError', () => {
    const bad = gz.slice();
    bad[0] = 0x1e;
    expect(() => gunzip(bad)).toThrow(new CorruptError('test.gz is not valid gzip: invalid gzip data'));
  });

  it('a compression method other than deflate is a CorruptError', () => {
    const bad = gz.slice();
    bad[2] = 7;
    expect(() => gunzip(bad)).toThrow(CorruptError);
  });

  it('a reserved deflate block type (BTYPE 11) is a CorruptError', () => {
    const bad = gz.slice();
    bad[10] = 0x07; // BFINAL 1, BTYPE 11
    expect(() => gunzip(bad)).toThrow(new CorruptError('test.gz is not valid gzip: invalid block type'));
  });

  // RFC 1952 2.2: a member is a header, compressed blocks, then CRC32 and ISIZE; a stream that ends inside the
  // compressed blocks is not a gzip file. Node's zlib rejects every such cut ("unexpected end of file").
  it('a cut anywhere inside the deflate data is a CorruptError (as zlib says)', () => {
    const small = gzipSync(sourceLike(17, 8000), { level: 6 });
    const quiet: number[] = [];
    for (let cut = 11; cut < small.length - 8; cut++) {
      expect(() => zlib.gunzipSync(small.subarray(0, cut)), `zlib, cut at ${cut}`).toThrow(/unexpected end of file/);
      try {
        gunzip(small.subarray(0, cut));
        quiet.push(cut);
      } catch (error) {
        if (!(error instanceof CorruptError)) throw error;
      }
    }
    // How many cuts ended without an error, and the first few of them.
    expect({ quiet: quiet.length, first: quiet.slice(0, 5) }).toEqual({ quiet: 0, first: [] });
  });

  it('a cut stream reports unexpected EOF', () => {
    expect(() => gunzip(gz.subarray(0, gz.length >> 1))).toThrow(new CorruptError('test.gz is not valid gzip: unexpected EOF'));
  });

  // RFC 1952 2.2: a member is a header (10 bytes and the optional fields), compressed blocks, then CRC32 and ISIZE
  // (8 bytes). Input that ends before a member is complete is not a gzip file; `gzip -d` and Node's zlib both say
  // "unexpected end of file" for a cut in the header and for a cut in the trailer.
  it('a cut inside the 10-byte header or the 8-byte trailer is a CorruptError (as gzip -d and zlib say)', () => {
    const cuts = [...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 8 }, (_, i) => gz.length - 8 + i)];
    for (const cut of [5, 10, gz.length - 8, gz.length - 1]) {
      expect(() => zlib.gunzipSync(gz.subarray(0, cut)), `zlib, cut at ${cut}`).toThrow(/unexpected end of file/);
    }
    const quiet = cuts.filter((cut) => {
      try {
        gunzip(gz.subarray(0, cut));
        return true;
      } catch (error) {
        return !(error instanceof CorruptError);
      }
    });
    expect(ranges(quiet)).toEqual([]);
  });

  // The doc comment: "Stops as soon as a limit is hit (the LimitError propagates) or `onData` returns false." Bytes
  // after that point are not the caller's business; open.ts returns false once the tar inside has ended.
  it('after onData returned false, what follows in the input is not judged', () => {
    const bytes = cat(gz, strToU8('garbage after the member'));
    let calls = 0;
    expect(() =>
      gunzipStream(memorySource(bytes), 0, new Budget(DEFAULT_LIMITS), 'test.gz', () => {
        calls++;
        return false;
      }),
    ).not.toThrow();
    expect(calls).toBe(1);
  });

  it('a second member that is not gzip is a CorruptError', () => {
    expect(() => gunzip(cat(gz, strToU8('garbage after the member')))).toThrow(new CorruptError('test.gz is not valid gzip: invalid gzip data'));
  });
});

describe('gunzipStream: limits', () => {
  const bomb = gzipSync(new Uint8Array(64 * MiB), { level: 9 });

  it('the bomb is a real one (ratio over 1000)', () => {
    expect(bomb.length).toBeLessThan(64 * 1024);
  });

  it('a gzip of 64 MiB of zeros stops with LimitError(maxRatio) after inflating less than 40 MiB', () => {
    const budget = new Budget(DEFAULT_LIMITS);
    let delivered = 0;
    const error = thrown(() =>
      gunzipStream(memorySource(bomb), 0, budget, 'bomb.gz', (chunk) => {
        delivered += chunk.length;
      }),
    );
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ limit: 'maxRatio', value: 200, message: 'bomb.gz inflates more than 200 times its compressed size' });
    expect(budget.inflated).toBeGreaterThan(RATIO_FLOOR);
    expect(budget.inflated).toBeLessThan(40 * MiB);
    // The chunk that tripped the limit was counted but not handed over.
    expect(delivered).toBeLessThan(budget.inflated);
  });

  it('the same bomb inflates whole when maxRatio allows it', () => {
    const { budget } = { budget: new Budget({ ...DEFAULT_LIMITS, maxRatio: 5000 }) };
    let delivered = 0;
    gunzipStream(memorySource(bomb), 0, budget, 'bomb.gz', (chunk) => {
      delivered += chunk.length;
    });
    expect(delivered).toBe(64 * MiB);
    expect(budget.inflated).toBe(64 * MiB);
  });

  it('well compressible data past the ratio floor but under maxRatio passes', () => {
    const data = sourceLike(11, 20 * MiB);
    const gz = gzipSync(data, { level: 6 });
    expect(data.length / gz.length).toBeLessThan(200);
    expect(gunzip(gz).out.length).toBe(data.length);
  });

  it('maxTotalBytes small: LimitError(maxTotalBytes) and onData never sees bytes past the limit', () => {
    const gz = gzipSync(randomBytes(12, 100_000));
    const budget = new Budget({ ...DEFAULT_LIMITS, maxTotalBytes: 1000 });
    let delivered = 0;
    const error = thrown(() =>
      gunzipStream(memorySource(gz), 0, budget, 'x.gz', (chunk) => {
        delivered += chunk.length;
      }),
    );
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ limit: 'maxTotalBytes', value: 1000 });
    expect(delivered).toBeLessThanOrEqual(1000);
    expect(budget.inflated).toBeGreaterThan(1000);
  });

  it('maxTotalBytes is shared by streams that share a budget', () => {
    const gz = gzipSync(randomBytes(13, 600));
    const budget = new Budget({ ...DEFAULT_LIMITS, maxTotalBytes: 1000 });
    gunzipStream(memorySource(gz), 0, budget, 'a.gz', () => true);
    expect(budget.inflated).toBe(600);
    expect(() => gunzipStream(memorySource(gz), 0, budget, 'b.gz', () => true)).toThrow(new LimitError('maxTotalBytes', 1000, 'more than 1000 bytes inflated in all'));
  });

  it('onData returning false stops early: no more calls, the rest of the input is not read', () => {
    const data = randomBytes(14, MiB); // incompressible: output comes out as input goes in
    const gz = gzipSync(data, { level: 1 });
    const source = countingSource(gz);
    let calls = 0;
    gunzipStream(source, 0, new Budget(DEFAULT_LIMITS), 'x.gz', () => {
      calls++;
      return false;
    });
    expect(calls).toBe(1);
    expect(source.returned).toBeLessThan(gz.length / 4);
  });

  it('onData returning false on the third call: exactly three calls, and corrupt bytes further on are never met', () => {
    const data = randomBytes(15, MiB);
    const gz = gzipSync(data, { level: 1 });
    const damaged = gz.slice();
    damaged.fill(0xff, gz.length - 100_000, gz.length - 8);
    expect(() => gunzip(damaged)).toThrow(CorruptError);
    let calls = 0;
    const parts: Uint8Array[] = [];
    gunzipStream(memorySource(damaged), 0, new Budget(DEFAULT_LIMITS), 'x.gz', (chunk) => {
      parts.push(chunk.slice());
      return ++calls < 3;
    });
    expect(calls).toBe(3);
    const out = cat(...parts);
    expect(out.length).toBeGreaterThan(0);
    expect(sameBytes(out, data.subarray(0, out.length))).toBe('equal');
  });

  it('onData returning undefined or true goes on', () => {
    const gz = gzipSync(randomBytes(16, 200_000), { level: 1 });
    let calls = 0;
    gunzipStream(memorySource(gz), 0, new Budget(DEFAULT_LIMITS), 'x.gz', () => {
      calls++;
      return calls % 2 === 0 ? true : undefined;
    });
    expect(calls).toBeGreaterThan(3);
  });
});
