import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { scanPackage, scanSync } from '../../src/node';
import type { ExposureReport, ScanProgress } from '../../src/node';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const at = (path: string): string => join(fixtures, path);
const temp = mkdtempSync(join(tmpdir(), 'smf-archives-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The figures that must not depend on the container. */
const figures = (r: ExposureReport) => ({
  exposure: r.summary.exposure,
  severity: r.summary.severity,
  maps: r.summary.maps,
  sources: r.summary.sources,
  content: r.summary.content,
  files: r.maps.flatMap((m) => m.files),
});

// The demo map, the truth every container of the acme-agent package must reproduce.
const demo = scanSync(at('demo'));
const DEMO = figures(demo);

describe('one package, every container, the same figures', () => {
  it('has the demo figures to compare with', () => {
    expect(DEMO.sources).toEqual({ total: 13, withContent: 13, withoutContent: 0, firstParty: 10, thirdParty: 3, ignoreListed: 0, absolutePaths: 0 });
    expect(DEMO.content.lines).toBe(712);
  });

  it.each([
    ['acme-agent-3.1.0.tgz', 'tgz', 'package/dist/cli.js.map', ['package/dist/cli.js'], 4],
    ['acme-agent-3.1.0.tar', 'tar', 'package/dist/cli.js.map', ['package/dist/cli.js'], 4],
    ['acme-agent.zip', 'zip', 'package/dist/cli.js.map', [], 4],
    ['acme-agent.vsix', 'zip', 'extension/dist/cli.js.map', [], 5],
    ['acme-agent.jar', 'zip', 'static/cli.js.map', [], 3],
    ['acme-agent.xpi', 'zip', 'cli.js.map', [], 3],
    ['acme_agent-3.1.0-py3-none-any.whl', 'zip', 'acme_agent/static/cli.js.map', [], 3],
    ['acme-agent.crx', 'crx', 'cli.js.map', [], 3],
    ['acme-agent-crx2.crx', 'crx', 'cli.js.map', [], 3],
    ['cli.js.map.gz', 'gzip', 'cli.js.map', [], 1],
  ])('%s (%s)', (file, format, mapPath, generatedFiles, entries) => {
    const report = scanSync(at(`archives/${file}`));
    expect(report.target).toEqual({ kind: 'archive', name: at(`archives/${file}`), format });
    expect(report.maps.map((m) => m.path)).toEqual([mapPath]);
    expect(report.summary.archives).toMatchObject({ total: 1, entries });
    // The zip-family fixtures carry cli.js without its comment's target dir layout; only the tar keeps the package's.
    if (generatedFiles.length > 0) expect(report.maps[0]!.generatedFiles).toEqual(generatedFiles);
    const f = figures(report);
    expect({ ...f, maps: { ...f.maps, orphan: 0 } }).toEqual({ ...DEMO, maps: { ...DEMO.maps, orphan: 0 } });
  });

  it('gives identical summaries for the package as published directory, .tgz, .zip and in memory', async () => {
    const published = await scanPackage(at('packages/acme-agent'));
    const tgz = scanSync(at('archives/acme-agent-3.1.0.tgz'));
    const zip = scanSync({ name: 'acme-agent.zip', bytes: readFileSync(at('archives/acme-agent.zip')) });
    const memory = scanSync({
      files: ['package.json', 'README.md', 'dist/cli.js', 'dist/cli.js.map'].map((name) => ({ name, data: readFileSync(at(`packages/acme-agent/${name}`)) })),
    });
    for (const report of [tgz, zip, memory]) expect(figures(report)).toEqual(figures(published));
    expect(figures(published)).toEqual(DEMO);
    expect(zip.target).toEqual({ kind: 'archive', name: 'acme-agent.zip', inMemory: true, format: 'zip' });
  });

  it('gives the same counts for the tarball as for the directory it unpacks to', () => {
    const dir = join(temp, 'unpacked');
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('tar', ['-xzf', at('archives/acme-agent-3.1.0.tgz'), '-C', dir]);
    const unpacked = scanSync(dir);
    const packed = scanSync(at('archives/acme-agent-3.1.0.tgz'));
    expect(figures(unpacked)).toEqual(figures(packed));
    expect(unpacked.maps.map((m) => m.path)).toEqual(packed.maps.map((m) => m.path));
  });
});

describe('nested archives', () => {
  it('reports nested entries as outer!/inner!/path', () => {
    const report = scanSync(at('archives/nested.zip'));
    expect(report.maps.map((m) => [m.path, m.generatedFiles])).toEqual([
      ['release/acme-agent-3.1.0.tgz!/package/dist/cli.js.map', ['release/acme-agent-3.1.0.tgz!/package/dist/cli.js']],
    ]);
    expect(report.summary.archives).toMatchObject({ total: 2, entries: 6 });
    expect(figures(report).content).toEqual(DEMO.content);
  });

  it('opens three levels by default and reports the fourth as a limit', () => {
    const report = scanSync(at('archives/deep.zip'));
    expect(report.maps.map((m) => m.path)).toEqual([
      'inner/level2.zip!/inner/level3.zip!/level3.js.map',
      'inner/level2.zip!/level2.js.map',
      'level1.js.map',
    ]);
    expect(report.findings.filter((f) => f.code === 'ARCHIVE_LIMIT').map((f) => [f.location.path, f.args.limit, f.args.value])).toEqual([
      ['inner/level2.zip!/inner/level3.zip!/inner/level4.tgz', 'maxDepth', 3],
    ]);
  });

  it('follows maxDepth', () => {
    expect(scanSync(at('archives/deep.zip'), { maxDepth: 4 }).maps).toHaveLength(4);
    expect(scanSync(at('archives/deep.zip'), { maxDepth: 1 }).maps.map((m) => m.path)).toEqual(['level1.js.map']);
    // Depth 0: the target itself is still opened (it is what was asked for), nothing inside it.
    expect(scanSync(at('archives/nested.zip'), { maxDepth: 1 }).maps).toEqual([]);
  });

  it('opens archives found in a directory', () => {
    const report = scanSync(at('archives'), { maxDepth: 2 });
    const paths = report.maps.map((m) => m.path);
    expect(paths).toContain('acme-agent-3.1.0.tgz!/package/dist/cli.js.map');
    expect(paths).toContain('acme-agent.crx!/cli.js.map');
    expect(paths).toContain('nested.zip!/release/acme-agent-3.1.0.tgz!/package/dist/cli.js.map');
    expect(paths).toContain('cli.js.map.gz!/cli.js.map');
  });
});

describe('tar edge cases, by construction', () => {
  const report = scanSync(at('archives/edge-cases.tar'));

  it('honours PAX path, GNU long names, the ustar prefix and PAX size; the later duplicate wins', () => {
    expect(report.maps.map((m) => [m.path, m.files.map((f) => f.source), m.content.lines])).toEqual([
      ['package/dup.js.map', ['src/dup-second.ts'], 2],
      ['package/sized.js.map', ['src/sized.ts'], 2],
      [`package/${'x'.repeat(120)}/pax.js.map`, ['src/pax.ts'], 1],
      [`package/${'y'.repeat(120)}/gnu.js.map`, ['src/gnu.ts'], 1],
      [`package/${'z'.repeat(100)}/prefix.js.map`, ['src/prefix.ts'], 1],
    ]);
  });

  it('counts only regular files: links and directories are not entries', () => {
    expect(report.summary.archives.entries).toBe(6);
    expect(report.maps.some((m) => m.path.includes('link') || m.path.includes('hard'))).toBe(false);
  });
});

describe('limits and damage are findings; the scan goes on', () => {
  it('stops a gzip bomb by its ratio, after real bytes, and keeps what came before', () => {
    const report = scanSync(at('archives/bomb.tgz'));
    expect(report.maps.map((m) => m.path)).toEqual(['package/ok.js.map']);
    const limit = report.findings.find((f) => f.code === 'ARCHIVE_LIMIT')!;
    expect([limit.severity, limit.location.path, limit.args.limit, limit.args.value]).toEqual(['medium', 'bomb.tgz', 'maxRatio', 200]);
    expect(report.summary.archives.inflatedBytes).toBeLessThan(40 * 1024 * 1024);
    expect(report.summary.archives.inflatedBytes).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('stops a zip bomb entry and reads the other entries', () => {
    const report = scanSync(at('archives/bomb.zip'));
    expect(report.maps.map((m) => m.path)).toEqual(['ok.js.map']);
    expect(report.findings.filter((f) => f.code === 'ARCHIVE_LIMIT').map((f) => [f.location.path, f.args.limit])).toEqual([['huge.js', 'maxRatio']]);
  });

  it.each([
    [{ maxEntryBytes: 1024 }, 'maxEntryBytes'],
    [{ maxTotalBytes: 20_000 }, 'maxTotalBytes'],
    [{ maxEntries: 2 }, 'maxEntries'],
  ])('enforces %j', (options, limit) => {
    const report = scanSync(at('archives/acme-agent-3.1.0.tgz'), options);
    expect(report.findings.filter((f) => f.code === 'ARCHIVE_LIMIT').map((f) => f.args.limit)).toContain(limit);
    expect(report.summary.exposure).not.toBe('first-party-source');
  });

  it('reports a truncated tarball and the entries it could read', () => {
    const report = scanSync(at('archives/truncated.tgz'));
    const corrupt = report.findings.filter((f) => f.code === 'ARCHIVE_CORRUPT');
    expect(corrupt.map((f) => [f.severity, f.location.path])).toEqual([['low', 'truncated.tgz']]);
    expect(corrupt[0]!.message).toContain('unexpected EOF');
  });

  it('reports a broken tar header and keeps the entries before it', () => {
    const report = scanSync(at('archives/bad-checksum.tar'));
    expect(report.maps.map((m) => m.path)).toEqual(['package/first.js.map']);
    expect(report.findings.filter((f) => f.code === 'ARCHIVE_CORRUPT').map((f) => f.args.reason)).toEqual(['bad tar header checksum at offset 1024']);
  });

  it('rejects limit options that are not positive integers, naming them', () => {
    expect(() => scanSync(at('archives/deep.zip'), { maxDepth: -1 })).toThrowError(/option "maxDepth" must be an integer >= 0, got -1/);
    expect(() => scanSync(at('archives/deep.zip'), { maxRatio: 1.5 })).toThrowError(/option "maxRatio" must be an integer >= 1/);
  });

  it('reports archive progress', () => {
    const seen: ScanProgress[] = [];
    scanSync(at('archives/nested.zip'), { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toMatchObject({ archiveEntries: 6 });
    expect(seen.at(-1)!.bytesInflated).toBeGreaterThan(0);
  });
});

describe('scanPackage: what npm would publish', () => {
  it('scans exactly the files npm pack lists', async () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', at('packages/acme-agent')], { encoding: 'utf8' })) as [
      { files: { path: string }[] },
    ];
    expect(packed[0].files.map((f) => f.path).sort()).toEqual(['README.md', 'dist/cli.js', 'dist/cli.js.map', 'package.json']);
    const report = await scanPackage(at('packages/acme-agent'));
    expect(report.target).toEqual({ kind: 'package', name: at('packages/acme-agent') });
    expect(report.maps.map((m) => [m.path, m.generatedFiles])).toEqual([['dist/cli.js.map', ['dist/cli.js']]]);
    // The directory also holds test/ with a map, which npm does not publish.
    expect(scanSync(at('packages/acme-agent')).maps.map((m) => m.path)).toEqual(['dist/cli.js.map', 'test/cli.test.js.map']);
  });

  it('passes a package whose files list keeps the map home, noting the dangling reference', async () => {
    const report = await scanPackage(at('packages/acme-agent-clean'));
    expect(report.summary.exposure).toBe('none');
    expect(report.missingMaps).toEqual([{ url: 'cli.js.map', generatedFile: 'dist/cli.js', resolvedPath: 'dist/cli.js.map', reason: 'not-found' }]);
  });

  it('throws TARGET_UNREADABLE for a directory without package.json', async () => {
    await expect(scanPackage(at('archives'))).rejects.toMatchObject({ code: 'TARGET_UNREADABLE' });
    await expect(scanPackage(at('archives/deep.zip'))).rejects.toMatchObject({ code: 'TARGET_UNREADABLE' });
  });
});
