import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSource } from '../../../src/input/archive/bytes';
import { detectArchive } from '../../../src/input/archive/detect';
import { Budget, DEFAULT_LIMITS } from '../../../src/input/archive/limits';
import { openArchive } from '../../../src/input/archive/open';
import { scanSync, type ExposureReport } from '../../../src/node';
import { randomBytes } from '../../helpers/prng';
import { tar } from '../../helpers/tar';

// Archives inside archives: tar and gzip entries stream from their outer entry instead of being read whole.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'fixtures/archives', name)));
const MTIME = new Date('1985-10-26T08:15:00Z');
const zip = (files: Record<string, Uint8Array | string>, level: 0 | 1 | 6 = 6): Uint8Array =>
  zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [typeof v === 'string' ? new TextEncoder().encode(v) : v, { mtime: MTIME }]])), { level });
const gzip = (bytes: Uint8Array): Uint8Array => gzipSync(bytes, { mtime: MTIME });
const relevant = (path: string): boolean => /\.(map|js)$/.test(path);

/** The demo map's figures, which every container of the acme-agent package must give. */
const figures = (r: ExposureReport) => ({ exposure: r.summary.exposure, sources: r.summary.sources, content: r.summary.content, files: r.maps.flatMap((m) => m.files) });
const DEMO = figures(scanSync(join(root, 'fixtures/demo')));

/** A ByteSource that records the length of every read. */
function spySource(bytes: Uint8Array): ByteSource & { reads: number[] } {
  const inner = memorySource(bytes);
  const reads: number[] = [];
  return { size: inner.size, reads, read: (offset, length) => (reads.push(length), inner.read(offset, length)) };
}

/** A budget that records every count of inflated bytes. */
class CountingBudget extends Budget {
  counts: number[] = [];
  override inflate(n: number): void {
    this.counts.push(n);
    super.inflate(n);
  }
}

describe('nested archives give the figures they gave when read whole', () => {
  // Expected values were recorded with the reader that read every nested archive whole before opening it (e7c56b8).
  // `bytesScanned` is given past the outer archive's own size, which depends on the compressor of the day.
  const rows: [string, () => Uint8Array, { maps: [string, string[]][]; archives: object; filesScanned: number; bytesPastOuter: number }][] = [
    [
      'nested.zip (tgz in zip)',
      () => fixture('nested.zip'),
      {
        maps: [['release/acme-agent-3.1.0.tgz!/package/dist/cli.js.map', ['release/acme-agent-3.1.0.tgz!/package/dist/cli.js']]],
        archives: { total: 2, entries: 6, inflatedBytes: 76130 },
        filesScanned: 3,
        bytesPastOuter: 87255 - 16493,
      },
    ],
    [
      'tar in zip',
      () => zip({ 'release/acme-agent-3.1.0.tar': fixture('acme-agent-3.1.0.tar'), 'docs/readme.txt': 'notes\n' }),
      {
        maps: [['release/acme-agent-3.1.0.tar!/package/dist/cli.js.map', ['release/acme-agent-3.1.0.tar!/package/dist/cli.js']]],
        archives: { total: 2, entries: 6, inflatedBytes: 119302 },
        filesScanned: 3,
        bytesPastOuter: 130719 - 16777,
      },
    ],
    [
      'tgz in tgz',
      () => gzip(tar([{ name: 'outer/acme-agent-3.1.0.tgz', data: fixture('acme-agent-3.1.0.tgz') }, { name: 'outer/notes.txt', data: 'x\n' }])),
      {
        maps: [['outer/acme-agent-3.1.0.tgz!/package/dist/cli.js.map', ['outer/acme-agent-3.1.0.tgz!/package/dist/cli.js']]],
        archives: { total: 2, entries: 6, inflatedBytes: 78336 },
        filesScanned: 3,
        bytesPastOuter: 87194 - 16432,
      },
    ],
    [
      'tar in tar',
      () => tar([{ name: 'outer/acme-agent-3.1.0.tar', data: fixture('acme-agent-3.1.0.tar') }]),
      {
        maps: [['outer/acme-agent-3.1.0.tar!/package/dist/cli.js.map', ['outer/acme-agent-3.1.0.tar!/package/dist/cli.js']]],
        archives: { total: 2, entries: 5, inflatedBytes: 120320 },
        filesScanned: 3,
        bytesPastOuter: 174870 - 60928,
      },
    ],
    [
      'a gzipped map in a zip',
      () => zip({ 'maps/cli.js.map.gz': fixture('cli.js.map.gz') }),
      { maps: [['maps/cli.js.map.gz!/cli.js.map', []]], archives: { total: 2, entries: 2, inflatedBytes: 50914 }, filesScanned: 2, bytesPastOuter: 63408 - 13006 },
    ],
    [
      'zip in tgz (kept whole: a zip needs random access)',
      () => gzip(tar([{ name: 'outer/acme-agent.zip', data: fixture('acme-agent.zip') }])),
      {
        maps: [['outer/acme-agent.zip!/package/dist/cli.js.map', ['outer/acme-agent.zip!/package/dist/cli.js']]],
        archives: { total: 2, entries: 5, inflatedBytes: 76242 },
        filesScanned: 3,
        bytesPastOuter: 94018 - 19675,
      },
    ],
    [
      'tgz in tgz in zip',
      () => zip({ 'outer.tgz': gzip(tar([{ name: 'outer/acme-agent-3.1.0.tgz', data: fixture('acme-agent-3.1.0.tgz') }])) }),
      {
        maps: [['outer.tgz!/outer/acme-agent-3.1.0.tgz!/package/dist/cli.js.map', ['outer.tgz!/outer/acme-agent-3.1.0.tgz!/package/dist/cli.js']]],
        archives: { total: 3, entries: 6, inflatedBytes: 94204 },
        filesScanned: 4,
        bytesPastOuter: 103643 - 16501,
      },
    ],
  ];

  it.each(rows)('%s', (name, make, expected) => {
    const bytes = make();
    const report = scanSync({ name, bytes });
    expect(report.maps.map((m) => [m.path, m.generatedFiles])).toEqual(expected.maps);
    expect(report.summary.archives).toEqual(expected.archives);
    expect(report.summary.filesScanned).toBe(expected.filesScanned);
    expect(report.summary.bytesScanned - bytes.length).toBe(expected.bytesPastOuter);
    expect(report.findings.filter((f) => f.code.startsWith('ARCHIVE'))).toEqual([]);
    expect(figures(report)).toEqual(DEMO);
  });

  it('deep.zip: the fourth level is still a maxDepth finding, and nothing else changed', () => {
    const report = scanSync({ name: 'deep.zip', bytes: fixture('deep.zip') });
    expect(report.maps.map((m) => m.path)).toEqual(['inner/level2.zip!/inner/level3.zip!/level3.js.map', 'inner/level2.zip!/level2.js.map', 'level1.js.map']);
    expect(report.summary.archives).toEqual({ total: 3, entries: 6, inflatedBytes: 2806 });
    expect([report.summary.filesScanned, report.summary.bytesScanned]).toEqual([5, 2553]);
    expect(report.findings.filter((f) => f.code === 'ARCHIVE_LIMIT').map((f) => [f.location.path, f.args.limit])).toEqual([
      ['inner/level2.zip!/inner/level3.zip!/inner/level4.tgz', 'maxDepth'],
    ]);
  });
});

describe('nested archives are streamed, not read whole', () => {
  // A package of 2 MB: a small map beside incompressible bytes, so its tgz is about 2 MB too.
  const blob = randomBytes(1, 2 * 1024 * 1024);
  const mapText = JSON.stringify({ version: 3, sources: ['a.ts'], sourcesContent: ['export const a = 1;\n'], mappings: 'AAAA' });
  const packageTar = tar([
    { name: 'package/dist/a.js.map', data: mapText },
    { name: 'package/assets/blob.bin', data: blob },
  ]);
  const packageTgz = gzip(packageTar);

  it.each([
    ['tgz', packageTgz, 'gzip'],
    ['tar', packageTar, 'tar'],
  ] as const)('a %s in a zip inflates into its reader chunk by chunk; the entry is never read whole', (kind, inner, format) => {
    const outer = zip({ [`release/package.${kind}`]: inner }, 1);
    const source = spySource(outer);
    const budget = new CountingBudget(DEFAULT_LIMITS);
    const opened = openArchive(source, 'zip', 'outer.zip', budget, relevant);
    const path = `release/package.${kind}`;
    // Opening read the end of the zip (its last 64 KiB + 21 bytes, where the end record may be) and its directory.
    source.reads.length = 0;
    opened.vfs.read = () => {
      throw new Error('read whole');
    };
    expect(detectArchive(opened.vfs.head!(path, 512))).toBe(format);
    const nested = opened.vfs.openNested(path, format)!();
    expect(nested.bytes).toBe(inner.length);
    expect(nested.opened.vfs.list()).toEqual(['package/dist/a.js.map']);
    expect(new TextDecoder().decode(nested.opened.vfs.read('package/dist/a.js.map'))).toBe(mapText);
    // The entry was read 64 KiB at a time, and inflated bytes were counted a chunk at a time (160 KiB at most).
    expect(Math.max(...source.reads)).toBeLessThanOrEqual(64 * 1024);
    expect(source.reads.reduce((a, b) => a + b, 0)).toBeGreaterThan(inner.length / 2);
    expect(budget.counts.length).toBeGreaterThan(20);
    expect(Math.max(...budget.counts)).toBeLessThanOrEqual(160 * 1024);
    // The head read counts 512 bytes, the zip entry counts once, its contents once more as they inflate (a tar's
    // bytes count as inflated too).
    expect(budget.inflated).toBe(512 + inner.length + packageTar.length);
  });

  it('a tgz in a tar is opened while the outer tar streams: only what it keeps is held', () => {
    const outer = tar([
      { name: 'bundle/package.tgz', data: packageTgz },
      { name: 'bundle/app.js', data: 'app();\n' },
    ]);
    const source = spySource(outer);
    const opened = openArchive(source, 'tar', 'bundle.tar', new Budget(DEFAULT_LIMITS), relevant);
    expect(opened.vfs.list()).toEqual(['bundle/app.js', 'bundle/package.tgz']);
    expect(Math.max(...source.reads)).toBeLessThanOrEqual(64 * 1024);
    expect(() => opened.vfs.read('bundle/package.tgz')).toThrow('its bytes were not kept');
    expect(opened.vfs.head!('bundle/package.tgz', 3)).toEqual(packageTgz.subarray(0, 3));
    const nested = opened.vfs.openNested('bundle/package.tgz', 'gzip')!();
    expect(nested).toMatchObject({ bytes: packageTgz.length, opened: { format: 'tgz', problems: [] } });
    expect(nested.opened.vfs.list()).toEqual(['package/dist/a.js.map']);
  });

  it('past the depth limit only the head of a nested archive is kept, for the scan to report', () => {
    const outer = tar([{ name: 'bundle/package.tgz', data: packageTgz }]);
    const budget = new Budget(DEFAULT_LIMITS);
    const opened = openArchive(memorySource(outer), 'tar', 'bundle.tar', budget, relevant, 0);
    expect(opened.vfs.openNested('bundle/package.tgz', 'gzip')).toBeNull();
    expect(detectArchive(opened.vfs.head!('bundle/package.tgz', 512))).toBe('gzip');
    expect(() => opened.vfs.read('bundle/package.tgz')).toThrow();
    expect(budget.archives).toBe(1);
  });

  it('a zip in a tar is kept whole (random access), bounded by maxEntryBytes', () => {
    const innerZip = zip({ 'a.js.map': mapText });
    const outer = tar([{ name: 'bundle/inner.zip', data: innerZip }]);
    const opened = openArchive(memorySource(outer), 'tar', 'bundle.tar', new Budget(DEFAULT_LIMITS), relevant);
    expect(opened.vfs.openNested('bundle/inner.zip', 'zip')).toBeNull();
    expect(opened.vfs.read('bundle/inner.zip')).toEqual(innerZip);
    const limited = openArchive(memorySource(outer), 'tar', 'bundle.tar', new Budget({ ...DEFAULT_LIMITS, maxEntryBytes: 100 }), relevant);
    expect(limited.vfs.list()).toEqual([]);
    expect(limited.problems.map((p) => [p.path, p.error.message])).toEqual([['bundle/inner.zip', `archive entry of ${innerZip.length} bytes is over the per-entry limit`]]);
  });

  it('a nested archive cut off with its outer tar is dropped, as its bytes would have been', () => {
    const outer = tar([{ name: 'bundle/package.tgz', data: packageTgz }]);
    const opened = openArchive(memorySource(outer.subarray(0, 512 + 100_000)), 'tar', 'bundle.tar', new Budget(DEFAULT_LIMITS), relevant);
    expect(opened.vfs.list()).toEqual([]);
    expect(opened.problems.map((p) => [p.path, p.error.message])).toEqual([['', 'the tar stream ends inside entry "bundle/package.tgz" (truncated)']]);
  });

  it('a scan of a zip holding a 2 MB tgz (stored) finds the map inside and counts every byte once per layer', () => {
    const outer = zip({ 'release/package.tgz': packageTgz }, 0);
    const report = scanSync({ name: 'release.zip', bytes: outer });
    expect(report.maps.map((m) => m.path)).toEqual(['release/package.tgz!/package/dist/a.js.map']);
    // The sniff's head read, the entry, then the tar inside it.
    expect(report.summary.archives).toEqual({ total: 2, entries: 3, inflatedBytes: 512 + packageTgz.length + packageTar.length });
    expect(report.summary.bytesScanned).toBe(outer.length + packageTgz.length + mapText.length);
  });
});
