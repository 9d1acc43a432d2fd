import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { deflateSync, strToU8, zipSync, type Zippable } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { memorySource, type ByteSource } from '../../../src/input/archive/bytes';
import { Budget, CorruptError, DEFAULT_LIMITS, LimitError, type ArchiveLimits } from '../../../src/input/archive/limits';
import { openZip } from '../../../src/input/archive/zip';
import { mulberry32, randomBytes } from '../../helpers/prng';
import { cat, thrown } from '../../helpers/bytes';

const MiB = 1024 * 1024;
const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'fixtures/archives', name)));
const temp = mkdtempSync(join(tmpdir(), 'smf-zip-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const utf8 = (text: string): Uint8Array => strToU8(text);
const budgetOf = (limits: Partial<ArchiveLimits> = {}): Budget => new Budget({ ...DEFAULT_LIMITS, ...limits });
const open = (bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}) => openZip(memorySource(bytes), budgetOf(limits));

/** Text that compresses like source code. */
function sourceLike(seed: number, n: number): Uint8Array {
  const random = mulberry32(seed);
  const words = ['const', 'return', 'function', 'import', 'export', '=>', '{', '}', ';', 'value', 'map', 'sources', '\n'];
  let s = '';
  while (s.length < n) s += `${words[Math.floor(random() * words.length)]} ${Math.floor(random() * 100)}`;
  return utf8(s.slice(0, n));
}

const u16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const put16 = (b: Uint8Array, i: number, v: number): void => void b.set([v & 0xff, (v >>> 8) & 0xff], i);
const put32 = (b: Uint8Array, i: number, v: number): void => void b.set([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff], i);

/** Offsets of the central directory records of a (non-ZIP64) zip, found from its end record. */
function centralRecords(zip: Uint8Array): number[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && u32(zip, eocd) !== 0x06054b50) eocd--;
  const count = u16(zip, eocd + 10);
  let at = eocd - u32(zip, eocd + 12);
  const out: number[] = [];
  for (let n = 0; n < count; n++) {
    expect(u32(zip, at)).toBe(0x02014b50);
    out.push(at);
    at += 46 + u16(zip, at + 28) + u16(zip, at + 30) + u16(zip, at + 32);
  }
  return out;
}

/** The central record of the entry named `name`. */
function centralOf(zip: Uint8Array, name: string): number {
  const at = centralRecords(zip).find((r) => new TextDecoder().decode(zip.subarray(r + 46, r + 46 + u16(zip, r + 28))) === name);
  if (at === undefined) throw new Error(`no central record for ${name}`);
  return at;
}

// ---------------------------------------------------------------------------------------------------------------
// A zip writer for crafted cases (PKWARE APPNOTE 6.3.x, sections 4.3.7 local header, 4.3.12 central directory
// header, 4.3.14-4.3.16 ZIP64 end records and end record, 4.5.3 ZIP64 extra field).

interface Spec {
  name: string | Uint8Array;
  data: Uint8Array;
  /** 0 stored, 8 deflated (default), or anything to write as is. */
  method?: number;
  /** The bytes stored (default: `data`, deflated for method 8). */
  stored?: Uint8Array;
  flags?: number;
  external?: number;
  /** Sizes and offset as 0xFFFFFFFF with a ZIP64 extra field holding them. */
  zip64?: boolean;
}

interface Built {
  bytes: Uint8Array;
  /** Where each entry's local header is, from the start of `bytes`. */
  locals: number[];
  /** Where each entry's data is. */
  dataAt: number[];
  stored: Uint8Array[];
}

function buildZip(specs: Spec[], options: { prepend?: Uint8Array; zip64End?: boolean; comment?: string } = {}): Built {
  const prepend = options.prepend ?? new Uint8Array(0);
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const locals: number[] = [];
  const dataAt: number[] = [];
  const storedAll: Uint8Array[] = [];
  let at = 0; // relative to the start of the zip, after `prepend`
  for (const spec of specs) {
    const name = typeof spec.name === 'string' ? utf8(spec.name) : spec.name;
    const method = spec.method ?? 8;
    const stored = spec.stored ?? (method === 8 ? deflateSync(spec.data, { level: 6 }) : spec.data);
    const crc = crc32(spec.data);
    const flags = spec.flags ?? (typeof spec.name === 'string' && /[^\x20-\x7e]/.test(spec.name) ? 0x800 : 0);
    const z = spec.zip64 === true;
    const localExtra = new Uint8Array(z ? 20 : 0);
    if (z) {
      put16(localExtra, 0, 1);
      put16(localExtra, 2, 16);
      put32(localExtra, 4, spec.data.length);
      put32(localExtra, 12, stored.length);
    }
    const local = new Uint8Array(30);
    put32(local, 0, 0x04034b50);
    put16(local, 4, z ? 45 : 20);
    put16(local, 6, flags);
    put16(local, 8, method);
    put16(local, 10, 0);
    put16(local, 12, 0x21);
    put32(local, 14, crc);
    put32(local, 18, z ? 0xffffffff : stored.length);
    put32(local, 22, z ? 0xffffffff : spec.data.length);
    put16(local, 26, name.length);
    put16(local, 28, localExtra.length);
    locals.push(prepend.length + at);
    dataAt.push(prepend.length + at + 30 + name.length + localExtra.length);
    storedAll.push(stored);
    parts.push(local, name, localExtra, stored);

    const centralExtra = new Uint8Array(z ? 28 : 0);
    if (z) {
      put16(centralExtra, 0, 1);
      put16(centralExtra, 2, 24);
      put32(centralExtra, 4, spec.data.length);
      put32(centralExtra, 12, stored.length);
      put32(centralExtra, 20, at);
    }
    const record = new Uint8Array(46);
    put32(record, 0, 0x02014b50);
    put16(record, 4, 0x031e); // made by: unix, 3.0
    put16(record, 6, z ? 45 : 20);
    put16(record, 8, flags);
    put16(record, 10, method);
    put16(record, 12, 0);
    put16(record, 14, 0x21);
    put32(record, 16, crc);
    put32(record, 20, z ? 0xffffffff : stored.length);
    put32(record, 24, z ? 0xffffffff : spec.data.length);
    put16(record, 28, name.length);
    put16(record, 30, centralExtra.length);
    put16(record, 32, 0);
    put32(record, 38, spec.external ?? 0o100644 << 16);
    put32(record, 42, z ? 0xffffffff : at);
    central.push(record, name, centralExtra);
    at += 30 + name.length + localExtra.length + stored.length;
  }
  const cdOffset = at;
  const cd = cat(...central);
  at += cd.length;
  const tail: Uint8Array[] = [];
  if (options.zip64End) {
    const record = new Uint8Array(56);
    put32(record, 0, 0x06064b50);
    put32(record, 4, 44); // size of the rest of the record (8 bytes)
    put16(record, 12, 0x031e);
    put16(record, 14, 45);
    put32(record, 24, specs.length); // entries on this disk (8 bytes)
    put32(record, 32, specs.length); // entries (8 bytes)
    put32(record, 40, cd.length); // central directory size (8 bytes)
    put32(record, 48, cdOffset); // central directory offset (8 bytes)
    const locator = new Uint8Array(20);
    put32(locator, 0, 0x07064b50);
    put32(locator, 8, at); // offset of the ZIP64 end record (8 bytes)
    put32(locator, 16, 1); // total disks
    tail.push(record, locator);
  }
  const comment = utf8(options.comment ?? '');
  const eocd = new Uint8Array(22);
  put32(eocd, 0, 0x06054b50);
  put16(eocd, 8, options.zip64End ? 0xffff : specs.length);
  put16(eocd, 10, options.zip64End ? 0xffff : specs.length);
  put32(eocd, 12, options.zip64End ? 0xffffffff : cd.length);
  put32(eocd, 16, options.zip64End ? 0xffffffff : cdOffset);
  put16(eocd, 20, comment.length);
  return { bytes: cat(prepend, ...parts, cd, ...tail, eocd, comment), locals, dataAt, stored: storedAll };
}

/** `unzip -t`: the system's Info-ZIP as an independent judge. */
function unzipTest(bytes: Uint8Array, name: string): string {
  const file = join(temp, name);
  writeFileSync(file, bytes);
  const r = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

/** Reads every entry, keyed by name. */
function readAll(bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}): Map<string, Uint8Array> {
  const zip = open(bytes, limits);
  return new Map(zip.entries.map((e) => [e.name, zip.read(e)]));
}

/** A ByteSource that records the ranges it returned. */
function countingSource(bytes: Uint8Array): ByteSource & { reads: [number, number][] } {
  const inner = memorySource(bytes);
  const source = {
    size: inner.size,
    reads: [] as [number, number][],
    read(offset: number, length: number): Uint8Array {
      const out = inner.read(offset, length);
      source.reads.push([offset, out.length]);
      return out;
    },
  };
  return source;
}

// ---------------------------------------------------------------------------------------------------------------

describe('openZip: entries of ordinary zips', () => {
  const FILES: Record<string, Uint8Array> = {
    'stored.txt': utf8('stored, not compressed\n'),
    'deflated.js.map': sourceLike(1, 50_000),
    'random.bin': randomBytes(2, 3000),
    'empty.js': new Uint8Array(0),
    'dossier/é-日本-😀.js': utf8('unicode name\n'),
  };
  const zippable: Zippable = {
    'stored.txt': [FILES['stored.txt']!, { level: 0 }],
    'deflated.js.map': [FILES['deflated.js.map']!, { level: 9 }],
    'random.bin': [FILES['random.bin']!, { level: 6 }],
    'empty.js': FILES['empty.js']!,
    'dossier/é-日本-😀.js': [FILES['dossier/é-日本-😀.js']!, { level: 6 }],
  };
  const zip = zipSync(zippable);

  it('lists every file in central-directory order with its method', () => {
    const opened = open(zip);
    expect(opened.entries.map((e) => [e.name, e.method, e.encrypted])).toEqual([
      ['stored.txt', 0, false],
      ['deflated.js.map', 8, false],
      ['random.bin', 8, false],
      ['empty.js', 8, false], // fflate deflates even an empty file
      ['dossier/é-日本-😀.js', 8, false],
    ]);
    expect(unzipTest(zip, 'plain.zip')).toContain('No errors detected');
  });

  it('reads every entry back byte for byte, and counts what it inflated', () => {
    const budget = budgetOf();
    const opened = openZip(memorySource(zip), budget);
    expect(budget.entries).toBe(5);
    let total = 0;
    for (const entry of opened.entries) {
      const data = opened.read(entry);
      expect(Buffer.from(data).equals(Buffer.from(FILES[entry.name]!)), entry.name).toBe(true);
      total += data.length;
    }
    expect(budget.inflated).toBe(total);
  });

  it('reports declared compressed sizes and local header offsets as the central directory has them', () => {
    const opened = open(zip);
    for (const entry of opened.entries) {
      const r = centralOf(zip, entry.name);
      expect(entry.compressedSize).toBe(u32(zip, r + 20));
      expect(entry.localOffset).toBe(u32(zip, r + 42));
      expect(u32(zip, entry.localOffset)).toBe(0x04034b50);
    }
  });

  it('decodes names as UTF-8 when bit 11 is set', () => {
    const built = buildZip([{ name: 'ü/日本.js.map', data: utf8('x'), flags: 0x800 }]);
    expect(open(built.bytes).entries.map((e) => e.name)).toEqual(['ü/日本.js.map']);
  });

  it('an empty zip (only the end record) has no entries', () => {
    const empty = zipSync({});
    expect(open(empty).entries).toEqual([]);
  });

  it('an archive comment after the end record does not matter', () => {
    const built = buildZip([{ name: 'a.js', data: utf8('a') }], { comment: 'a comment of some length' });
    expect(unzipTest(built.bytes, 'comment.zip')).toContain('No errors detected');
    expect([...readAll(built.bytes)]).toEqual([['a.js', utf8('a')]]);
  });

  it('a zip with data descriptors (zip -fd) reads from the central directory sizes', () => {
    const dir = join(temp, 'dd');
    mkdirSync(dir);
    const data = sourceLike(3, 20_000);
    writeFileSync(join(dir, 'a.js'), data);
    const file = join(temp, 'dd.zip');
    execFileSync('zip', ['-q', '-X', '-fd', file, 'a.js'], { cwd: dir });
    const bytes = new Uint8Array(readFileSync(file));
    expect(u16(bytes, 6) & 0x08).toBe(0x08); // the local header says: sizes follow the data
    const read = readAll(bytes);
    expect([...read.keys()]).toEqual(['a.js']);
    expect(Buffer.from(read.get('a.js')!).equals(Buffer.from(data))).toBe(true);
  });
});

describe('openZip: what is not a file', () => {
  it('a zip by the system zip: directories and a unix symlink are skipped (unzip -Z1 lists them)', () => {
    const dir = join(temp, 'tree');
    mkdirSync(join(dir, 'sub/inner'), { recursive: true });
    writeFileSync(join(dir, 'a.js'), 'a();\n');
    writeFileSync(join(dir, 'sub/inner/b.js'), 'b();\n');
    symlinkSync('a.js', join(dir, 'link.js'));
    const file = join(temp, 'tree.zip');
    execFileSync('zip', ['-q', '-r', '-y', '-X', file, 'a.js', 'sub', 'link.js'], { cwd: dir });
    const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').slice(0, -1);
    expect(listing).toEqual(['a.js', 'sub/', 'sub/inner/', 'sub/inner/b.js', 'link.js']);
    const bytes = new Uint8Array(readFileSync(file));
    expect(u32(bytes, centralOf(bytes, 'link.js') + 38) >>> 16).toBe(0o120777);
    const read = readAll(bytes);
    expect([...read]).toEqual([
      ['a.js', utf8('a();\n')],
      ['sub/inner/b.js', utf8('b();\n')],
    ]);
  });

  it('unix modes in the external attributes (patched): links and directories go, regular and mode-less files stay', () => {
    const zip = zipSync({ 'file.js': utf8('f'), 'link.js': utf8('target.js'), 'dir': new Uint8Array(0), 'dos.js': utf8('d'), 'dir2/': new Uint8Array(0) });
    put32(zip, centralOf(zip, 'file.js') + 38, (0o100644 << 16) >>> 0);
    put32(zip, centralOf(zip, 'link.js') + 38, (0o120777 << 16) >>> 0);
    put32(zip, centralOf(zip, 'dir') + 38, ((0o040755 << 16) | 0x10) >>> 0);
    put32(zip, centralOf(zip, 'dos.js') + 38, 0x20); // MS-DOS archive bit only
    expect(open(zip).entries.map((e) => e.name)).toEqual(['file.js', 'dos.js']);
  });

  it('directories and links still count as entries against maxEntries', () => {
    const zip = zipSync({ 'a/': new Uint8Array(0), 'b/': new Uint8Array(0), 'c.js': utf8('c') });
    const budget = budgetOf();
    openZip(memorySource(zip), budget);
    expect(budget.entries).toBe(3);
  });
});

describe('openZip: bytes before the zip', () => {
  const zip = zipSync({ 'a.js': [sourceLike(4, 5000), { level: 6 }], 'b.txt': [utf8('bee'), { level: 0 }] });
  const prefixed = cat(randomBytes(5, 100), zip);

  it('100 bytes prepended (as a CRX or a self-extractor): entries rebased and readable', () => {
    const plain = open(zip);
    const moved = open(prefixed);
    expect(moved.entries.map((e) => ({ ...e, localOffset: e.localOffset - 100 }))).toEqual(plain.entries);
    expect(moved.read(moved.entries[0]!)).toEqual(sourceLike(4, 5000));
    expect(moved.read(moved.entries[1]!)).toEqual(utf8('bee'));
    expect(unzipTest(prefixed, 'prefixed.zip')).toContain('No errors detected');
  });

  it('a self-extractor whose offsets were adjusted to the file (zip -A) reads the same', () => {
    const file = join(temp, 'sfx.zip');
    writeFileSync(file, prefixed);
    execFileSync('zip', ['-q', '-A', file]);
    const adjusted = new Uint8Array(readFileSync(file));
    expect(u32(adjusted, centralRecords(adjusted)[0]! + 42)).toBe(100); // now counted from the start of the file
    const read = readAll(adjusted);
    expect([...read.keys()]).toEqual(['a.js', 'b.txt']);
    expect(read.get('a.js')).toEqual(sourceLike(4, 5000));
  });

  it('the committed CRX3 and CRX2 fixtures open as zips', () => {
    for (const name of ['acme-agent.crx', 'acme-agent-crx2.crx']) {
      const read = readAll(fixture(name));
      expect([...read.keys()], name).toEqual(['manifest.json', 'cli.js', 'cli.js.map']);
      expect(Buffer.from(read.get('cli.js.map')!).equals(readFileSync(join(root, 'fixtures/demo/cli.js.map'))), name).toBe(true);
    }
  });
});

describe('openZip: reading an entry', () => {
  it('a compressed size that runs past the end of the file is a CorruptError (truncated)', () => {
    const zip = zipSync({ 'a.js': [sourceLike(6, 4000), { level: 6 }], 'b.js': utf8('b') });
    put32(zip, centralOf(zip, 'a.js') + 20, zip.length);
    const opened = open(zip);
    expect(() => opened.read(opened.entries[0]!)).toThrow(new CorruptError('a.js: data runs past the end of the archive (truncated)'));
    expect(opened.read(opened.entries[1]!)).toEqual(utf8('b'));
  });

  it('a deflate stream cut in half is a CorruptError', () => {
    const data = sourceLike(7, 20_000);
    const full = deflateSync(data);
    const built = buildZip([{ name: 'cut.js', data, stored: full.subarray(0, full.length >> 1) }]);
    const opened = open(built.bytes);
    const error = thrown(() => opened.read(opened.entries[0]!));
    expect(error).toBeInstanceOf(CorruptError);
    expect((error as Error).message).toBe('cut.js: invalid deflate data (unexpected EOF)');
  });

  it('a deflate stream cut at any point is a CorruptError (not a silent prefix)', () => {
    const data = sourceLike(8, 6000);
    const full = deflateSync(data);
    const quiet: number[] = [];
    for (let cut = 1; cut < full.length; cut++) {
      const built = buildZip([{ name: 'cut.js', data, stored: full.subarray(0, cut) }]);
      const opened = open(built.bytes);
      try {
        opened.read(opened.entries[0]!);
        quiet.push(cut);
      } catch (error) {
        if (!(error instanceof CorruptError)) throw error;
      }
    }
    // How many cuts read without an error, and the first few of them.
    expect({ quiet: quiet.length, first: quiet.slice(0, 5) }).toEqual({ quiet: 0, first: [] });
  });

  it('a deflate stream of several pushes cut near the push boundaries is a CorruptError', () => {
    const data = randomBytes(20, 60_000); // incompressible: about 60 kB of deflate data, several 16 KiB pushes
    const full = deflateSync(data, { level: 1 });
    const cuts = [1, 2, 3, 100, full.length - 1, full.length - 2, full.length - 5];
    for (const boundary of [16384, 32768, 49152]) for (let d = -3; d <= 3; d++) cuts.push(boundary + d);
    for (const cut of cuts) {
      const built = buildZip([{ name: 'cut.bin', data, stored: full.subarray(0, cut) }]);
      const opened = open(built.bytes);
      expect(() => opened.read(opened.entries[0]!), `cut at ${cut}`).toThrow(CorruptError);
    }
  });

  // APPNOTE 4.4.5: method 8 is "Deflated", and RFC 1951 3.2.3 requires a deflate stream to hold at least one block,
  // the last with BFINAL set (an empty input deflates to the two bytes 03 00). A deflated entry with a compressed
  // size of 0 has no stream at all: its data is missing, it is not an empty file.
  it('a deflated entry with 0 compressed bytes is a CorruptError, not an empty file', () => {
    expect(deflateSync(new Uint8Array(0))).toEqual(Uint8Array.of(0x03, 0x00));
    const built = buildZip([{ name: 'gone.js', data: utf8('content that is not there'), stored: new Uint8Array(0) }]);
    const opened = open(built.bytes);
    expect(() => opened.read(opened.entries[0]!)).toThrow(CorruptError);
  });

  it('an unsupported method (12, bzip2, patched in both headers) is a CorruptError', () => {
    const zip = zipSync({ 'a.js': [utf8('a'.repeat(100)), { level: 6 }] });
    put16(zip, 8, 12);
    put16(zip, centralOf(zip, 'a.js') + 10, 12);
    const opened = open(zip);
    expect(opened.entries[0]!.method).toBe(12);
    expect(() => opened.read(opened.entries[0]!)).toThrow(new CorruptError('a.js: compression method 12 is not supported'));
  });

  it('the encrypted flag (bit 0) is a CorruptError on read, and shows in the entry', () => {
    const zip = zipSync({ 'secret.js': [utf8('s'.repeat(100)), { level: 6 }], 'open.js': utf8('o') });
    const r = centralOf(zip, 'secret.js');
    put16(zip, r + 8, u16(zip, r + 8) | 1);
    const opened = open(zip);
    expect(opened.entries.map((e) => [e.name, e.encrypted])).toEqual([
      ['secret.js', true],
      ['open.js', false],
    ]);
    expect(() => opened.read(opened.entries[0]!)).toThrow(new CorruptError('secret.js is encrypted'));
    expect(opened.read(opened.entries[1]!)).toEqual(utf8('o'));
  });

  it('a local header that is not where the central directory says is a CorruptError', () => {
    const zip = zipSync({ 'a.js': utf8('a') });
    zip[0] = 0x51;
    const opened = open(zip);
    expect(() => opened.read(opened.entries[0]!)).toThrow(new CorruptError('a.js: local header missing at offset 0'));
  });

  it('read(entry, n) of a deflated entry: the first n bytes, n counted, the rest of the data never read', () => {
    const data = randomBytes(9, 400_000); // incompressible: 400 kB of deflate data
    const built = buildZip([{ name: 'big.bin', data }]);
    const source = countingSource(built.bytes);
    const budget = budgetOf();
    const opened = openZip(source, budget);
    const entry = opened.entries[0]!;
    expect(entry.compressedSize).toBeGreaterThan(400_000);
    source.reads.length = 0;
    const head = opened.read(entry, 10);
    expect(head).toEqual(data.subarray(0, 10));
    expect(budget.inflated).toBe(10);
    const dataRead = source.reads.filter(([offset]) => offset >= built.dataAt[0]!).reduce((n, [, length]) => n + length, 0);
    expect(dataRead).toBeLessThan(entry.compressedSize / 10);
    // A later full read is still whole.
    expect(Buffer.from(opened.read(entry)).equals(Buffer.from(data))).toBe(true);
  });

  it('read(entry, n) of a stored entry: n bytes read, n counted', () => {
    const data = randomBytes(10, 100_000);
    const built = buildZip([{ name: 'stored.bin', data, method: 0 }]);
    const source = countingSource(built.bytes);
    const budget = budgetOf();
    const opened = openZip(source, budget);
    source.reads.length = 0;
    expect(opened.read(opened.entries[0]!, 512)).toEqual(data.subarray(0, 512));
    expect(budget.inflated).toBe(512);
    expect(source.reads).toEqual([
      [built.locals[0]!, 30],
      [built.dataAt[0]!, 512],
    ]);
  });

  it('read(entry, n) with n past the end gives the whole entry', () => {
    const zip = zipSync({ 'a.js': [utf8('short'), { level: 6 }], 'b.js': [utf8('also'), { level: 0 }] });
    const opened = open(zip);
    expect(opened.read(opened.entries[0]!, 1000)).toEqual(utf8('short'));
    expect(opened.read(opened.entries[1]!, 1000)).toEqual(utf8('also'));
  });

  it('declared uncompressed sizes that lie (1, or huge) change nothing; local header sizes are not used', () => {
    const data = sourceLike(11, 30_000);
    const zip = zipSync({ 'lie.js': [data, { level: 6 }], 'stored.js': [data, { level: 0 }] });
    for (const name of ['lie.js', 'stored.js']) {
      put32(zip, centralOf(zip, name) + 24, 1);
    }
    put32(zip, 18, 0);
    put32(zip, 22, 0);
    const read = readAll(zip);
    expect(Buffer.from(read.get('lie.js')!).equals(Buffer.from(data))).toBe(true);
    expect(Buffer.from(read.get('stored.js')!).equals(Buffer.from(data))).toBe(true);
    put32(zip, centralOf(zip, 'lie.js') + 24, 0xfffffffe);
    expect(Buffer.from(readAll(zip).get('lie.js')!).equals(Buffer.from(data))).toBe(true);
  });
});

describe('openZip: limits', () => {
  it('maxEntryBytes is judged on the real inflated bytes, not on a lying declared size', () => {
    const zip = zipSync({ 'zeros.bin': [new Uint8Array(10_000), { level: 9 }], 'small.js': utf8('s') });
    put32(zip, centralOf(zip, 'zeros.bin') + 24, 10); // claims 10 bytes
    const opened = open(zip, { maxEntryBytes: 5000 });
    const error = thrown(() => opened.read(opened.entries[0]!));
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ limit: 'maxEntryBytes', value: 5000, message: 'zeros.bin inflates past the per-entry limit' });
    expect(opened.read(opened.entries[1]!)).toEqual(utf8('s'));
  });

  it('maxEntryBytes: an entry of exactly the limit passes', () => {
    const zip = zipSync({ 'exact.bin': [new Uint8Array(5000).fill(7), { level: 9 }] });
    expect(readAll(zip, { maxEntryBytes: 5000 }).get('exact.bin')!.length).toBe(5000);
  });

  it('maxEntryBytes on a stored entry', () => {
    const zip = zipSync({ 'stored.bin': [randomBytes(12, 6000), { level: 0 }] });
    const opened = open(zip, { maxEntryBytes: 5000 });
    expect(() => opened.read(opened.entries[0]!)).toThrow(new LimitError('maxEntryBytes', 5000, 'stored.bin is over the per-entry limit'));
    expect(opened.read(opened.entries[0]!, 100)).toEqual(randomBytes(12, 100));
  });

  it('a head read of a big entry stays within the limit', () => {
    const zip = zipSync({ 'zeros.bin': [new Uint8Array(100_000), { level: 9 }] });
    const opened = open(zip, { maxEntryBytes: 5000 });
    expect(opened.read(opened.entries[0]!, 512)).toEqual(new Uint8Array(512));
  });

  it('maxEntries: the central directory entry past the limit throws LimitError(maxEntries)', () => {
    const zip = zipSync({ 'a.js': utf8('a'), 'b.js': utf8('b'), 'c.js': utf8('c'), 'd.js': utf8('d') });
    const error = thrown(() => open(zip, { maxEntries: 3 }));
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ limit: 'maxEntries', value: 3 });
    expect(open(zip, { maxEntries: 4 }).entries).toHaveLength(4);
  });

  it('maxTotalBytes counts reads of every entry', () => {
    const zip = zipSync({ 'a.bin': [randomBytes(13, 600), { level: 0 }], 'b.bin': [randomBytes(14, 600), { level: 6 }] });
    const opened = open(zip, { maxTotalBytes: 1000 });
    opened.read(opened.entries[0]!);
    expect(() => opened.read(opened.entries[1]!)).toThrow(new LimitError('maxTotalBytes', 1000, 'more than 1000 bytes inflated in all'));
  });

  it('bomb.zip: huge.js stops with LimitError(maxRatio) under 40 MiB inflated; ok.js.map reads', () => {
    const budget = budgetOf();
    const opened = openZip(memorySource(fixture('bomb.zip')), budget);
    expect(opened.entries.map((e) => e.name)).toEqual(['ok.js.map', 'huge.js']);
    expect(JSON.parse(new TextDecoder().decode(opened.read(opened.entries[0]!))).sourcesContent).toEqual(['ok\n']);
    const error = thrown(() => opened.read(opened.entries[1]!));
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ limit: 'maxRatio', value: 200 });
    expect(budget.inflated).toBeLessThan(40 * MiB);
  });

  it('bomb.zip: a head read of huge.js is cheap', () => {
    const budget = budgetOf();
    const opened = openZip(memorySource(fixture('bomb.zip')), budget);
    expect(opened.read(opened.entries[1]!, 512)).toEqual(new Uint8Array(512));
    expect(budget.inflated).toBe(512);
  });
});

describe('openZip: ZIP64', () => {
  const FILES: Spec[] = [
    { name: 'a.js.map', data: sourceLike(15, 20_000), zip64: true },
    { name: 'b.txt', data: utf8('stored'), method: 0, zip64: true },
    { name: 'c.js', data: utf8('plain 32-bit entry') },
  ];

  it('a crafted ZIP64 archive (placeholders in the end record, locator, ZIP64 end record, ZIP64 extra fields) opens', () => {
    const built = buildZip(FILES, { zip64End: true });
    expect(unzipTest(built.bytes, 'crafted64.zip')).toContain('No errors detected');
    const opened = open(built.bytes);
    expect(opened.entries.map((e) => [e.name, e.method, e.compressedSize, e.localOffset])).toEqual([
      ['a.js.map', 8, built.stored[0]!.length, built.locals[0]],
      ['b.txt', 0, 6, built.locals[1]],
      ['c.js', 8, built.stored[2]!.length, built.locals[2]],
    ]);
    const read = readAll(built.bytes);
    for (const f of FILES) expect(read.get(f.name as string), f.name as string).toEqual(f.data);
  });

  it('a ZIP64 archive from the system zip (zip -fz) opens', () => {
    const dir = join(temp, 'z64');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.js'), 'a();\n');
    writeFileSync(join(dir, 'b.js.map'), sourceLike(16, 10_000));
    const file = join(temp, 'fz.zip');
    execFileSync('zip', ['-q', '-X', '-fz', file, 'a.js', 'b.js.map'], { cwd: dir });
    const bytes = new Uint8Array(readFileSync(file));
    expect(u32(bytes, bytes.length - 22 + 16)).toBe(0xffffffff); // the end record defers to the ZIP64 one
    const read = readAll(bytes);
    expect([...read.keys()]).toEqual(['a.js', 'b.js.map']);
    expect(read.get('a.js')).toEqual(utf8('a();\n'));
    expect(read.get('b.js.map')).toEqual(sourceLike(16, 10_000));
  });

  it('a ZIP64 end record found neither where the locator says nor right before it is a CorruptError', () => {
    const built = buildZip(FILES, { zip64End: true });
    const locatorAt = built.bytes.length - 22 - 20;
    expect(u32(built.bytes, locatorAt)).toBe(0x07064b50);
    put32(built.bytes, locatorAt + 8, 3);
    // Like unzip, a record right before the locator is still found when the stated offset misses it.
    expect(() => open(built.bytes)).not.toThrow();
    put32(built.bytes, locatorAt - 56, 0x12345678);
    expect(() => open(built.bytes)).toThrow(new CorruptError('broken ZIP64 end-of-central-directory record'));
  });

  // APPNOTE 4.3.15: the locator holds the "relative offset of the zip64 end of central directory record", relative
  // to the start of the zip like every other offset; openZip rebases the others on where the central directory
  // really is, and says that prepended headers "need no special case". Info-ZIP's unzip extracts such a file
  // ("End-of-centdir-64 signature not where expected (prepended bytes?) ... No errors detected").
  it('a ZIP64 archive with 100 bytes prepended (a CRX3 around a ZIP64 zip) opens', () => {
    const built = buildZip(FILES, { zip64End: true, prepend: randomBytes(17, 100) });
    expect(unzipTest(built.bytes, 'prefixed64.zip')).toContain('No errors detected');
    const read = readAll(built.bytes);
    expect([...read.keys()]).toEqual(['a.js.map', 'b.txt', 'c.js']);
    for (const f of FILES) expect(read.get(f.name as string), f.name as string).toEqual(f.data);
  });
});

describe('openZip: broken archives', () => {
  it('no end-of-central-directory record is a CorruptError', () => {
    const message = 'no end-of-central-directory record (not a zip, or truncated)';
    expect(() => open(new Uint8Array(0))).toThrow(new CorruptError(message));
    expect(() => open(utf8('PK\x03\x04 but nothing else'))).toThrow(new CorruptError(message));
    expect(() => open(randomBytes(18, 100_000))).toThrow(new CorruptError(message));
    const zip = zipSync({ 'a.js': utf8('a') });
    expect(() => open(zip.subarray(0, zip.length - 10))).toThrow(new CorruptError(message));
  });

  it('a central directory larger than the file is a CorruptError', () => {
    const zip = zipSync({ 'a.js': utf8('a') });
    put32(zip, zip.length - 22 + 12, zip.length + 1);
    expect(() => open(zip)).toThrow(new CorruptError('the central directory lies outside the file'));
  });

  it('an entry count larger than the central directory is a CorruptError', () => {
    const zip = zipSync({ 'a.js': utf8('a'), 'b.js': utf8('b') });
    put16(zip, zip.length - 22 + 10, 3);
    expect(() => open(zip)).toThrow(new CorruptError('central directory entry 2 is malformed'));
  });

  it('a zip cut anywhere is a CorruptError when opened or when read, never wrong bytes', () => {
    const files = { 'a.js': sourceLike(19, 3000), 'b.txt': utf8('bee') };
    const zip = zipSync({ 'a.js': [files['a.js'], { level: 6 }], 'b.txt': [files['b.txt'], { level: 0 }] });
    for (let cut = 0; cut < zip.length; cut++) {
      let opened: ReturnType<typeof openZip>;
      try {
        opened = open(zip.subarray(0, cut));
      } catch (error) {
        expect(error, `cut at ${cut}`).toBeInstanceOf(CorruptError);
        continue;
      }
      for (const entry of opened.entries) {
        let data: Uint8Array;
        try {
          data = opened.read(entry);
        } catch (error) {
          expect(error, `cut at ${cut}`).toBeInstanceOf(CorruptError);
          continue;
        }
        expect(data, `cut at ${cut}`).toEqual(files[entry.name as keyof typeof files]);
      }
    }
  });
});
