import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectArchive, type ArchiveFormat } from '../../../src/input/archive/detect';
import { Budget, CorruptError, DEFAULT_LIMITS, LimitError, type ArchiveLimits } from '../../../src/input/archive/limits';
import { openArchiveBytes, type OpenedArchive } from '../../../src/input/archive/open';
import { randomBytes } from '../../helpers/prng';
import { cat } from '../../helpers/bytes';
import { tar } from '../../helpers/tar';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'fixtures/archives', name)));
const DEMO_JS = new Uint8Array(readFileSync(join(root, 'fixtures/demo/cli.js')));
const DEMO_MAP = new Uint8Array(readFileSync(join(root, 'fixtures/demo/cli.js.map')));
const utf8 = (text: string): Uint8Array => strToU8(text);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

/** The names the scan keeps from a tar: maps and the files they may belong to. */
const RELEVANT = /\.(map|js|mjs|cjs|jsx|ts|mts|cts|tsx|css)$/;
const relevant = (path: string): boolean => RELEVANT.test(path);

function openBytes(bytes: Uint8Array, name: string, limits: Partial<ArchiveLimits> = {}, budget = new Budget({ ...DEFAULT_LIMITS, ...limits })): OpenedArchive & { budget: Budget } {
  const format = detectArchive(bytes);
  if (format === null) throw new Error(`${name} is not an archive by its head`);
  return { ...openArchiveBytes(bytes, format, name, budget, relevant), budget };
}

const problemsOf = (opened: OpenedArchive): { path: string; name: string; limit: string | null; message: string }[] =>
  opened.problems.map((p) => ({ path: p.path, name: p.error.name, limit: p.error instanceof LimitError ? p.error.limit : null, message: p.error.message }));

/** A zip of stored entries, names allowed to repeat (APPNOTE 4.3.7, 4.3.12, 4.3.16). */
function storedZip(entries: [string, Uint8Array][]): Uint8Array {
  const le = (size: 2 | 4, v: number): number[] => (size === 2 ? [v & 0xff, (v >>> 8) & 0xff] : [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
  const locals: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let at = 0;
  for (const [name, data] of entries) {
    const n = utf8(name);
    const crc = crc32(data);
    const local = Uint8Array.from([...le(4, 0x04034b50), ...le(2, 20), ...le(2, 0x800), ...le(2, 0), ...le(4, 0), ...le(4, crc), ...le(4, data.length), ...le(4, data.length), ...le(2, n.length), ...le(2, 0)]);
    const record = Uint8Array.from([
      ...le(4, 0x02014b50), ...le(2, 0x031e), ...le(2, 20), ...le(2, 0x800), ...le(2, 0), ...le(4, 0), ...le(4, crc), ...le(4, data.length), ...le(4, data.length),
      ...le(2, n.length), ...le(2, 0), ...le(2, 0), ...le(2, 0), ...le(2, 0), ...le(4, (0o100644 << 16) >>> 0), ...le(4, at),
    ]);
    locals.push(local, n, data);
    central.push(record, n);
    at += local.length + n.length + data.length;
  }
  const cd = cat(...central);
  const eocd = Uint8Array.from([...le(4, 0x06054b50), ...le(2, 0), ...le(2, 0), ...le(2, entries.length), ...le(2, entries.length), ...le(4, cd.length), ...le(4, at), ...le(2, 0)]);
  return cat(...locals, cd, eocd);
}

// ---------------------------------------------------------------------------------------------------------------

describe('openArchiveBytes: the committed fixtures', () => {
  const rows: [string, string, string[]][] = [
    ['acme-agent-3.1.0.tgz', 'tgz', ['package/dist/cli.js', 'package/dist/cli.js.map']],
    ['acme-agent-3.1.0.tar', 'tar', ['package/dist/cli.js', 'package/dist/cli.js.map']],
    ['acme-agent.zip', 'zip', ['package/README.md', 'package/dist/cli.js', 'package/dist/cli.js.map', 'package/package.json']],
    [
      'acme-agent.vsix',
      'zip',
      ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/dist/cli.js', 'extension/dist/cli.js.map', 'extension/package.json'],
    ],
    ['acme-agent.jar', 'zip', ['META-INF/MANIFEST.MF', 'static/cli.js', 'static/cli.js.map']],
    ['acme-agent.xpi', 'zip', ['cli.js', 'cli.js.map', 'manifest.json']],
    ['acme_agent-3.1.0-py3-none-any.whl', 'zip', ['acme_agent-3.1.0.dist-info/WHEEL', 'acme_agent/static/cli.js', 'acme_agent/static/cli.js.map']],
    ['acme-agent.crx', 'crx', ['cli.js', 'cli.js.map', 'manifest.json']],
    ['acme-agent-crx2.crx', 'crx', ['cli.js', 'cli.js.map', 'manifest.json']],
    ['cli.js.map.gz', 'gzip', ['cli.js.map']],
  ];

  it.each(rows)('%s opens as %s with the expected files, the demo bundle and map inside', (name, format, list) => {
    const opened = openBytes(fixture(name), name);
    expect(opened.format).toBe(format);
    expect(opened.vfs.list()).toEqual(list);
    expect(opened.problems).toEqual([]);
    for (const path of list) {
      expect(opened.vfs.has(path)).toBe(true);
      if (path.endsWith('cli.js.map')) expect(same(opened.vfs.read(path), DEMO_MAP), path).toBe(true);
      if (path.endsWith('cli.js')) expect(same(opened.vfs.read(path), DEMO_JS), path).toBe(true);
    }
    expect(opened.budget.archives).toBe(1);
  });

  it('the npm tarball: package.json and README.md are neither relevant nor archives, so they are not kept', () => {
    const opened = openBytes(fixture('acme-agent-3.1.0.tgz'), 'acme-agent-3.1.0.tgz');
    expect(opened.vfs.has('package/package.json')).toBe(false);
    expect(opened.vfs.has('package/README.md')).toBe(false);
    expect(opened.budget.entries).toBe(4);
  });

  it('the tar is read once, its raw bytes counted as inflated', () => {
    const bytes = fixture('acme-agent-3.1.0.tar');
    const opened = openBytes(bytes, 'acme-agent-3.1.0.tar');
    expect(opened.budget.inflated).toBe(bytes.length);
  });

  it('zip files are read from the vfs on demand, head() gives the first bytes', () => {
    const opened = openBytes(fixture('acme-agent.zip'), 'acme-agent.zip');
    expect(opened.budget.inflated).toBe(0);
    expect(text(opened.vfs.read('package/README.md'))).toBe('# acme-agent\n\nThe Acme deployment agent.\n');
    expect(opened.vfs.head!('package/dist/cli.js.map', 10)).toEqual(DEMO_MAP.subarray(0, 10));
  });

  it('nested.zip lists the npm tarball, which opens in turn', () => {
    const opened = openBytes(fixture('nested.zip'), 'nested.zip');
    expect(opened.format).toBe('zip');
    expect(opened.vfs.list()).toEqual(['docs/readme.txt', 'release/acme-agent-3.1.0.tgz']);
    const inner = opened.vfs.read('release/acme-agent-3.1.0.tgz');
    expect(same(inner, fixture('acme-agent-3.1.0.tgz'))).toBe(true);
    const again = openBytes(inner, 'release/acme-agent-3.1.0.tgz', {}, opened.budget);
    expect(again.vfs.list()).toEqual(['package/dist/cli.js', 'package/dist/cli.js.map']);
    expect(opened.budget.archives).toBe(2);
  });

  it('deep.zip opens level by level down to the tgz at level 4', () => {
    const budget = new Budget(DEFAULT_LIMITS);
    const l1 = openBytes(fixture('deep.zip'), 'deep.zip', {}, budget);
    expect(l1.vfs.list()).toEqual(['inner/level2.zip', 'level1.js.map']);
    const l2 = openBytes(l1.vfs.read('inner/level2.zip'), 'level2.zip', {}, budget);
    expect(l2.vfs.list()).toEqual(['inner/level3.zip', 'level2.js.map']);
    const l3 = openBytes(l2.vfs.read('inner/level3.zip'), 'level3.zip', {}, budget);
    expect(l3.vfs.list()).toEqual(['inner/level4.tgz', 'level3.js.map']);
    const l4 = openBytes(l3.vfs.read('inner/level4.tgz'), 'level4.tgz', {}, budget);
    expect(l4.format).toBe('tgz');
    expect(l4.vfs.list()).toEqual(['package/level4.js.map']);
    expect(JSON.parse(text(l4.vfs.read('package/level4.js.map'))).sourcesContent).toEqual(['four\n']);
    expect(budget.archives).toBe(4);
  });

  it('edge-cases.tar keeps package/dup.js.map with the second content; links and the directory are not files', () => {
    const opened = openBytes(fixture('edge-cases.tar'), 'edge-cases.tar');
    expect(opened.format).toBe('tar');
    expect(opened.problems).toEqual([]);
    const long = (c: string): string => `package/${c.repeat(120)}`;
    expect(opened.vfs.list()).toEqual([
      'package/dup.js.map',
      'package/sized.js.map',
      `${long('x')}/pax.js.map`,
      `${long('y')}/gnu.js.map`,
      `package/${'z'.repeat(100)}/prefix.js.map`,
    ]);
    const dup = JSON.parse(text(opened.vfs.read('package/dup.js.map')));
    expect(dup.sourcesContent).toEqual(['second\nline\n']);
    expect(dup.sources).toEqual(['src/dup-second.ts']);
    expect(JSON.parse(text(opened.vfs.read('package/sized.js.map'))).sourcesContent).toEqual(['s1\ns2\n']);
    expect(opened.vfs.has('package/link.js.map')).toBe(false);
    expect(opened.vfs.has('package/hard.js.map')).toBe(false);
    expect(opened.vfs.has('package/dir')).toBe(false);
  });

  it('edge-cases.tar gzipped reads the same as tgz', () => {
    const opened = openBytes(gzipSync(fixture('edge-cases.tar')), 'edge-cases.tgz');
    expect(opened.format).toBe('tgz');
    expect(opened.vfs.list()).toEqual(openBytes(fixture('edge-cases.tar'), 'edge-cases.tar').vfs.list());
    expect(JSON.parse(text(opened.vfs.read('package/dup.js.map'))).sourcesContent).toEqual(['second\nline\n']);
  });

  it('bad-checksum.tar: a CorruptError problem for the archive; the file before the broken header is kept', () => {
    const opened = openBytes(fixture('bad-checksum.tar'), 'bad-checksum.tar');
    expect(opened.format).toBe('tar');
    expect(opened.vfs.list()).toEqual(['package/first.js.map']);
    expect(problemsOf(opened)).toEqual([{ path: '', name: 'CorruptError', limit: null, message: 'bad tar header checksum at offset 1024' }]);
    expect(opened.problems[0]!.error).toBeInstanceOf(CorruptError);
  });

  it('truncated.tgz: a CorruptError problem; cli.js (complete before the cut) is kept, the cut map is not', () => {
    const opened = openBytes(fixture('truncated.tgz'), 'truncated.tgz');
    expect(opened.format).toBe('tgz');
    expect(opened.vfs.list()).toEqual(['package/dist/cli.js']);
    expect(same(opened.vfs.read('package/dist/cli.js'), DEMO_JS)).toBe(true);
    expect(opened.problems).toHaveLength(1);
    expect(opened.problems[0]!.path).toBe('');
    expect(opened.problems[0]!.error).toBeInstanceOf(CorruptError);
  });

  it('bomb.tgz: stops with LimitError(maxRatio) under 40 MiB inflated; ok.js.map, before the bomb, is kept', () => {
    const opened = openBytes(fixture('bomb.tgz'), 'bomb.tgz');
    expect(opened.format).toBe('tgz');
    expect(opened.vfs.list()).toEqual(['package/ok.js.map']);
    expect(problemsOf(opened)).toEqual([{ path: '', name: 'LimitError', limit: 'maxRatio', message: 'bomb.tgz inflates more than 200 times its compressed size' }]);
    expect(opened.budget.inflated).toBeLessThan(40 * 1024 * 1024);
  });

  it('bomb.zip: lists both files; reading huge.js throws LimitError(maxRatio), ok.js.map reads', () => {
    const opened = openBytes(fixture('bomb.zip'), 'bomb.zip');
    expect(opened.vfs.list()).toEqual(['huge.js', 'ok.js.map']);
    expect(opened.problems).toEqual([]);
    expect(JSON.parse(text(opened.vfs.read('ok.js.map'))).sourcesContent).toEqual(['ok\n']);
    expect(() => opened.vfs.read('huge.js')).toThrow(LimitError);
    expect(opened.budget.inflated).toBeLessThan(40 * 1024 * 1024);
  });
});

describe('openArchiveBytes: tar and tgz', () => {
  it('keeps relevant names and anything whose head is an archive; drops the rest', () => {
    const innerZip = zipSync({ 'a.js.map': utf8('{}') });
    const bytes = tar([
      { name: 'package/inner.zip', data: innerZip },
      { name: 'package/tiny.zip', data: zipSync({}) }, // 22 bytes, shorter than a sniff
      { name: 'package/data.bin', data: gzipSync(randomBytes(1, 2000)) },
      { name: 'package/notes.txt', data: 'notes\n'.repeat(200) },
      { name: 'package/package.json', data: '{"name":"x"}' },
      { name: 'package/style.css', data: '.a{}' },
      { name: 'package/types.d.mts', data: 'export {};' },
      { name: 'package/lib.cjs', data: 'module.exports = 1;' },
      { name: 'package/view.tsx', data: '<a/>' },
      { name: 'package/README', data: '' },
    ]);
    const opened = openBytes(bytes, 'p.tar');
    expect(opened.vfs.list()).toEqual([
      'package/data.bin',
      'package/inner.zip',
      'package/lib.cjs',
      'package/style.css',
      'package/tiny.zip',
      'package/types.d.mts',
      'package/view.tsx',
    ]);
    expect(opened.problems).toEqual([]);
    // Ten entries, and the one file of data.bin, a gzip opened while the tar streamed by.
    expect(opened.budget.entries).toBe(11);
    expect(opened.budget.archives).toBe(2);
    expect(opened.vfs.openNested('package/data.bin', 'gzip')!().opened.vfs.list()).toEqual(['data.bin.ungz']);
    // The zips are kept whole: a zip needs random access.
    expect(opened.vfs.openNested('package/inner.zip', 'zip')).toBeNull();
    expect(same(opened.vfs.read('package/inner.zip'), innerZip)).toBe(true);
  });

  it('the later of two entries with one path wins (tar and tgz)', () => {
    const bytes = tar([
      { name: 'package/a.js.map', data: 'first' },
      { name: 'package/b.js', data: 'b' },
      { name: 'package/a.js.map', data: 'second' },
    ]);
    for (const [b, name] of [
      [bytes, 'a.tar'],
      [gzipSync(bytes), 'a.tgz'],
    ] as const) {
      const opened = openBytes(b, name);
      expect(opened.vfs.list()).toEqual(['package/a.js.map', 'package/b.js']);
      expect(text(opened.vfs.read('package/a.js.map'))).toBe('second');
    }
  });

  it('entry names become paths: ./ and leading / dropped, backslashes folded, .. resolved inside, an escaping .. kept as written', () => {
    const bytes = tar([
      { name: './package/dot.js', data: '1' },
      { name: '/abs/root.js', data: '2' },
      { name: 'win\\style.js', data: '3' },
      { name: 'a/../inside.js', data: '4' },
      { name: '../evil.js', data: '5' },
    ]);
    const opened = openBytes(bytes, 'names.tar');
    expect(opened.vfs.list()).toEqual(['../evil.js', 'abs/root.js', 'inside.js', 'package/dot.js', 'win/style.js']);
    expect(text(opened.vfs.read('win/style.js'))).toBe('3');
  });

  it('an entry over maxEntryBytes is a problem under its own path; the others are kept', () => {
    const bytes = tar([
      { name: './package/a.js', data: 'a' },
      { name: './package/big.js', data: 'b'.repeat(5000) },
      { name: './package/c.js', data: 'c' },
    ]);
    const opened = openBytes(bytes, 'p.tar', { maxEntryBytes: 1000 });
    expect(opened.vfs.list()).toEqual(['package/a.js', 'package/c.js']);
    expect(problemsOf(opened)).toEqual([{ path: 'package/big.js', name: 'LimitError', limit: 'maxEntryBytes', message: 'entry of 5000 bytes is over the per-entry limit' }]);
  });

  it('maxEntries: a LimitError problem for the archive, the entries before it kept', () => {
    const bytes = tar(['a', 'b', 'c', 'd'].map((n) => ({ name: `${n}.js`, data: n })));
    const opened = openBytes(gzipSync(bytes), 'p.tgz', { maxEntries: 2 });
    expect(opened.vfs.list()).toEqual(['a.js', 'b.js']);
    expect(problemsOf(opened)).toEqual([{ path: '', name: 'LimitError', limit: 'maxEntries', message: 'more than 2 archive entries' }]);
  });

  it('a tar split over two gzip members reads whole', () => {
    const bytes = tar([
      { name: 'a.js.map', data: randomBytes(2, 3000) },
      { name: 'b.js', data: 'b' },
    ]);
    const gz = cat(gzipSync(bytes.subarray(0, 700)), gzipSync(bytes.subarray(700)));
    const opened = openBytes(gz, 'split.tgz');
    expect(opened.format).toBe('tgz');
    expect(opened.vfs.list()).toEqual(['a.js.map', 'b.js']);
    expect(opened.vfs.read('a.js.map')).toEqual(randomBytes(2, 3000));
    expect(opened.problems).toEqual([]);
  });

  // GNU gzip documents that trailing zero bytes are ignored ("decompression OK, trailing zero bytes ignored" is not
  // even a warning); Node's zlib ignores them too. Some registry tarballs carry such padding (fflate issue #207,
  // e.g. openurl-1.0.2.tgz). The tar inside is complete: the scan should not report the package as corrupt.
  it('a tgz followed by zero padding opens without a problem', () => {
    const bytes = tar([{ name: 'package/a.js.map', data: '{"version":3}' }]);
    const opened = openBytes(cat(gzipSync(bytes), new Uint8Array(1024)), 'padded.tgz');
    expect(opened.format).toBe('tgz');
    expect(opened.vfs.list()).toEqual(['package/a.js.map']);
    expect(problemsOf(opened)).toEqual([]);
  });

  it('trailing bytes after the end of the tar inside a tgz are not read', () => {
    const bytes = cat(tar([{ name: 'a.js', data: 'a' }]), tar([{ name: 'hidden.js', data: 'h' }]));
    const opened = openBytes(gzipSync(bytes), 'p.tgz');
    expect(opened.vfs.list()).toEqual(['a.js']);
  });
});

describe('openArchiveBytes: a gzipped single file', () => {
  it('x.js.map.gz lists x.js.map with the inflated bytes', () => {
    const map = utf8('{"version":3,"sources":["a.ts"],"sourcesContent":["a"],"mappings":"AAAA"}');
    const opened = openBytes(gzipSync(map), 'dist/x.js.map.gz');
    expect(opened.format).toBe('gzip');
    expect(opened.vfs.list()).toEqual(['x.js.map']);
    expect(opened.vfs.read('x.js.map')).toEqual(map);
    expect(opened.vfs.has('x.js.map')).toBe(true);
    expect(opened.vfs.has('dist/x.js.map')).toBe(false);
    expect(opened.problems).toEqual([]);
    expect(opened.budget.entries).toBe(1);
  });

  it('names: .gz dropped (any case), .tgz becomes .tar, anything else gets .ungz', () => {
    const gz = gzipSync(utf8('not a tar, just text that is long enough to pass the tar sniff... '.repeat(20)));
    expect(openBytes(gz, 'A.JS.MAP.GZ').vfs.list()).toEqual(['A.JS.MAP']);
    expect(openBytes(gz, 'some/dir/bundle.tgz').vfs.list()).toEqual(['bundle.tar']);
    expect(openBytes(gz, 'blob').vfs.list()).toEqual(['blob.ungz']);
  });

  it.each([1, 511, 512, 513, 100_000])('a file of %i bytes is one gzip entry', (size) => {
    const data = randomBytes(size, size);
    data[0] = 0x41; // not a tar header
    const opened = openBytes(gzipSync(data), 'f.bin.gz');
    expect(opened.format).toBe('gzip');
    expect(opened.vfs.list()).toEqual(['f.bin']);
    expect(same(opened.vfs.read('f.bin'), data)).toBe(true);
  });

  // One gzipped file is one entry, whatever its size (including 0): `gzip -c /dev/null` is a valid gzip file of an
  // empty file, not an empty tar (an empty tar is at least its two zero blocks).
  it('a gzipped empty file is format gzip with one empty file', () => {
    const opened = openBytes(gzipSync(new Uint8Array(0)), 'empty.js.map.gz');
    expect(opened.format).toBe('gzip');
    expect(opened.vfs.list()).toEqual(['empty.js.map']);
    expect(opened.vfs.read('empty.js.map')).toEqual(new Uint8Array(0));
  });

  // ArchiveLimits.maxEntryBytes: "Inflated bytes of one archive entry (or of one gzip stream without tar inside)".
  // An entry of a tar over the limit is reported and left out (TarReader: problem(), no file()); a zip entry over
  // it throws on read. A single gzipped file over the limit is reported too, but should not then be in the vfs:
  // what is there is the whole over-limit file (one chunk) or a cut prefix of it presented as the file (many).
  it('a single file over maxEntryBytes is a LimitError problem and is not in the vfs', () => {
    const cases: [string, Uint8Array, number][] = [
      ['one-chunk.js.gz', gzipSync(utf8('x'.repeat(5000))), 1000],
      ['many-chunks.bin.gz', gzipSync(randomBytes(3, 200_000), { level: 1 }), 100_000],
    ];
    for (const [name, gz, maxEntryBytes] of cases) {
      const opened = openBytes(gz, name, { maxEntryBytes });
      expect(opened.format, name).toBe('gzip');
      expect(problemsOf(opened), name).toEqual([{ path: '', name: 'LimitError', limit: 'maxEntryBytes', message: `${name} inflates past the per-entry limit` }]);
      expect(opened.vfs.list().map((p) => [p, opened.vfs.read(p).length]), name).toEqual([]);
    }
  });

  // Whatever the vfs keeps of a gzipped file that hit a limit must be bytes of that file. open.ts adds the length
  // of the chunk that broke maxEntryBytes to its byte count before throwing, but never stores that chunk: the file
  // is then allocated at the larger size and its tail stays zero-filled.
  it('what a single gzipped file leaves in the vfs after a limit is a prefix of the file, no zero fill', () => {
    const data = randomBytes(4, 200_000);
    const gz = gzipSync(data, { level: 1 });
    for (const limits of [{ maxTotalBytes: 100_000 }, { maxEntryBytes: 100_000 }] as Partial<ArchiveLimits>[]) {
      const opened = openBytes(gz, 'cut.bin.gz', limits);
      const label = JSON.stringify(limits);
      expect(opened.problems.map((p) => (p.error as LimitError).limit), label).toEqual(Object.keys(limits));
      for (const path of opened.vfs.list()) {
        const kept = opened.vfs.read(path);
        expect(kept.length, label).toBeLessThan(data.length);
        let matching = 0;
        while (matching < kept.length && kept[matching] === data[matching]) matching++;
        expect({ length: kept.length, matching }, label).toEqual({ length: kept.length, matching: kept.length });
      }
    }
  });

  it('a corrupt gzip is a CorruptError problem', () => {
    const gz = gzipSync(utf8('some text '.repeat(1000)));
    gz[10] = 0x07; // reserved block type
    const opened = openBytes(gz, 'bad.js.gz');
    expect(problemsOf(opened)).toEqual([{ path: '', name: 'CorruptError', limit: null, message: 'bad.js.gz is not valid gzip: invalid block type' }]);
  });
});

describe('openArchiveBytes: zip and crx', () => {
  it('the later of two zip entries with one name wins', () => {
    const zip = storedZip([
      ['dup.js.map', utf8('first')],
      ['other.js', utf8('o')],
      ['dup.js.map', utf8('second')],
    ]);
    const opened = openBytes(zip, 'dup.zip');
    expect(opened.vfs.list()).toEqual(['dup.js.map', 'other.js']);
    expect(text(opened.vfs.read('dup.js.map'))).toBe('second');
  });

  it('zip entry names become paths too', () => {
    const zip = storedZip([
      ['./a/b.js', utf8('1')],
      ['c\\d.js', utf8('2')],
    ]);
    expect(openBytes(zip, 'n.zip').vfs.list()).toEqual(['a/b.js', 'c/d.js']);
  });

  it('every regular zip file is listed, relevant or not', () => {
    const opened = openBytes(zipSync({ 'notes.txt': utf8('n'), 'a.js': utf8('a'), 'img.png': utf8('p') }), 'z.zip');
    expect(opened.vfs.list()).toEqual(['a.js', 'img.png', 'notes.txt']);
  });

  it('a path not in the archive throws on read', () => {
    const opened = openBytes(zipSync({ 'a.js': utf8('a') }), 'z.zip');
    expect(opened.vfs.has('b.js')).toBe(false);
    expect(() => opened.vfs.read('b.js')).toThrow('no entry b.js');
    const tgz = openBytes(gzipSync(tar([{ name: 'a.js', data: 'a' }])), 't.tgz');
    expect(() => tgz.vfs.read('b.js')).toThrow('no entry b.js');
  });

  it('a broken zip is a CorruptError problem and an empty listing', () => {
    const zip = zipSync({ 'a.js': utf8('a') });
    const opened = openBytes(zip.subarray(0, zip.length - 5), 'cut.zip');
    expect(opened.format).toBe('zip');
    expect(opened.vfs.list()).toEqual([]);
    expect(problemsOf(opened)).toEqual([{ path: '', name: 'CorruptError', limit: null, message: 'no end-of-central-directory record (not a zip, or truncated)' }]);
  });

  it('a CRX of version 4 is a CorruptError problem', () => {
    const crx = fixture('acme-agent.crx').slice();
    crx[4] = 4;
    const opened = openBytes(crx, 'v4.crx');
    expect(opened.format).toBe('crx');
    expect(opened.vfs.list()).toEqual([]);
    expect(problemsOf(opened)).toEqual([{ path: '', name: 'CorruptError', limit: null, message: 'CRX version 4 is not 2 or 3' }]);
  });

  it('maxEntries while reading the central directory is a LimitError problem', () => {
    const opened = openBytes(zipSync({ 'a.js': utf8('a'), 'b.js': utf8('b') }), 'z.zip', { maxEntries: 1 });
    expect(opened.vfs.list()).toEqual([]);
    expect(problemsOf(opened)).toEqual([{ path: '', name: 'LimitError', limit: 'maxEntries', message: 'more than 1 archive entries' }]);
  });
});

/** The detected format of each fixture, for the record. */
describe('fixtures by magic', () => {
  it.each([
    ['acme-agent-3.1.0.tgz', 'gzip'],
    ['acme-agent-3.1.0.tar', 'tar'],
    ['acme-agent.crx', 'crx'],
    ['cli.js.map.gz', 'gzip'],
    ['deep.zip', 'zip'],
  ] as [string, ArchiveFormat][])('%s starts like %s', (name, format) => {
    expect(detectArchive(fixture(name))).toBe(format);
  });
});
