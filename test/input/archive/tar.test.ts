import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { detectArchive, SNIFF_BYTES } from '../../../src/input/archive/detect';
import { Budget, CorruptError, DEFAULT_LIMITS, LimitError, type ArchiveLimits } from '../../../src/input/archive/limits';
import { TarReader, type TarWant } from '../../../src/input/archive/tar';
import { mulberry32, randomBytes } from '../../helpers/prng';
import { cat, thrown } from '../../helpers/bytes';
import { header, tar } from '../../helpers/tar';
import { ranges } from '../../helpers/ranges';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'fixtures/archives', name)));
const temp = mkdtempSync(join(tmpdir(), 'smf-tar-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const utf8 = (text: string): Uint8Array => strToU8(text);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Zero-padded to whole 512-byte blocks. */
function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

/** Writes a fresh checksum into a header after a field was patched (six octal digits, NUL, space, as GNU tar). */
function rechecksum(block: Uint8Array): Uint8Array {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += block[i]!;
  block.set(utf8(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return block;
}

/** A PAX record `<length> <key>=<value>\n` whose length counts its own digits (bytes, not characters). */
function paxRecord(key: string, value: string): string {
  const body = utf8(` ${key}=${value}\n`).length;
  let length = body + 1;
  while (String(length).length + body !== length) length = String(length).length + body;
  return `${length} ${key}=${value}\n`;
}

type Event =
  | { kind: 'want'; path: string; size: number }
  | { kind: 'decide'; path: string; head: Uint8Array }
  | { kind: 'file'; path: string; data: Uint8Array }
  | { kind: 'problem'; path: string; name: string; limit: string | null; value: number | null; message: string };

interface Options {
  want?: (path: string, size: number) => TarWant;
  decide?: (path: string, head: Uint8Array) => boolean;
  limits?: Partial<ArchiveLimits>;
  sniffBytes?: number;
}

/** A TarReader whose sink records every call (copying what it is given). */
function makeReader(options: Options = {}): { reader: TarReader; events: Event[]; budget: Budget } {
  const events: Event[] = [];
  const budget = new Budget({ ...DEFAULT_LIMITS, ...options.limits });
  const want = options.want ?? (() => 'keep');
  const decide = options.decide ?? ((_path: string, head: Uint8Array) => detectArchive(head) !== null);
  const reader = new TarReader(
    {
      want(path, size) {
        events.push({ kind: 'want', path, size });
        return want(path, size);
      },
      decide(path, head) {
        events.push({ kind: 'decide', path, head: head.slice() });
        return decide(path, head);
      },
      file(path, data) {
        events.push({ kind: 'file', path, data: data.slice() });
      },
      problem(path, error) {
        events.push({
          kind: 'problem',
          path,
          name: error.name,
          limit: error instanceof LimitError ? error.limit : null,
          value: error instanceof LimitError ? error.value : null,
          message: error.message,
        });
      },
    },
    budget,
    options.sniffBytes ?? SNIFF_BYTES,
  );
  return { reader, events, budget };
}

/** Pushes `bytes` in chunks whose sizes `next()` gives (a number: fixed size). */
function feed(reader: TarReader, bytes: Uint8Array, next: number | (() => number) = bytes.length): void {
  const size = typeof next === 'number' ? () => next : next;
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, size());
    reader.push(bytes.subarray(at, at + n));
    at += n;
  }
}

/** Reads a whole archive: push in chunks, then end(). */
function readTar(bytes: Uint8Array, options: Options = {}, next: number | (() => number) = bytes.length) {
  const made = makeReader(options);
  feed(made.reader, bytes, next);
  made.reader.end();
  return made;
}

const filesOf = (events: Event[]): [string, Uint8Array][] =>
  events.filter((e): e is Extract<Event, { kind: 'file' }> => e.kind === 'file').map((e) => [e.path, e.data]);
const pathsOf = (events: Event[], kind: Event['kind']): string[] => events.filter((e) => e.kind === kind).map((e) => e.path);

/** The system tar, in a UTF-8 locale, names printed as they are. */
function systemTar(args: string[]): string {
  return execFileSync('tar', args, { env: { ...process.env, LC_ALL: 'C.UTF-8' }, encoding: 'utf8' });
}
const systemList = (file: string): string[] => systemTar(['--quoting-style=literal', '-tf', file]).split('\n').slice(0, -1);

// ---------------------------------------------------------------------------------------------------------------
// Archives made by the system tar

const LONG_SPLIT = `${'d'.repeat(40)}/${'e'.repeat(40)}/${'f'.repeat(40)}/deep.js.map`; // 134 chars: ustar splits it
const PREFIX_NEEDED = `pre/${'p'.repeat(120)}/x.js`; // 129 chars: only the ustar prefix (or an extension) can hold it
const NAME_100 = `q/${'n'.repeat(97)}.js`; // last component exactly 100 bytes: the name field has no NUL
const LONG_300 = `n/${'a'.repeat(99)}/${'b'.repeat(99)}/${'c'.repeat(99)}/long.js`; // 309 chars: no ustar
const UNICODE = 'uni/café-日本-😀.js';
const LONG_TARGET = `${'t'.repeat(150)}.js`;

interface TreeFile {
  name: string;
  data: Uint8Array;
}

function treeFiles(withLong: boolean): TreeFile[] {
  return [
    { name: 'top.js', data: randomBytes(1, 700) },
    { name: 'empty.js', data: new Uint8Array(0) },
    { name: 'exact.bin', data: randomBytes(2, 512) },
    { name: LONG_SPLIT, data: randomBytes(3, 1025) },
    { name: PREFIX_NEEDED, data: utf8('prefix\n'.repeat(14)) },
    { name: NAME_100, data: randomBytes(4, 513) },
    { name: UNICODE, data: utf8('contenu é ü 日本\n') },
    { name: 'nested.tgz', data: gzipSync(randomBytes(5, 3000)) },
    ...(withLong ? [{ name: LONG_300, data: utf8('long path\n') }] : []),
    { name: 'after-link.js', data: utf8('after') },
  ];
}

/**
 * Builds a tree and archives it with `tar --format=<format>` in a fixed order: regular files, an empty directory,
 * a symlink, a hard link (second name of top.js), and for pax/gnu a symlink with a 150-byte target.
 */
function systemArchive(format: 'pax' | 'gnu' | 'ustar'): { bytes: Uint8Array; file: string; files: TreeFile[]; order: string[] } {
  const withLong = format !== 'ustar';
  const dir = join(temp, `tree-${format}`);
  const files = treeFiles(withLong);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.name)), { recursive: true });
    writeFileSync(join(dir, f.name), f.data);
  }
  mkdirSync(join(dir, 'emptydir'));
  symlinkSync('top.js', join(dir, 'link.js'));
  linkSync(join(dir, 'top.js'), join(dir, 'hard.js'));
  if (withLong) symlinkSync(LONG_TARGET, join(dir, 'longlink.js'));
  const order = [
    'top.js',
    'empty.js',
    'exact.bin',
    'emptydir',
    LONG_SPLIT,
    PREFIX_NEEDED,
    NAME_100,
    'link.js',
    'hard.js',
    UNICODE,
    'nested.tgz',
    ...(withLong ? [LONG_300, 'longlink.js'] : []),
    'after-link.js',
  ];
  const file = join(temp, `${format}.tar`);
  systemTar([`--format=${format}`, '--no-recursion', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@499162500', '-cf', file, '-C', dir, ...order]);
  return { bytes: new Uint8Array(readFileSync(file)), file, files, order };
}

const ARCHIVES = { pax: systemArchive('pax'), gnu: systemArchive('gnu'), ustar: systemArchive('ustar') };
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe.each(['pax', 'gnu', 'ustar'] as const)('TarReader on a system tar archive (--format=%s)', (format) => {
  const { bytes, file, files, order } = ARCHIVES[format];

  it('uses the format feature under test', () => {
    const raw = latin1(bytes);
    if (format === 'pax') expect(raw).toContain(` path=${LONG_300}\n`);
    if (format === 'pax') expect(raw).toContain(` linkpath=${LONG_TARGET}\n`);
    if (format === 'gnu') expect(raw).toContain('././@LongLink');
    if (format === 'gnu') expect(raw).toContain('ustar  \0');
    if (format === 'ustar') expect(raw).toContain(`ustar\u000000`);
    if (format === 'ustar') expect(raw).toContain(`pre/${'p'.repeat(120)}\0`); // in a prefix field
  });

  it('delivers every regular file, in archive order, with its bytes; the system tar lists the same names', () => {
    const { events } = readTar(bytes);
    const regular = new Set(files.map((f) => f.name));
    const listing = systemList(file);
    // The listing holds the links and the directory too; the reader delivers only regular files.
    expect(listing).toContain('emptydir/');
    expect(listing).toContain('link.js');
    expect(listing).toContain('hard.js');
    expect(listing.filter((n) => regular.has(n)).sort()).toEqual([...regular].sort());
    const delivered = filesOf(events);
    expect(delivered.map(([p]) => p)).toEqual(listing.filter((n) => regular.has(n)));
    expect(delivered.map(([p]) => p)).toEqual(order.filter((n) => regular.has(n)));
    const byName = new Map(files.map((f) => [f.name, f.data]));
    for (const [path, data] of delivered) expect(data, path).toEqual(byName.get(path));
  });

  it('asks want() for regular files only, with their real sizes, and never decide() when everything is kept', () => {
    const { events } = readTar(bytes);
    expect(events.filter((e) => e.kind === 'want')).toEqual(files.map((f) => ({ kind: 'want', path: f.name, size: f.data.length })));
    expect(pathsOf(events, 'decide')).toEqual([]);
    expect(pathsOf(events, 'problem')).toEqual([]);
  });

  it('finishes on the end-of-archive marker and ignores the record padding after it', () => {
    const { reader, budget } = readTar(bytes);
    expect(reader.finished).toBe(true);
    expect(bytes.length % 10240).toBe(0); // the system tar pads to whole records
    expect(budget.entries).toBe(files.length);
  });
});

describe('TarReader: system tar specifics', () => {
  it('a GNU long link target (K record) does not rename the next entry', () => {
    const { events } = readTar(ARCHIVES.gnu.bytes);
    const paths = pathsOf(events, 'file');
    expect(paths.at(-1)).toBe('after-link.js');
    expect(paths).not.toContain(LONG_TARGET);
  });

  it('a global PAX header (typeflag g) is passed over', () => {
    const dir = join(temp, 'global');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.js'), 'a();\n');
    const out = join(temp, 'global.tar');
    systemTar(['--format=pax', '--pax-option=comment=hello', '-cf', out, '-C', dir, 'a.js']);
    const bytes = new Uint8Array(readFileSync(out));
    expect(bytes[156]).toBe(0x67); // the first header is the global one
    expect(filesOf(readTar(bytes).events)).toEqual([['a.js', utf8('a();\n')]]);
  });

  it('an entry appended again (tar -r) is delivered twice, in order', () => {
    const dir = join(temp, 'append');
    mkdirSync(dir);
    const out = join(temp, 'append.tar');
    writeFileSync(join(dir, 'a.js.map'), 'first\n');
    systemTar(['--format=pax', '-cf', out, '-C', dir, 'a.js.map']);
    writeFileSync(join(dir, 'a.js.map'), 'second, longer\n');
    systemTar(['--format=pax', '-rf', out, '-C', dir, 'a.js.map']);
    expect(systemList(out)).toEqual(['a.js.map', 'a.js.map']);
    const { events } = readTar(new Uint8Array(readFileSync(out)));
    expect(filesOf(events)).toEqual([
      ['a.js.map', utf8('first\n')],
      ['a.js.map', utf8('second, longer\n')],
    ]);
  });

  // GNU tar's own header ("ustar  \0" magic, the old GNU layout) has no prefix field: bytes 345..356 are `atime`
  // and 357..368 `ctime` (GNU tar manual, "Basic Tar Format", struct oldgnu_header / "GNU tar Archive Format").
  // GNU tar fills them in incremental mode (-g). Only POSIX ustar ("ustar\0" + "00") has `prefix` at 345.
  it('a GNU-format header with atime/ctime at offset 345 (tar --format=gnu -g) keeps its plain name', () => {
    const dir = join(temp, 'incremental');
    mkdirSync(join(dir, 'd'), { recursive: true });
    writeFileSync(join(dir, 'd/a.js'), 'console.log("a");\n');
    const out = join(temp, 'incremental.tar');
    systemTar(['--format=gnu', '-g', join(temp, 'incremental.snar'), '-cf', out, '-C', dir, 'd']);
    const bytes = new Uint8Array(readFileSync(out));
    // Premise: some header of the archive has GNU magic and a non-zero byte at 345 (the atime).
    let premise = false;
    for (let at = 0; at + 512 <= bytes.length; at += 512) {
      if (latin1(bytes.subarray(at + 257, at + 265)) === 'ustar  \0' && bytes[at + 345] !== 0) premise = true;
    }
    expect(premise).toBe(true);
    expect(systemList(out)).toEqual(['d/', 'd/a.js']);
    const { events } = readTar(bytes);
    expect(filesOf(events)).toEqual([['d/a.js', utf8('console.log("a");\n')]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Crafted archives

describe('TarReader: names', () => {
  it('honours a GNU long name, a PAX path, the ustar prefix, a full 100-byte name and UTF-8 names', () => {
    const long = `package/${'l'.repeat(150)}/a.js.map`;
    const pax = `package/${'x'.repeat(150)}/é.js.map`;
    const bytes = tar([
      { name: long, data: 'L', longName: true },
      { name: pax, data: 'X', pax: true },
      { name: 'p.js', prefix: `package/${'z'.repeat(140)}`, data: 'P' },
      { name: 'n'.repeat(100), data: 'N' },
      { name: 'unicode/日本語-😀.js', data: 'U' },
    ]);
    expect(pathsOf(readTar(bytes).events, 'file')).toEqual([long, pax, `package/${'z'.repeat(140)}/p.js`, 'n'.repeat(100), 'unicode/日本語-😀.js']);
  });

  it('a prefix of exactly 155 bytes (no NUL) is read whole', () => {
    const prefix = 'w'.repeat(155);
    const bytes = tar([{ name: 'a.js', prefix, data: 'a' }]);
    expect(pathsOf(readTar(bytes).events, 'file')).toEqual([`${prefix}/a.js`]);
  });

  it('a GNU long name or PAX path given to a link or directory is used up by it, not by the next file', () => {
    const bytes = tar([
      { name: `links/${'s'.repeat(120)}`, type: '2', linkname: 'x.js', pax: true },
      { name: 'one.js', data: '1' },
      { name: `links/${'h'.repeat(120)}`, type: '1', linkname: 'one.js', longName: true },
      { name: 'two.js', data: '2' },
      { name: `dirs/${'d'.repeat(120)}`, type: '5', pax: true },
      { name: 'three.js', data: '3' },
    ]);
    expect(filesOf(readTar(bytes).events)).toEqual([
      ['one.js', utf8('1')],
      ['two.js', utf8('2')],
      ['three.js', utf8('3')],
    ]);
  });

  it('typeflags NUL (old regular file) and 7 (contiguous file) are regular files; 3, 4, 6 are not', () => {
    const entry = (name: string, type: string, data: string): Uint8Array => cat(header({ name, type, size: data.length }), padded(utf8(data)));
    const bytes = cat(
      entry('nul.js', '\0', 'nul'),
      entry('contiguous.js', '7', 'seven'),
      header({ name: 'chr', type: '3' }),
      header({ name: 'blk', type: '4' }),
      header({ name: 'fifo', type: '6' }),
      entry('last.js', '0', 'last'),
      new Uint8Array(1024),
    );
    expect(filesOf(readTar(bytes).events)).toEqual([
      ['nul.js', utf8('nul')],
      ['contiguous.js', utf8('seven')],
      ['last.js', utf8('last')],
    ]);
  });

  it('the later of two entries with one path: both are delivered, in order', () => {
    const bytes = tar([
      { name: 'package/dup.js.map', data: 'first' },
      { name: 'package/other.js', data: 'o' },
      { name: 'package/dup.js.map', data: 'second!' },
    ]);
    expect(filesOf(readTar(bytes).events)).toEqual([
      ['package/dup.js.map', utf8('first')],
      ['package/other.js', utf8('o')],
      ['package/dup.js.map', utf8('second!')],
    ]);
  });

  it('the committed edge-cases.tar gives the names it was built with', () => {
    const long = (c: string): string => `package/${c.repeat(120)}`;
    const { events } = readTar(fixture('edge-cases.tar'));
    expect(pathsOf(events, 'file')).toEqual([
      'package/dup.js.map',
      `${long('x')}/pax.js.map`,
      `${long('y')}/gnu.js.map`,
      `package/${'z'.repeat(100)}/prefix.js.map`,
      'package/sized.js.map',
      'package/dup.js.map',
    ]);
    const files = filesOf(events);
    expect(JSON.parse(text(files[0]![1])).sourcesContent).toEqual(['first\n']);
    expect(JSON.parse(text(files[5]![1])).sourcesContent).toEqual(['second\nline\n']);
    expect(JSON.parse(text(files[4]![1])).sourcesContent).toEqual(['s1\ns2\n']);
  });
});

describe('TarReader: sizes', () => {
  it('a PAX size record overrides a header size of 0', () => {
    const data = randomBytes(10, 700);
    const bytes = tar([
      { name: 'sized.bin', data, paxSize: 700 },
      { name: 'next.js', data: 'next' },
    ]);
    expect(bytes.length).toBe(512 * 2 + 512 + 1024 + 512 * 2 + 1024); // pax header + record, header, 2 data blocks, next, end
    const { events } = readTar(bytes);
    expect(events.filter((e) => e.kind === 'want')).toEqual([
      { kind: 'want', path: 'sized.bin', size: 700 },
      { kind: 'want', path: 'next.js', size: 4 },
    ]);
    expect(filesOf(events)).toEqual([
      ['sized.bin', data],
      ['next.js', utf8('next')],
    ]);
  });

  it('a PAX size record overrides a non-zero header size, for the next entry only', () => {
    const data = randomBytes(11, 700);
    const record = utf8(paxRecord('size', '700') + paxRecord('mtime', '499162500.5') + paxRecord('path', 'over.bin'));
    const bytes = cat(
      header({ name: 'PaxHeader/over', type: 'x', size: record.length }),
      padded(record),
      header({ name: 'ignored-name', size: 5 }),
      padded(data),
      header({ name: 'after.js', size: 3 }),
      padded(utf8('abc')),
      new Uint8Array(1024),
    );
    expect(filesOf(readTar(bytes).events)).toEqual([
      ['over.bin', data],
      ['after.js', utf8('abc')],
    ]);
  });

  it('a PAX record value may hold "=" and UTF-8 (record lengths count bytes)', () => {
    const name = 'dir/a=b=ç日本.js';
    const record = utf8(paxRecord('path', name));
    const bytes = cat(header({ name: 'PaxHeader', type: 'x', size: record.length }), padded(record), header({ name: 'short', size: 1 }), padded(utf8('z')), new Uint8Array(1024));
    expect(filesOf(readTar(bytes).events)).toEqual([[name, utf8('z')]]);
  });

  it('a GNU base-256 size field is read (the system tar agrees)', () => {
    const data = randomBytes(12, 1000);
    const h = header({ name: 'base256.bin', size: 0 });
    h.fill(0, 124, 136);
    h[124] = 0x80;
    h[134] = 1000 >> 8;
    h[135] = 1000 & 0xff;
    rechecksum(h);
    const bytes = cat(h, padded(data), tar([{ name: 'after.js', data: 'after' }]));
    const file = join(temp, 'base256.tar');
    writeFileSync(file, bytes);
    expect(systemTar(['-tvf', file])).toMatch(/ 1000 [^\n]* base256\.bin\n/);
    const { events } = readTar(bytes);
    expect(events.filter((e) => e.kind === 'want')).toEqual([
      { kind: 'want', path: 'base256.bin', size: 1000 },
      { kind: 'want', path: 'after.js', size: 5 },
    ]);
    expect(filesOf(events)).toEqual([
      ['base256.bin', data],
      ['after.js', utf8('after')],
    ]);
  });

  it('a negative base-256 size (0xff lead byte) is a CorruptError naming the offset', () => {
    const h = header({ name: 'neg.bin', size: 0 });
    h.fill(0xff, 124, 136);
    rechecksum(h);
    const bytes = cat(tar([{ name: 'a.js', data: 'a' }]).subarray(0, 1024), h, new Uint8Array(1024));
    const { reader, events } = makeReader();
    expect(() => feed(reader, bytes)).toThrow(new CorruptError('bad size field in the tar header at offset 1024'));
    expect(pathsOf(events, 'file')).toEqual(['a.js']);
  });

  it('a base-256 size past 2^53 is a CorruptError', () => {
    const h = header({ name: 'huge.bin', size: 0 });
    h.fill(0, 124, 136);
    h[124] = 0x80;
    h[127] = 1; // 2^64
    rechecksum(h);
    expect(() => readTar(cat(h, new Uint8Array(1024)))).toThrow(new CorruptError('bad size field in the tar header at offset 0'));
  });

  it('an octal size field with a non-octal digit is a CorruptError', () => {
    const h = header({ name: 'bad.bin', size: 0 });
    h.set(utf8('0000000009\0'), 124);
    rechecksum(h);
    expect(() => readTar(cat(h, new Uint8Array(1024)))).toThrow(new CorruptError('bad size field in the tar header at offset 0'));
  });
});

describe('TarReader: malformed PAX records', () => {
  const withRecord = (record: string): Uint8Array => {
    const bytes = utf8(record);
    return cat(header({ name: 'PaxHeader', type: 'x', size: bytes.length }), padded(bytes), tar([{ name: 'a.js', data: 'a' }]));
  };

  it('a record length past the header is a CorruptError', () => {
    expect(() => readTar(withRecord('99 path=a.js\n'))).toThrow(new CorruptError('malformed PAX extended header'));
  });

  it('a record without a length is a CorruptError', () => {
    expect(() => readTar(withRecord(' path=a.js\n'))).toThrow(new CorruptError('malformed PAX extended header'));
    expect(() => readTar(withRecord('x path=a.js\n'))).toThrow(new CorruptError('malformed PAX extended header'));
  });

  it('a size that is not a non-negative integer is a CorruptError', () => {
    expect(() => readTar(withRecord(paxRecord('size', 'abc')))).toThrow(new CorruptError('bad PAX size "abc"'));
    expect(() => readTar(withRecord(paxRecord('size', '-5')))).toThrow(new CorruptError('bad PAX size "-5"'));
    expect(() => readTar(withRecord(paxRecord('size', '1.5')))).toThrow(new CorruptError('bad PAX size "1.5"'));
  });

  it('unknown keys are ignored', () => {
    const { events } = readTar(withRecord(paxRecord('SCHILY.xattr.user.x', 'y') + paxRecord('comment', 'a=b')));
    expect(filesOf(events)).toEqual([['a.js', utf8('a')]]);
  });

  it('an extended header over 1 MiB is a CorruptError, whatever maxEntryBytes says', () => {
    const record = utf8(paxRecord('comment', 'c'.repeat(1024 * 1024)));
    const bytes = cat(header({ name: 'PaxHeader', type: 'x', size: record.length }), padded(record), tar([{ name: 'a.js', data: 'a' }]));
    expect(() => readTar(bytes)).toThrow(new CorruptError(`a ${record.length}-byte tar extended header is not plausible (at most 1048576)`));
    const small = utf8(paxRecord('comment', 'c'.repeat(300)));
    const fine = cat(header({ name: 'PaxHeader', type: 'x', size: small.length }), padded(small), tar([{ name: 'a.js', data: 'a' }]));
    expect(() => readTar(fine, { limits: { maxEntryBytes: 100 } })).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Streaming

/** A sink mixing the three answers: maps kept, .bin skipped, everything else sniffed. */
const MIXED: Options = { want: (path) => (path.endsWith('.map') ? 'keep' : path.endsWith('.bin') ? 'skip' : 'sniff') };

describe('TarReader: chunk boundaries', () => {
  const archives: [string, Uint8Array][] = [
    ['pax', ARCHIVES.pax.bytes],
    ['gnu', ARCHIVES.gnu.bytes],
    ['ustar', ARCHIVES.ustar.bytes],
    ['edge-cases.tar', fixture('edge-cases.tar')],
  ];

  it.each(archives)('%s: the mixed sink keeps maps and the nested archive, sniffs the rest', (name, bytes) => {
    const { events } = readTar(bytes, MIXED);
    const kept = pathsOf(events, 'file');
    if (name === 'edge-cases.tar') expect(kept).toHaveLength(6);
    else {
      expect(kept).toEqual([LONG_SPLIT, 'nested.tgz']);
      // Sniffed: every regular file but the .map and .bin ones, each decided once.
      expect(pathsOf(events, 'decide')).toEqual(ARCHIVES[name as 'pax'].files.map((f) => f.name).filter((n) => !n.endsWith('.map') && !n.endsWith('.bin')));
    }
  });

  it.each(archives)('%s: chunks of every size 1..1024 give the same calls as one push', (_name, bytes) => {
    const reference = readTar(bytes, MIXED).events;
    const expected = JSON.stringify(reference.map(summary));
    expect(pathsOf(reference, 'file').length).toBeGreaterThan(1);
    for (let size = 1; size <= 1024; size++) {
      const { events, reader } = readTar(bytes, MIXED, size);
      expect(reader.finished).toBe(true);
      const got = JSON.stringify(events.map(summary));
      if (got !== expected) expect(events.map(summary), `chunk size ${size}`).toEqual(reference.map(summary));
    }
  });

  it.each(archives)('%s: random chunk sizes (seeded) give the same calls as one push', (_name, bytes) => {
    const reference = readTar(bytes, MIXED).events;
    for (let seed = 1; seed <= 100; seed++) {
      const random = mulberry32(seed);
      const { events } = readTar(bytes, MIXED, () => 1 + Math.floor(random() ** 2 * 5000));
      expect(events, `seed ${seed}`).toEqual(reference);
    }
  });

  it('a chunk buffer reused and overwritten after each push (as an inflater does) changes nothing', () => {
    const bytes = ARCHIVES.pax.bytes;
    const reference = readTar(bytes, MIXED).events;
    for (const size of [1, 100, 511, 512, 513, 4096]) {
      const { reader, events } = makeReader(MIXED);
      const scratch = new Uint8Array(size);
      for (let at = 0; at < bytes.length; at += size) {
        const piece = bytes.subarray(at, at + size);
        scratch.set(piece);
        reader.push(scratch.subarray(0, piece.length));
        scratch.fill(0xa5);
      }
      reader.end();
      expect(events, `chunk size ${size}`).toEqual(reference);
    }
  });
});

/** An event in a form cheap to compare. */
function summary(e: Event): unknown {
  if (e.kind === 'file') return [e.kind, e.path, Buffer.from(e.data).toString('base64')];
  if (e.kind === 'decide') return [e.kind, e.path, Buffer.from(e.head).toString('base64')];
  return e;
}

describe('TarReader: want() and decide()', () => {
  const SNIFF_FILES = (sniffBytes: number): { name: string; data: Uint8Array; archive: boolean }[] => {
    const exact = randomBytes(20, sniffBytes);
    exact.set([0x1f, 0x8b, 0x08]);
    return [
      { name: 'a.gz', data: gzipSync(randomBytes(21, 2000)), archive: true },
      { name: 'tiny.zip', data: zipSync({}), archive: true }, // 22 bytes: shorter than the sniff
      { name: 'text.txt', data: utf8('not an archive\n'.repeat(140)), archive: false },
      { name: 'short.txt', data: utf8('0123456789'), archive: false },
      { name: 'empty', data: new Uint8Array(0), archive: false },
      { name: 'exact.gz', data: exact, archive: true }, // exactly sniffBytes long
      { name: 'keep.js.map', data: utf8('{"version":3}'), archive: false },
    ];
  };

  it("'skip' drops every file: no decide(), no file()", () => {
    const { events } = readTar(ARCHIVES.pax.bytes, { want: () => 'skip' });
    expect(events.map((e) => e.kind)).toEqual(ARCHIVES.pax.files.map(() => 'want'));
  });

  for (const sniffBytes of [SNIFF_BYTES, 4]) {
    for (const chunk of [1, 3, 7, 512, 100_000]) {
      it(`'sniff' (sniffBytes ${sniffBytes}, chunks of ${chunk}): decide() once per file with at most sniffBytes bytes; archives kept whole`, () => {
        const files = SNIFF_FILES(sniffBytes);
        const bytes = tar(files.map((f) => ({ name: f.name, data: f.data })));
        const { events } = readTar(bytes, { sniffBytes, want: (path) => (path.endsWith('.map') ? 'keep' : 'sniff') }, chunk);
        const sniffed = files.filter((f) => !f.name.endsWith('.map'));
        expect(events.filter((e) => e.kind === 'decide')).toEqual(
          sniffed.map((f) => ({ kind: 'decide', path: f.name, head: f.data.slice(0, Math.min(f.data.length, sniffBytes)) })),
        );
        expect(filesOf(events)).toEqual(files.filter((f) => f.archive || f.name.endsWith('.map')).map((f) => [f.name, f.data]));
        // Order of calls: want, then decide, then file for each entry.
        expect(events.map((e) => `${e.kind}:${e.path}`)).toEqual(
          files.flatMap((f) => [
            `want:${f.name}`,
            ...(f.name.endsWith('.map') ? [] : [`decide:${f.name}`]),
            ...(f.archive || f.name.endsWith('.map') ? [`file:${f.name}`] : []),
          ]),
        );
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Ends, truncation, corruption

describe('TarReader: end of input', () => {
  const FILES = [
    { name: 'a.js', data: randomBytes(30, 700) },
    { name: 'b.js', data: randomBytes(31, 100) },
    { name: 'c.js', data: new Uint8Array(0) },
    { name: 'd.js', data: randomBytes(32, 512) },
  ];
  const BYTES = tar(FILES);
  /** Where each entry's header, data and padding start and end. */
  const LAYOUT = (() => {
    let at = 0;
    return FILES.map((f) => {
      const headerAt = at;
      const dataAt = at + 512;
      const dataEnd = dataAt + f.data.length;
      at = dataAt + Math.ceil(f.data.length / 512) * 512;
      return { name: f.name, headerAt, dataAt, dataEnd, next: at };
    });
  })();
  const END = LAYOUT.at(-1)!.next; // where the end-of-archive marker starts

  it('the layout is as computed', () => {
    expect(LAYOUT.map((l) => [l.headerAt, l.dataAt, l.dataEnd, l.next])).toEqual([
      [0, 512, 1212, 1536],
      [1536, 2048, 2148, 2560],
      [2560, 3072, 3072, 3072],
      [3072, 3584, 4096, 4096],
    ]);
    expect(BYTES.length).toBe(END + 1024);
  });

  it('a cut inside any header is a CorruptError from end()', () => {
    for (const l of LAYOUT) {
      for (let cut = l.headerAt + 1; cut < l.headerAt + 512; cut++) {
        const { reader } = makeReader();
        feed(reader, BYTES.subarray(0, cut));
        const error = thrown(() => reader.end());
        expect(error, `cut at ${cut}`).toBeInstanceOf(CorruptError);
        expect((error as Error).message).toMatch(/^the tar stream ends inside .* \(truncated\)$/);
      }
    }
  });

  it('a cut inside any file data (or right after a header whose data is missing) is a CorruptError naming the entry', () => {
    for (const l of LAYOUT) {
      for (let cut = l.dataAt; cut < l.dataEnd; cut++) {
        const { reader, events } = makeReader();
        feed(reader, BYTES.subarray(0, cut), 97);
        expect(() => reader.end(), `cut at ${cut}`).toThrow(new CorruptError(`the tar stream ends inside entry "${l.name}" (truncated)`));
        expect(pathsOf(events, 'file')).not.toContain(l.name);
      }
    }
  });

  // POSIX ustar: "Each file archived is represented by a header logical record that describes the file, followed by
  // zero or more logical records that give the contents of the file" -- logical records are 512 bytes, so the last
  // one of a file is padded to a whole block. GNU tar reports a cut there as "Unexpected EOF in archive" (exit 2).
  it('a cut inside the zero padding after a file is a CorruptError', () => {
    const cuts: number[] = [];
    for (const l of LAYOUT) for (let cut = l.dataEnd; cut < l.next; cut++) cuts.push(cut);
    expect(cuts).toHaveLength(324 + 412);
    const file = join(temp, 'cut-in-padding.tar');
    writeFileSync(file, BYTES.subarray(0, LAYOUT[0]!.dataEnd + 100));
    expect(() => execFileSync('tar', ['-tf', file], { stdio: 'pipe' })).toThrow(/Unexpected EOF in archive/);
    const quiet = cuts.filter((cut) => {
      const { reader } = makeReader();
      feed(reader, BYTES.subarray(0, cut));
      try {
        reader.end();
        return true;
      } catch (error) {
        return !(error instanceof CorruptError);
      }
    });
    // As ranges, so a failure reads short: [first, last] cut that ended without an error.
    expect(ranges(quiet)).toEqual([]);
  });

  it('a cut at an entry boundary cannot be told from an archive without its end marker: no error, whole files kept', () => {
    for (const l of LAYOUT) {
      const { reader, events } = makeReader();
      feed(reader, BYTES.subarray(0, l.next));
      reader.end();
      expect(reader.finished).toBe(false);
      expect(pathsOf(events, 'file')).toEqual(FILES.slice(0, LAYOUT.indexOf(l) + 1).map((f) => f.name));
    }
  });

  it('a single zero block then EOF is accepted', () => {
    const { reader, events } = makeReader();
    feed(reader, BYTES.subarray(0, END + 512));
    reader.end();
    expect(reader.finished).toBe(false);
    expect(filesOf(events)).toEqual(FILES.map((f) => [f.name, f.data]));
  });

  it('the two zero blocks end the archive: trailing garbage, even a whole tar, is ignored', () => {
    const garbage = cat(BYTES, randomBytes(33, 3000), tar([{ name: 'hidden.js', data: 'h' }]));
    for (const chunk of [1, 512, 1000, garbage.length]) {
      const { reader, events } = makeReader();
      feed(reader, garbage, chunk);
      expect(reader.finished).toBe(true);
      reader.end();
      expect(filesOf(events)).toEqual(FILES.map((f) => [f.name, f.data]));
    }
  });

  it('one zero block between entries is tolerated: reading goes on (GNU tar stops there with "A lone zero block")', () => {
    const bytes = cat(BYTES.subarray(0, LAYOUT[1]!.headerAt), new Uint8Array(512), BYTES.subarray(LAYOUT[1]!.headerAt));
    const { events, reader } = readTar(bytes);
    expect(reader.finished).toBe(true);
    expect(pathsOf(events, 'file')).toEqual(['a.js', 'b.js', 'c.js', 'd.js']);
  });

  it('an empty archive (just the end marker) gives nothing and finishes', () => {
    const { events, reader } = readTar(new Uint8Array(1024));
    expect(events).toEqual([]);
    expect(reader.finished).toBe(true);
  });

  // POSIX ustar, typeflag: "No data logical records are stored for types LNKTYPE, SYMTYPE, or DIRTYPE." For
  // DIRTYPE the size may hold an allocation hint ("the size field shall contain the maximum number of bytes ... the
  // directory may hold"), and GNU tar lists the entry that follows such a directory header.
  it('a directory header with a non-zero size is followed directly by the next header', () => {
    const bytes = cat(header({ name: 'dir/', type: '5', size: 512 }), tar([{ name: 'after.js', data: 'A' }]));
    const file = join(temp, 'dir-size.tar');
    writeFileSync(file, bytes);
    expect(systemList(file)).toEqual(['dir/', 'after.js']);
    const { events } = readTar(bytes);
    expect(filesOf(events)).toEqual([['after.js', utf8('A')]]);
  });
});

describe('TarReader: corruption', () => {
  it('bad-checksum.tar: CorruptError naming the offset of the broken header; the file before it is delivered', () => {
    for (const chunk of [1, 100, 511, 512, 513, 100_000]) {
      const { reader, events } = makeReader();
      expect(() => feed(reader, fixture('bad-checksum.tar'), chunk), `chunk ${chunk}`).toThrow(new CorruptError('bad tar header checksum at offset 1024'));
      expect(pathsOf(events, 'file')).toEqual(['package/first.js.map']);
    }
  });

  it('the offset counts extended headers and data blocks', () => {
    const bytes = tar([
      { name: `p/${'x'.repeat(120)}.js`, data: 'x', pax: true },
      { name: 'b.js', data: 'b'.repeat(600) },
      { name: 'c.js', data: 'c' },
    ]);
    // pax header + record (1024), x.js header + data (1024), b.js header + 2 blocks (1536): c.js's header at 3584.
    expect(bytes[3584]).toBe(0x63);
    bytes[3584 + 1] ^= 0x40; // a byte of the name, the checksum field untouched
    expect(() => readTar(bytes, {}, 333)).toThrow(new CorruptError('bad tar header checksum at offset 3584'));
  });

  it('a checksum field that is not octal is a CorruptError', () => {
    const bytes = tar([{ name: 'a.js', data: 'a' }]);
    bytes.set(utf8('zzzzzz\0 '), 148);
    expect(() => readTar(bytes)).toThrow(new CorruptError('bad tar header checksum at offset 0'));
  });

  it('random bytes as a header are a CorruptError', () => {
    const bytes = cat(randomBytes(34, 512), new Uint8Array(1024));
    bytes[0] = 0x41;
    expect(() => readTar(bytes)).toThrow(CorruptError);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Limits

describe('TarReader: limits', () => {
  const five = tar(['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: `${n}.js`, data: n })));

  it('maxEntries: the entry past the limit throws LimitError(maxEntries); the ones before are delivered', () => {
    const { reader, events, budget } = makeReader({ limits: { maxEntries: 3 } });
    const error = thrown(() => feed(reader, five, 100));
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ limit: 'maxEntries', value: 3 });
    expect(pathsOf(events, 'file')).toEqual(['a.js', 'b.js', 'c.js']);
    expect(budget.entries).toBe(4);
  });

  it('maxEntries counts across archives sharing one budget', () => {
    const budget = new Budget({ ...DEFAULT_LIMITS, maxEntries: 7 });
    const sink = { want: (): TarWant => 'keep', decide: () => true, file: () => undefined, problem: () => undefined };
    new TarReader(sink, budget, SNIFF_BYTES).push(five);
    expect(budget.entries).toBe(5);
    expect(() => new TarReader(sink, budget, SNIFF_BYTES).push(five)).toThrow(new LimitError('maxEntries', 7, 'more than 7 archive entries'));
  });

  it('maxEntryBytes: an entry over the limit goes to problem() and is not delivered; later entries are', () => {
    const bytes = tar([
      { name: 'a.js', data: 'a'.repeat(50) },
      { name: 'big.js', data: 'b'.repeat(200) },
      { name: 'exact.js', data: 'e'.repeat(100) },
      { name: 'sniffed.gz', data: gzipSync(randomBytes(35, 300)) },
      { name: 'c.js', data: 'c'.repeat(10) },
    ]);
    for (const chunk of [1, 64, bytes.length]) {
      const { events } = readTar(bytes, { limits: { maxEntryBytes: 100 }, want: (p) => (p.endsWith('.gz') ? 'sniff' : 'keep') }, chunk);
      expect(events.filter((e) => e.kind === 'problem')).toEqual([
        { kind: 'problem', path: 'big.js', name: 'LimitError', limit: 'maxEntryBytes', value: 100, message: 'entry of 200 bytes is over the per-entry limit' },
        {
          kind: 'problem',
          path: 'sniffed.gz',
          name: 'LimitError',
          limit: 'maxEntryBytes',
          value: 100,
          // A sniffed entry is judged by its head first: only an archive over the limit is worth a finding.
          message: `archive entry of ${gzipSync(randomBytes(35, 300)).length} bytes is over the per-entry limit`,
        },
      ]);
      expect(filesOf(events)).toEqual([
        ['a.js', utf8('a'.repeat(50))],
        ['exact.js', utf8('e'.repeat(100))],
        ['c.js', utf8('c'.repeat(10))],
      ]);
      // The oversized entry is sniffed before it is judged: a large non-archive would be dropped without a finding.
      expect(pathsOf(events, 'decide')).toEqual(['sniffed.gz']);
    }
  });

  it('maxEntryBytes: an oversized sniffed entry that is not an archive is dropped without a finding', () => {
    const bytes = tar([{ name: 'asset.bin', data: 'x'.repeat(300) }, { name: 'c.js', data: 'c' }]);
    const { events } = readTar(bytes, { limits: { maxEntryBytes: 100 }, want: (p) => (p.endsWith('.bin') ? 'sniff' : 'keep') });
    expect(events.filter((e) => e.kind === 'problem')).toEqual([]);
    expect(filesOf(events)).toEqual([['c.js', utf8('c')]]);
  });

  it('maxEntryBytes: a skipped entry is not a problem', () => {
    const bytes = tar([
      { name: 'big.bin', data: 'b'.repeat(200) },
      { name: 'c.js', data: 'c' },
    ]);
    const { events } = readTar(bytes, { limits: { maxEntryBytes: 100 }, want: (p) => (p.endsWith('.bin') ? 'skip' : 'keep') });
    expect(events.map((e) => `${e.kind}:${e.path}`)).toEqual(['want:big.bin', 'want:c.js', 'file:c.js']);
  });

  it('maxEntryBytes judges the PAX size, not the header size', () => {
    const bytes = tar([
      { name: 'big.js', data: 'b'.repeat(200), paxSize: 200 },
      { name: 'c.js', data: 'c' },
    ]);
    const { events } = readTar(bytes, { limits: { maxEntryBytes: 100 } });
    expect(pathsOf(events, 'problem')).toEqual(['big.js']);
    expect(filesOf(events)).toEqual([['c.js', utf8('c')]]);
  });
});
