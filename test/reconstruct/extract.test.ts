import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSources, formatText, scanSync, type ExtractionManifest, type WrittenSource } from '../../src/node';
import { tar } from '../helpers/tar';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.cjs');
const temp = mkdtempSync(join(tmpdir(), 'smf-extract-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let counter = 0;
/** A path for a new output folder (not created). */
const out = (label: string): string => join(temp, `${++counter}-${label}`);

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');
/** Lines under the README's rule: `\n` count, plus one for a non-empty text not ending in `\n`. */
const lineCount = (text: string): number => (text.match(/\n/g) ?? []).length + (text !== '' && !text.endsWith('\n') ? 1 : 0);

/** Every regular file under `dir`, relative with `/`, sorted; throws on anything that is neither file nor folder. */
function files(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string, rel: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const s = lstatSync(path);
      if (s.isDirectory()) walk(path, r);
      else if (s.isFile()) found.push(r);
      else throw new Error(`not a file or folder: ${r}`);
    }
  };
  walk(dir, '');
  return found.sort();
}

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The checks every extraction must pass: files on disk are exactly the manifest's, with its bytes and hashes. */
function checkDisk(dir: string, manifest: ExtractionManifest): void {
  expect(files(dir)).toEqual([...manifest.written.map((w) => w.path), 'manifest.json'].sort(byPath));
  expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
  for (const w of manifest.written) {
    const bytes = readFileSync(join(dir, ...w.path.split('/')));
    expect(bytes.length, w.path).toBe(w.bytes);
    expect(sha256(bytes), w.path).toBe(w.sha256);
    expect(lineCount(bytes.toString('utf8')), w.path).toBe(w.lines);
  }
  expect(manifest.written.map((w) => w.path)).toEqual(manifest.written.map((w) => w.path).sort(byPath));
  const order = manifest.skipped.map((s) => [s.map, s.index] as const);
  expect(order).toEqual([...order].sort((a, b) => byPath(a[0], b[0]) || a[1] - b[1]));
  expect(manifest.summary).toEqual({
    written: manifest.written.length,
    skipped: manifest.skipped.length,
    bytes: manifest.written.reduce((n, w) => n + w.bytes, 0),
    lines: manifest.written.reduce((n, w) => n + w.lines, 0),
    sanitized: manifest.written.filter((w) => w.notes.length > 0).length,
  });
}

async function rejection(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

interface RawMap {
  sources: (string | null)[];
  sourcesContent: (string | null)[];
}
const demoMap = JSON.parse(readFileSync(join(root, 'fixtures/demo/cli.js.map'), 'utf8')) as RawMap;

/** The files of a .tgz (plain ustar names, enough for the fixture). */
function untgz(path: string): Map<string, Buffer> {
  const data = gunzipSync(readFileSync(path));
  const entries = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= data.length; ) {
    const header = data.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim(), 8);
    const prefix = field(345, 155);
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const type = field(156, 1);
    if (type === '0' || type === '') entries.set(name, Buffer.from(data.subarray(at + 512, at + 512 + size)));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** A map document with these sources and contents. */
const mapOf = (sources: (string | null)[], contents: (string | null)[]): string => JSON.stringify({ version: 3, sources, sourcesContent: contents, mappings: '' });

/** The fields of written entries that do not depend on hashing, for compact expectations. */
const brief = (w: WrittenSource): [string | null, number, string, string[]] => [w.source, w.index, w.path, w.notes];

describe('extractSources: fixtures', () => {
  it('fixtures/demo: 13 files under __outside__, bytes and hashes equal to sourcesContent', async () => {
    const dir = out('demo');
    const { report, manifest } = await extractSources('fixtures/demo', dir);
    expect(report).toEqual(scanSync('fixtures/demo'));
    expect(manifest.manifestVersion).toBe('1.0.0');
    expect(manifest.tool.name).toBe('sourcemap-forensics');
    expect(manifest.target).toEqual({ kind: 'directory', name: 'fixtures/demo' });
    expect(manifest.skipped).toEqual([]);
    expect(manifest.written.map((w) => w.path)).toEqual([
      '__outside__/node_modules/@acme-oss/retry/dist/index.js',
      '__outside__/node_modules/kleur-lite/index.js',
      '__outside__/node_modules/tiny-args/index.js',
      '__outside__/src/api/client.ts',
      '__outside__/src/cli.ts',
      '__outside__/src/commands/chat.ts',
      '__outside__/src/commands/deploy.ts',
      '__outside__/src/commands/login.ts',
      '__outside__/src/config.ts',
      '__outside__/src/feature-flags.ts',
      '__outside__/src/telemetry.ts',
      '__outside__/src/util/format.ts',
      '__outside__/src/version.ts',
    ]);
    for (const w of manifest.written) {
      expect(w.map).toBe('cli.js.map');
      expect(w.source).toBe(demoMap.sources[w.index]);
      expect(w.path).toBe(`__outside__/${demoMap.sources[w.index]!.slice(3)}`);
      expect(w.notes).toEqual(['parent-traversal']);
      const content = demoMap.sourcesContent[w.index]!;
      const disk = readFileSync(join(dir, ...w.path.split('/')));
      expect(disk.equals(Buffer.from(content, 'utf8')), w.path).toBe(true);
      expect(w.sha256).toBe(sha256(content));
      expect(w.bytes).toBe(Buffer.byteLength(content));
      expect(w.lines).toBe(lineCount(content));
    }
    expect(manifest.summary.written).toBe(13);
    expect(manifest.summary.sanitized).toBe(13);
    expect(manifest.summary.bytes).toBe(demoMap.sourcesContent.reduce((n, c) => n + Buffer.byteLength(c!), 0));
    checkDisk(dir, manifest);
  });

  it('an archive: files land under package/src and package/node_modules, equal to the map inside the tarball', async () => {
    const dir = out('tgz');
    const { manifest } = await extractSources('fixtures/archives/acme-agent-3.1.0.tgz', dir);
    expect(manifest.target).toEqual({ kind: 'archive', name: 'fixtures/archives/acme-agent-3.1.0.tgz', format: 'tgz' });
    const inner = untgz(join(root, 'fixtures/archives/acme-agent-3.1.0.tgz')).get('package/dist/cli.js.map');
    expect(inner).toBeDefined();
    const map = JSON.parse(inner!.toString('utf8')) as RawMap;
    expect(manifest.written).toHaveLength(13);
    expect(manifest.skipped).toEqual([]);
    for (const w of manifest.written) {
      expect(w.map).toBe('package/dist/cli.js.map');
      expect(w.source).toBe(map.sources[w.index]);
      expect(w.path).toBe(`package/${map.sources[w.index]!.slice(3)}`);
      expect(w.notes).toEqual([]);
      expect(readFileSync(join(dir, ...w.path.split('/'))).equals(Buffer.from(map.sourcesContent[w.index]!, 'utf8'))).toBe(true);
    }
    expect(manifest.written.filter((w) => w.path.startsWith('package/src/'))).toHaveLength(10);
    expect(manifest.written.filter((w) => w.path.startsWith('package/node_modules/'))).toHaveLength(3);
    expect(manifest.summary.sanitized).toBe(0);
    checkDisk(dir, manifest);
  });

  it('fixtures/basic: 16 written next to their maps, 4 skipped without content, the empty source as an empty file', async () => {
    const dir = out('basic');
    const { report, manifest } = await extractSources('fixtures/basic', dir);
    const folders = ['css', 'external', 'inline-percent', 'inline'];
    const maps = ['css/style.css.map', 'external/app.js.map', 'inline-percent/app.js', 'inline/app.js'];
    expect(manifest.written.map((w) => w.path)).toEqual(
      folders
        .flatMap((f) => ['node_modules/left-pad/index.js', 'src/app.ts', 'src/empty.ts', 'src/util.ts'].map((p) => `${f}/${p}`))
        .sort(byPath),
    );
    expect(manifest.skipped).toEqual(maps.map((map) => ({ source: '/home/alice/work/secret.ts', map, index: 4, reason: 'no-content' })));
    expect(manifest.summary).toMatchObject({ written: 16, skipped: 4, sanitized: 0 });
    const empty = manifest.written.filter((w) => w.path.endsWith('/src/empty.ts'));
    expect(empty.map((w) => [w.bytes, w.lines, w.sha256])).toEqual(folders.map(() => [0, 0, sha256('')]));
    for (const f of folders) expect(lstatSync(join(dir, f, 'src', 'empty.ts')).size).toBe(0);
    // Hashes agree with the scan's own figures.
    for (const w of manifest.written) {
      const entry = report.maps.find((m) => m.path === w.map)!.files[w.index]!;
      expect([w.source, w.sha256, w.bytes, w.lines]).toEqual([entry.source, entry.sha256, entry.bytes, entry.lines]);
    }
    const external = JSON.parse(readFileSync(join(root, 'fixtures/basic/external/app.js.map'), 'utf8')) as RawMap;
    for (const w of manifest.written.filter((x) => x.map === 'external/app.js.map')) {
      expect(readFileSync(join(dir, ...w.path.split('/')), 'utf8')).toBe(external.sourcesContent[w.index]);
    }
    checkDisk(dir, manifest);
  });
});

describe('extractSources: collisions', () => {
  it('same path and content once (duplicate), different content ~2 (renamed), case-insensitive, file before folder is a conflict', async () => {
    const dir = out('dups');
    const map = mapOf(
      ['dup.ts', './dup.ts', 'diff.ts', 'diff.ts', 'A.ts', 'a.ts', 'x', 'x/y.ts', 'p/q.ts', 'p', 'manifest.json', 'Src/C.ts', 'src/c.ts'],
      ['same', 'same', 'one', 'two', 'upper', 'lower', 'file x', 'file y', 'in p', 'file p', 'not the manifest', 'c1', 'c2'],
    );
    const { manifest } = await extractSources({ files: [{ name: 'app.js.map', data: map }] }, dir);
    expect(manifest.target).toEqual({ kind: 'files', name: '<memory>' });
    expect(manifest.written.map(brief)).toEqual([
      ['A.ts', 4, 'A.ts', []],
      ['Src/C.ts', 11, 'Src/C.ts', []],
      ['a.ts', 5, 'a~2.ts', ['renamed']],
      ['diff.ts', 2, 'diff.ts', []],
      ['diff.ts', 3, 'diff~2.ts', ['renamed']],
      ['dup.ts', 0, 'dup.ts', []],
      ['manifest.json', 10, 'manifest~2.json', ['renamed']],
      ['p/q.ts', 8, 'p/q.ts', []],
      ['p', 9, 'p~2', ['renamed']],
      ['src/c.ts', 12, 'src/c~2.ts', ['renamed']],
      ['x', 6, 'x', []],
    ]);
    expect(manifest.skipped).toEqual([
      { source: './dup.ts', map: 'app.js.map', index: 1, reason: 'duplicate', sameAs: 'dup.ts' },
      { source: 'x/y.ts', map: 'app.js.map', index: 7, reason: 'path-conflict' },
    ]);
    expect(readFileSync(join(dir, 'diff.ts'), 'utf8')).toBe('one');
    expect(readFileSync(join(dir, 'diff~2.ts'), 'utf8')).toBe('two');
    expect(readFileSync(join(dir, 'A.ts'), 'utf8')).toBe('upper');
    expect(readFileSync(join(dir, 'a~2.ts'), 'utf8')).toBe('lower');
    expect(readFileSync(join(dir, 'x'), 'utf8')).toBe('file x');
    expect(readFileSync(join(dir, 'p~2'), 'utf8')).toBe('file p');
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
    checkDisk(dir, manifest);
  });

  it('the same content at the same path from two maps is written once', async () => {
    const dir = out('two-maps');
    const { manifest } = await extractSources(
      {
        files: [
          { name: 'b.js.map', data: mapOf(['shared.ts', 'own-b.ts'], ['shared', 'b']) },
          { name: 'a.js.map', data: mapOf(['shared.ts', 'own-a.ts'], ['shared', 'a']) },
        ],
      },
      dir,
    );
    expect(manifest.written.map((w) => [w.map, w.path])).toEqual([
      ['a.js.map', 'own-a.ts'],
      ['b.js.map', 'own-b.ts'],
      ['a.js.map', 'shared.ts'],
    ]);
    expect(manifest.skipped).toEqual([{ source: 'shared.ts', map: 'b.js.map', index: 0, reason: 'duplicate', sameAs: 'shared.ts' }]);
    checkDisk(dir, manifest);
  });

  it('a renamed long name stays within 200 UTF-8 bytes per segment', async () => {
    // The sanitiser shortens a long name to exactly 200 bytes; `~2` must not push it past the limit again.
    const long = `${'n'.repeat(300)}.ts`;
    const dir = out('long-dup');
    const { manifest } = await extractSources({ files: [{ name: 'app.js.map', data: mapOf([long, long], ['first', 'second']) }] }, dir);
    expect(manifest.written).toHaveLength(2);
    expect(manifest.written.map((w) => w.notes)).toEqual([['too-long'], ['too-long', 'renamed']]);
    for (const w of manifest.written) {
      for (const segment of w.path.split('/')) expect(Buffer.byteLength(segment), w.path).toBeLessThanOrEqual(200);
    }
    expect(manifest.written[0]!.path).not.toBe(manifest.written[1]!.path);
  });
});

describe('extractSources: hostile names', () => {
  const long = `${'L'.repeat(300)}.ts`;
  const hostile: [string | null, string, string[]][] = [
    ['../../../../etc/passwd', '__outside__/etc/passwd', ['parent-traversal']],
    ['..%2f..%2fetc%2fshadow', '__outside__/etc/shadow', ['decoded', 'parent-traversal']],
    ['..\\..\\win.ini', '__outside__/win.ini', ['parent-traversal']],
    ['/etc/hosts', '__outside__/etc/hosts', ['absolute']],
    ['C:\\Windows\\system.ini', '__outside__/C/Windows/system.ini', ['absolute']],
    ['\\\\server\\share\\unc.ts', '__outside__/server/share/unc.ts', ['absolute']],
    ['nul\u0000byte.ts', 'nul_byte.ts', ['invalid-characters']],
    ['\uff0e\uff0e\uff0f\uff0e\uff0e\uff0ffull.ts', '__outside__/full.ts', ['normalized', 'parent-traversal']],
    ['CON', 'CON_', ['reserved-name']],
    ['con.ts', 'con_.ts', ['reserved-name']],
    ['LPT1.txt', 'LPT1_.txt', ['reserved-name']],
    ['dot.', 'dot_', ['trailing-dot-or-space']],
    ['space ', 'space_', ['trailing-dot-or-space']],
    ['x<y>.ts', 'x_y_.ts', ['invalid-characters']],
    ['webpack:///./src/w.ts', 'webpack/src/w.ts', ['scheme']],
    ['file:///home/u/f.ts', 'file/home/u/f.ts', ['scheme']],
    ['vite:/v.ts', 'vite/v.ts', ['scheme']],
    ['ng:///n.ts', 'ng/n.ts', ['scheme']],
    [null, '__unnamed__/evil.js.map/source-18', ['unnamed']],
  ];

  it('writes every class inside the output folder, reports what changed, and touches nothing outside', async () => {
    const base = mkdtempSync(join(temp, 'hostile-'));
    const dir = join(base, 'out');
    const sources = [...hostile.map((h) => h[0]), long];
    const contents = sources.map((_, i) => `content ${i}\n`);
    const { manifest } = await extractSources({ files: [{ name: 'evil.js.map', data: mapOf(sources, contents) }] }, dir);
    expect(readdirSync(base)).toEqual(['out']);
    expect(manifest.skipped).toEqual([]);
    const written = new Map(manifest.written.map((w) => [w.index, w]));
    hostile.forEach(([source, path, notes], i) => {
      const w = written.get(i);
      expect(w && [w.source, w.path, w.notes], String(source)).toEqual([source, path, notes]);
      expect(readFileSync(join(dir, ...path.split('/')), 'utf8')).toBe(`content ${i}\n`);
    });
    const longEntry = written.get(hostile.length)!;
    expect(longEntry.path).toMatch(/^L+~[0-9a-f]{8}\.ts$/);
    expect(Buffer.byteLength(longEntry.path)).toBe(200);
    expect(longEntry.notes).toEqual(['too-long']);
    expect(manifest.summary.sanitized).toBe(sources.length);
    checkDisk(dir, manifest);
  });

  it('archive entry names that climb out (zip-slip) only change the folder inside the output', async () => {
    const base = mkdtempSync(join(temp, 'slip-'));
    const dir = join(base, 'out');
    const map = mapOf(['../../../etc/passwd', 'ok.ts'], ['p', 'o']);
    const bytes = tar([
      { name: '../../evil/x.js.map', data: map },
      { name: 'package/dist/z.js.map', data: mapOf(['../src/z.ts'], ['z']) },
    ]);
    const { manifest } = await extractSources({ name: 'slip.tar', bytes }, dir);
    expect(manifest.written.map((w) => [w.map, w.path, w.notes])).toEqual([
      ['../../evil/x.js.map', '__outside__/etc/passwd', ['parent-traversal']],
      ['../../evil/x.js.map', '__outside__/evil/ok.ts', ['parent-traversal']],
      ['package/dist/z.js.map', 'package/src/z.ts', []],
    ]);
    expect(readdirSync(base)).toEqual(['out']);
    checkDisk(dir, manifest);
  });

  it('a link planted in a forced output folder is not followed: unsafe-existing-path', async () => {
    const base = mkdtempSync(join(temp, 'planted-'));
    const victim = join(base, 'victim');
    mkdirSync(victim);
    const dir = join(base, 'out');
    mkdirSync(dir);
    symlinkSync(victim, join(dir, 'src'), 'dir');
    const { manifest } = await extractSources({ files: [{ name: 'app.js.map', data: mapOf(['src/a.ts', 'b.ts'], ['a', 'b']) }] }, dir, { force: true });
    expect(manifest.written.map((w) => w.path)).toEqual(['b.ts']);
    expect(manifest.skipped).toEqual([{ source: 'src/a.ts', map: 'app.js.map', index: 0, reason: 'unsafe-existing-path' }]);
    expect(readdirSync(victim)).toEqual([]);
    expect(lstatSync(join(dir, 'src')).isSymbolicLink()).toBe(true);
  });
});

describe('extractSources: limits and options', () => {
  it('maxWriteBytes: sources that would pass it are skipped as limit', async () => {
    const dir = out('limit');
    const ten = '0123456789';
    const { manifest } = await extractSources({ files: [{ name: 'app.js.map', data: mapOf(['a.ts', 'b.ts', 'c.ts'], [ten, ten, ten]) }] }, dir, { maxWriteBytes: 25 });
    expect(manifest.written.map((w) => w.path)).toEqual(['a.ts', 'b.ts']);
    expect(manifest.skipped).toEqual([{ source: 'c.ts', map: 'app.js.map', index: 2, reason: 'limit' }]);
    expect(manifest.summary.bytes).toBe(20);
    expect(existsSync(join(dir, 'c.ts'))).toBe(false);
    checkDisk(dir, manifest);
  });

  it('maxWriteBytes 0 writes only empty sources', async () => {
    const dir = out('limit0');
    const { manifest } = await extractSources({ files: [{ name: 'app.js.map', data: mapOf(['a.ts', 'e.ts'], ['a', '']) }] }, dir, { maxWriteBytes: 0 });
    expect(manifest.written.map((w) => w.path)).toEqual(['e.ts']);
    expect(manifest.skipped.map((s) => [s.source, s.reason])).toEqual([['a.ts', 'limit']]);
    checkDisk(dir, manifest);
  });

  it.each([[{ maxWriteBytes: -1 }], [{ maxWriteBytes: 1.5 }], [{ maxWriteBytes: '10' }], [{ force: 'yes' }], [{ bogus: true }]])(
    'rejects %j with INVALID_OPTION before creating the output folder',
    async (options) => {
      const dir = out('bad-option');
      expect(await rejection(extractSources('fixtures/demo', dir, options as never))).toBe('INVALID_OPTION');
      expect(existsSync(dir)).toBe(false);
    },
  );

  it('refuses a folder that is not empty (OUTPUT_NOT_EMPTY), writes into it with force', async () => {
    const dir = out('not-empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'keep');
    expect(await rejection(extractSources('fixtures/demo', dir))).toBe('OUTPUT_NOT_EMPTY');
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    const { manifest } = await extractSources('fixtures/demo', dir, { force: true });
    expect(manifest.summary.written).toBe(13);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('keep');
    expect(files(dir)).toEqual([...manifest.written.map((w) => w.path), 'keep.txt', 'manifest.json'].sort(byPath));
    // A second forced run over its own output replaces the files and gives the same manifest.
    const again = await extractSources('fixtures/demo', dir, { force: true });
    expect(again.manifest).toEqual(manifest);
  });

  it('refuses an output that is a file or a link (OUTPUT_UNWRITABLE)', async () => {
    const base = mkdtempSync(join(temp, 'unwritable-'));
    writeFileSync(join(base, 'file'), 'x');
    mkdirSync(join(base, 'real'));
    symlinkSync(join(base, 'real'), join(base, 'link'), 'dir');
    expect(await rejection(extractSources('fixtures/demo', join(base, 'file')))).toBe('OUTPUT_UNWRITABLE');
    expect(await rejection(extractSources('fixtures/demo', join(base, 'link'), { force: true }))).toBe('OUTPUT_UNWRITABLE');
    expect(readdirSync(join(base, 'real'))).toEqual([]);
    expect(readFileSync(join(base, 'file'), 'utf8')).toBe('x');
  });
});

describe('extractSources: determinism and reports as targets', () => {
  it('two runs into two folders give equal, sorted manifests and equal trees', async () => {
    const a = out('run-a');
    const b = out('run-b');
    const one = await extractSources('fixtures/basic', a);
    const two = await extractSources('fixtures/basic', b);
    expect(two.manifest).toEqual(one.manifest);
    expect(readFileSync(join(b, 'manifest.json'), 'utf8')).toBe(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(files(b)).toEqual(files(a));
    checkDisk(a, one.manifest);
  });

  it('a report of a path scan is scanned again and gives the same manifest', async () => {
    for (const target of ['fixtures/demo', 'fixtures/archives/acme-agent-3.1.0.tgz', 'fixtures/demo/cli.js']) {
      const direct = await extractSources(target, out('direct'));
      const again = await extractSources(scanSync(target), out('from-report'));
      expect(again.manifest, target).toEqual(direct.manifest);
      expect(again.report, target).toEqual(direct.report);
    }
  });

  it('a report of an in-memory { files } target is INVALID_TARGET, and nothing is created', async () => {
    const report = scanSync({ files: [{ name: 'app.js.map', data: mapOf(['a.ts'], ['a']) }] });
    const dir = out('memory-report');
    expect(await rejection(extractSources(report, dir))).toBe('INVALID_TARGET');
    expect(existsSync(dir)).toBe(false);
  });

  it('a report of an in-memory { name, bytes } target is INVALID_TARGET, not a scan of a same-named path on disk', async () => {
    // The report of `{ name, bytes }` carries target.inMemory, so its name (here a real file on disk holding a
    // different map) is never read again as a path.
    const report = scanSync({ name: 'fixtures/demo/cli.js.map', bytes: mapOf(['only.ts'], ['in memory']) });
    expect(report.target).toEqual({ kind: 'file', name: 'fixtures/demo/cli.js.map', inMemory: true });
    const dir = out('bytes-report');
    const code = await rejection(extractSources(report, dir));
    expect(code).toBe('INVALID_TARGET');
    expect(existsSync(dir)).toBe(false);
  });
});

describe('sourcemap-forensics scan --extract (built CLI)', () => {
  function run(...args: string[]) {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  beforeAll(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
  });

  it('writes the same files and manifest as the API', async () => {
    const viaCli = out('cli');
    const viaApi = out('api');
    const { manifest } = await extractSources('fixtures/demo', viaApi);
    const { bytes, lines } = manifest.summary;
    const r = run('scan', 'fixtures/demo', '--extract', viaCli);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatText(scanSync('fixtures/demo')));
    expect(r.stderr).toBe(
      `sourcemap-forensics: extracted 13 files (${bytes} bytes, ${lines} lines) to ${viaCli}; 0 not written, 13 renamed to stay inside or be portable; see ${viaCli}/manifest.json\n`,
    );
    expect(readFileSync(join(viaCli, 'manifest.json'), 'utf8')).toBe(readFileSync(join(viaApi, 'manifest.json'), 'utf8'));
    expect(files(viaCli)).toEqual(files(viaApi));
    checkDisk(viaCli, manifest);
  });

  it('exits 2 for --extract with two targets, creating nothing', () => {
    const dir = out('cli-two');
    const r = run('scan', 'fixtures/demo', 'fixtures/basic', '--extract', dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sourcemap-forensics: --extract takes exactly one target\nRun "sourcemap-forensics --help" for usage.\n');
    expect(existsSync(dir)).toBe(false);
  });

  it('exits 2 for --force without --extract', () => {
    const r = run('scan', 'fixtures/demo', '--force');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sourcemap-forensics: --force only applies to --extract\nRun "sourcemap-forensics --help" for usage.\n');
  });

  it('exits 2 on a folder that is not empty, and extracts with --force', () => {
    const dir = out('cli-not-empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'keep');
    const refused = run('scan', 'fixtures/demo', '--extract', dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    const forced = run('scan', 'fixtures/demo', '--extract', dir, '--force', '--quiet');
    expect([forced.code, forced.stdout, forced.stderr]).toEqual([0, '', '']);
    expect(files(dir)).toHaveLength(15);
  });
});
