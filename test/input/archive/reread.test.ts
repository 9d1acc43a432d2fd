import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSource } from '../../../src/input/archive/bytes';
import { GunzipStream, type GunzipCheckpoint } from '../../../src/input/archive/gzip';
import { Budget, DEFAULT_LIMITS } from '../../../src/input/archive/limits';
import { ON_DEMAND_BYTES, openArchive, type OpenedArchive } from '../../../src/input/archive/open';
import { deflateStart, gzipPoint, gzipStart, StreamReader, type ResumePoint } from '../../../src/input/archive/reread';
import { detectArchive } from '../../../src/input/archive/detect';
import { scanSync, type ExposureReport } from '../../../src/node';
import { mulberry32 } from '../../helpers/prng';
import { tar } from '../../helpers/tar';
import * as zlib from 'node:zlib';

const MiB = 1024 * 1024;
const MTIME = new Date('1985-10-26T08:15:00Z');
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

/** Source-like text of `n` bytes. */
function text(seed: number, n: number): string {
  const random = mulberry32(seed);
  const words = ['const ', 'value', ' = ', 'function ', 'return ', '(a, b)', ' => ', '{\n', '}\n', ';\n', 'index', '.map', '"x"'];
  let s = '';
  while (s.length < n) s += words[Math.floor(random() * words.length)];
  return s.slice(0, n);
}

/** A ByteSource that records every read. */
function spySource(bytes: Uint8Array): ByteSource & { reads: [number, number][] } {
  const inner = memorySource(bytes);
  const reads: [number, number][] = [];
  return { size: inner.size, reads, read: (offset, length) => (reads.push([offset, length]), inner.read(offset, length)) };
}

/** A resume point that counts how often decoding started over from it. */
function counted(point: ResumePoint): ResumePoint & { starts: number } {
  const wrapped = { out: point.out, starts: 0, start: (onData: (chunk: Uint8Array) => void) => (wrapped.starts++, point.start(onData)) };
  return wrapped;
}

describe('StreamReader', () => {
  const data = utf8(text(1, 3 * MiB));
  const gz = gzipSync(data, { level: 6, mtime: MTIME });

  it('reads ranges of a gzip stream again; forward reads go on, a read behind starts over', () => {
    const point = counted(gzipStart(memorySource(gz), 'x.gz'));
    const reader = new StreamReader('x.gz');
    const ranges: [number, number][] = [
      [0, 10],
      [10, 100_000],
      [200_000, 5],
      [200_005, 1_000_000],
      [2 * MiB, 3 * MiB - 2 * MiB],
    ];
    for (const [offset, length] of ranges) expect(same(reader.read(point, offset, length), data.subarray(offset, offset + length))).toBe(true);
    expect(point.starts).toBe(1);
    expect(same(reader.read(point, 5, 50), data.subarray(5, 55))).toBe(true);
    expect(point.starts).toBe(2);
    expect(reader.read(point, 7, 0)).toEqual(new Uint8Array(0));
  });

  it('a read past the end of the stream is a CorruptError', () => {
    const reader = new StreamReader('x.gz');
    expect(() => reader.read(gzipStart(memorySource(gz), 'x.gz'), data.length - 5, 10)).toThrow(/x.gz ends before the 10 bytes at offset/);
  });

  it('goes on from a checkpoint taken while the stream was first inflated (several members)', () => {
    const members = gzipSync(data.subarray(0, MiB), { mtime: MTIME });
    const stream = Buffer.concat([members, gzipSync(data.subarray(MiB), { level: 1, mtime: MTIME })]);
    const checkpoints: GunzipCheckpoint[] = [];
    const gunzip: GunzipStream = new GunzipStream(new Budget(DEFAULT_LIMITS), 'two.gz', () => void checkpoints.push(gunzip.checkpoint()));
    for (let at = 0; at < stream.length; at += 30_000) gunzip.push(stream.subarray(at, at + 30_000));
    gunzip.end();
    expect(checkpoints.length).toBeGreaterThan(10);
    const reader = new StreamReader('two.gz');
    for (const checkpoint of checkpoints.filter((_, i) => i % 3 === 0)) {
      const offset = checkpoint.output + 17;
      const length = Math.min(300_000, data.length - offset);
      expect(same(reader.read(gzipPoint(memorySource(stream), checkpoint, 'two.gz'), offset, length), data.subarray(offset, offset + length)), `from ${checkpoint.output}`).toBe(true);
    }
  });

  it('reads raw deflate data (a zip entry) again from its start', () => {
    const deflated = new Uint8Array(zlib.deflateRawSync(data));
    const reader = new StreamReader('a zip entry');
    const point = deflateStart(memorySource(deflated), 'entry');
    expect(same(reader.read(point, 123_456, 654_321), data.subarray(123_456, 123_456 + 654_321))).toBe(true);
    expect(same(reader.read(point, 0, data.length), data)).toBe(true);
  });
});

describe('big files of an archive are read again on demand, not held', () => {
  // A 5 MB map with full sourcesContent and a 5 MB bundle: both past ON_DEMAND_BYTES.
  const sources = Array.from({ length: 50 }, (_, i) => `src/module-${i}.ts`);
  const contents = sources.map((_, i) => text(100 + i, 100_000));
  const map = utf8(JSON.stringify({ version: 3, file: 'app.js', sources, sourcesContent: contents, names: [], mappings: sources.map((_, i) => (i === 0 ? 'AAAA' : 'ACAA')).join(';') }));
  const bundle = utf8(`${text(7, 5 * MiB)}\n//# sourceMappingURL=app.js.map\n`);
  const small = utf8('{"version":3,"sources":["b.ts"],"sourcesContent":["b\\n"],"mappings":"AAAA"}');
  const files = [
    { name: 'package/dist/app.js.map', data: map },
    { name: 'package/dist/app.js', data: bundle },
    { name: 'package/dist/small.js.map', data: small },
  ];
  const packageTar = tar(files);
  const packageTgz = gzipSync(packageTar, { level: 6, mtime: MTIME });
  const zipOf = (level: 0 | 6) => zipSync(Object.fromEntries(files.map((f) => [f.name, [f.data, { mtime: MTIME, level }]])));

  it('the test package is big enough', () => {
    expect(Math.min(map.length, bundle.length)).toBeGreaterThan(ON_DEMAND_BYTES);
  });

  const containers: [string, () => Uint8Array][] = [
    ['tgz', () => packageTgz],
    ['tar', () => packageTar],
    ['zip, deflated', () => zipOf(6)],
    ['zip, stored', () => zipOf(0)],
    ['tgz in a stored zip entry', () => zipSync({ 'release/package.tgz': [packageTgz, { mtime: MTIME, level: 0 }] })],
    ['tar in a tar', () => tar([{ name: 'release/package.tar', data: packageTar }])],
  ];

  /** The archive's Vfs holding the package files, nested one level down for the nested containers. */
  function packageVfs(opened: OpenedArchive): OpenedArchive['vfs'] {
    const nested = opened.vfs.list().find((p) => p.startsWith('release/'));
    if (nested === undefined) return opened.vfs;
    return opened.vfs.openNested(nested, detectArchive(opened.vfs.head!(nested, 512))!)!().opened.vfs;
  }

  it.each(containers)('%s: mapFile() and read() give the bytes, read from the archive each time', (_name, make) => {
    const bytes = make();
    const source = spySource(bytes);
    const budget = new Budget(DEFAULT_LIMITS);
    const vfs = packageVfs(openArchive(source, detectArchive(bytes)!, 'package', budget, (p) => /\.(map|js)$/.test(p)));
    const inflated = budget.inflated;
    const file = vfs.mapFile('package/dist/app.js.map')!;
    expect(file.size).toBe(map.length);
    source.reads.length = 0;
    expect(same(file.read(0, file.size), map)).toBe(true);
    expect(source.reads.length).toBeGreaterThan(0);
    // Pieces, in order then back again.
    for (const [offset, length] of [
      [1000, 50_000],
      [2_000_000, 10],
      [map.length - 100, 100],
      [30, 3],
    ] as const) {
      expect(same(file.read(offset, length), map.subarray(offset, offset + length)), `${offset}+${length}`).toBe(true);
    }
    expect(() => file.read(map.length - 1, 2)).toThrow(RangeError);
    source.reads.length = 0;
    expect(same(vfs.read('package/dist/app.js'), bundle)).toBe(true);
    expect(source.reads.length).toBeGreaterThan(0);
    // Small files are held as before; reading again is not counted against the limits.
    expect(vfs.mapFile('package/dist/small.js.map')).toBeNull();
    expect(vfs.read('package/dist/small.js.map')).toEqual(small);
    if (!_name.startsWith('zip')) expect(budget.inflated).toBe(inflated);
  });

  const inner = (path: string): string => path.replace(/^.*!\//, '');
  const figures = (r: ExposureReport) => ({
    maps: r.maps.map((m) => ({ ...m, path: inner(m.path), generatedFiles: m.generatedFiles.map(inner) })),
    summary: { ...r.summary, archives: null, bytesScanned: null, filesScanned: null },
  });

  it.each(containers)('%s: a scan gives the figures of the same files given in memory', (name, make) => {
    const reference = scanSync({ files: files.map((f) => ({ name: f.name, data: f.data })) });
    const report = scanSync({ name: `package.${name}`, bytes: make() });
    expect(report.maps.map((m) => m.path.replace(/^.*!\//, ''))).toEqual(['package/dist/app.js.map', 'package/dist/small.js.map']);
    expect(figures(report)).toEqual(figures(reference));
  });

  it('a big gzipped map on its own is inflated again when read', () => {
    const gz = gzipSync(map, { mtime: MTIME });
    const source = spySource(gz);
    const opened = openArchive(source, 'gzip', 'app.js.map.gz', new Budget(DEFAULT_LIMITS), () => true);
    expect(opened.format).toBe('gzip');
    const file = opened.vfs.mapFile('app.js.map')!;
    expect(file.size).toBe(map.length);
    source.reads.length = 0;
    expect(same(opened.vfs.read('app.js.map'), map)).toBe(true);
    expect(source.reads.length).toBeGreaterThan(0);
    const reference = scanSync({ files: [{ name: 'app.js.map', data: map }] });
    expect(figures(scanSync({ name: 'app.js.map.gz', bytes: gz }))).toEqual(figures(reference));
  });

  it('without a source to read again (a tgz streamed out of a deflated zip entry), big files are held', () => {
    const outer = zipSync({ 'release/package.tgz': [packageTgz, { mtime: MTIME, level: 1 }] });
    const opened = openArchive(memorySource(outer), 'zip', 'outer.zip', new Budget(DEFAULT_LIMITS), (p) => /\.(map|js)$/.test(p));
    const vfs = opened.vfs.openNested('release/package.tgz', 'gzip')!().opened.vfs;
    expect(vfs.mapFile('package/dist/app.js.map')).toBeNull();
    expect(same(vfs.read('package/dist/app.js.map'), map)).toBe(true);
  });
});
