import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceMap, formatJson, scan, scanSync } from '../../src/node';
import type { ExposureReport, MapEntry } from '../../src/node';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const at = (path: string): string => join(fixtures, path);
const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Every file below a directory, as in-memory files with paths relative to it. */
function filesOf(dir: string, prefix = ''): { name: string; data: Uint8Array }[] {
  const out: { name: string; data: Uint8Array }[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesOf(dir, rel));
    else out.push({ name: rel, data: readFileSync(join(dir, rel)) });
  }
  return out;
}

// The truth of fixtures/basic, by construction (scripts/make-fixtures.mjs, BASIC_SOURCES).
const basicMap = JSON.parse(readFileSync(at('basic/external/app.js.map'), 'utf8')) as { sourcesContent: (string | null)[] };
const BASIC_FILES = [
  { index: 0, source: 'src/app.ts', path: 'src/app.ts', hasContent: true, lines: 10, bytes: 204, mappedLines: 5, thirdParty: false, ignoreListed: false, absolutePath: false, homeDirectory: false },
  { index: 1, source: 'src/util.ts', path: 'src/util.ts', hasContent: true, lines: 2, bytes: 59, mappedLines: 2, thirdParty: false, ignoreListed: false, absolutePath: false, homeDirectory: false },
  { index: 2, source: 'node_modules/left-pad/index.js', path: 'node_modules/left-pad/index.js', hasContent: true, lines: 3, bytes: 68, mappedLines: 3, thirdParty: true, ignoreListed: true, absolutePath: false, homeDirectory: false },
  { index: 3, source: 'src/empty.ts', path: 'src/empty.ts', hasContent: true, lines: 0, bytes: 0, mappedLines: 0, thirdParty: false, ignoreListed: false, absolutePath: false, homeDirectory: false },
  { index: 4, source: '/home/alice/work/secret.ts', path: '/home/alice/work/secret.ts', hasContent: false, lines: 0, bytes: 0, mappedLines: 0, thirdParty: false, ignoreListed: false, absolutePath: true, homeDirectory: true },
].map((f) => ({
  ...f,
  sha256: f.hasContent ? sha(basicMap.sourcesContent[f.index]!) : null,
  // First-party comment-only lines: app.ts opens with one comment line; the rest have none; third-party and absent: null.
  commentLines: [1, 0, null, 0, null][f.index]!,
}));
const BASIC_SOURCES = { total: 5, withContent: 4, withoutContent: 1, firstParty: 4, thirdParty: 1, ignoreListed: 1, absolutePaths: 1 };
const BASIC_CONTENT = {
  lines: 15,
  bytes: 331,
  firstPartyLines: 12,
  firstPartyBytes: 263,
  thirdPartyLines: 3,
  thirdPartyBytes: 68,
  mappedLines: 10,
  unmappedLines: 5,
};

function expectBasic(map: MapEntry | undefined): void {
  expect(map).toBeDefined();
  expect(map!.files).toEqual(BASIC_FILES);
  expect(map!.sources).toEqual(BASIC_SOURCES);
  expect(map!.content).toEqual(BASIC_CONTENT);
  expect(map!.valid).toBe(true);
}

describe('one map, every representation, the same figures', () => {
  const cases: [string, () => ExposureReport, { path: string; kind: 'external' | 'inline'; generatedFiles: string[] }][] = [
    ['external .map next to its .js (directory)', () => scanSync(at('basic/external')), { path: 'app.js.map', kind: 'external', generatedFiles: ['app.js'] }],
    ['the .js file alone, its map read from beside it', () => scanSync(at('basic/external/app.js')), { path: 'app.js.map', kind: 'external', generatedFiles: ['app.js'] }],
    ['the .map file alone', () => scanSync(at('basic/external/app.js.map')), { path: 'app.js.map', kind: 'external', generatedFiles: [] }],
    ['inline base64 data: URL', () => scanSync(at('basic/inline')), { path: 'app.js', kind: 'inline', generatedFiles: ['app.js'] }],
    ['inline percent-encoded data: URL', () => scanSync(at('basic/inline-percent')), { path: 'app.js', kind: 'inline', generatedFiles: ['app.js'] }],
    ['CSS with an external map', () => scanSync(at('basic/css')), { path: 'style.css.map', kind: 'external', generatedFiles: ['style.css'] }],
    ['in-memory files', () => scanSync({ files: filesOf(at('basic/external')) }), { path: 'app.js.map', kind: 'external', generatedFiles: ['app.js'] }],
    ['one file in memory', () => scanSync({ name: 'app.js.map', bytes: readFileSync(at('basic/external/app.js.map')) }), { path: 'app.js.map', kind: 'external', generatedFiles: [] }],
    ['the map through analyzeSourceMap', () => analyzeSourceMap(readFileSync(at('basic/external/app.js.map'), 'utf8'), { path: 'app.js.map' }), { path: 'app.js.map', kind: 'external', generatedFiles: [] }],
  ];
  for (const [name, run, expected] of cases) {
    it(name, () => {
      const report = run();
      expect(report.maps).toHaveLength(1);
      expect(report.maps[0]).toMatchObject({ ...expected, orphan: false, format: 'regular', sections: 0 });
      expectBasic(report.maps[0]);
      expect(report.summary.sources).toEqual(BASIC_SOURCES);
      expect(report.summary.content).toEqual(BASIC_CONTENT);
      expect(report.summary.exposure).toBe('first-party-source');
      expect(report.summary.severity).toBe('critical');
      expect(report.findings.map((f) => f.code)).toEqual(['FIRST_PARTY_SOURCE_EXPOSED', 'ABSOLUTE_SOURCE_PATHS', 'COMMENTS_EXPOSED']);
      expect(report.findings[2]!.args).toEqual({ commentLines: 1, lines: 12, percent: 8.3 });
      expect(report.findings[0]!.args).toEqual({ files: 3, lines: 12, bytes: 263 });
      expect(report.findings[1]!.args).toEqual({ count: 1, homeDirectories: 1, example: '/home/alice/work/secret.ts' });
    });
  }

  it('sums the four maps of the basic directory', () => {
    const report = scanSync(at('basic'));
    expect(report.target).toEqual({ kind: 'directory', name: at('basic') });
    expect(report.maps.map((m) => [m.path, m.kind])).toEqual([
      ['css/style.css.map', 'external'],
      ['external/app.js.map', 'external'],
      ['inline-percent/app.js', 'inline'],
      ['inline/app.js', 'inline'],
    ]);
    for (const map of report.maps) expectBasic(map);
    expect(report.summary.maps).toEqual({ total: 4, external: 2, inline: 2, index: 0, invalid: 0, missing: 0, orphan: 0, remote: 0 });
    expect(report.summary.sources).toEqual({ total: 20, withContent: 16, withoutContent: 4, firstParty: 16, thirdParty: 4, ignoreListed: 4, absolutePaths: 4 });
    expect(report.summary.content).toEqual({
      lines: 60,
      bytes: 1324,
      firstPartyLines: 48,
      firstPartyBytes: 1052,
      thirdPartyLines: 12,
      thirdPartyBytes: 272,
      mappedLines: 40,
      unmappedLines: 20,
    });
    expect(report.summary.filesScanned).toBe(6);
  });

  it('gives the same per-source figures for the index-map form, summed over its sections', () => {
    const report = scanSync(at('index-map'));
    expect(report.maps).toHaveLength(1);
    expect(report.maps[0]).toMatchObject({ path: 'app.js.map', format: 'index', sections: 2, generatedFiles: ['app.js'] });
    expectBasic(report.maps[0]);
    expect(report.summary.maps.index).toBe(1);
  });
});

describe('discovery', () => {
  const report = scanSync(at('discovery'));

  it('measures each map once, with the generated files that reference it', () => {
    expect(report.maps.map((m) => [m.path, m.kind, m.generatedFiles, m.orphan, m.valid])).toEqual([
      ['inline.css', 'inline', ['inline.css'], false, true],
      ['invalid.js.map', 'external', ['invalid.js'], false, false],
      ['maps/nested.mjs.map', 'external', ['lib/nested.mjs'], false, true],
      ['ok.js.map', 'external', ['ok.js'], false, true],
      ['orphan.js.map', 'external', [], true, true],
      ['shared.js.map', 'external', ['shared-a.js', 'shared-b.js'], false, true],
    ]);
  });

  it('lists missing, outside, remote, orphan and invalid maps', () => {
    expect(report.missingMaps).toEqual([
      { url: '/etc/passwd', generatedFile: 'absolute.js', resolvedPath: null, reason: 'outside-target' },
      { url: '..%2f..%2f..%2fetc%2fpasswd', generatedFile: 'encoded.js', resolvedPath: null, reason: 'outside-target' },
      { url: 'missing.js.map', generatedFile: 'missing.js', resolvedPath: 'missing.js.map', reason: 'not-found' },
      { url: '../../../../etc/passwd', generatedFile: 'outside.js', resolvedPath: null, reason: 'outside-target' },
    ]);
    expect(report.remoteMaps).toEqual([
      { url: 'file:///etc/remote.js.map', generatedFile: 'file-url.cjs' },
      { url: 'https://cdn.example.com/remote.js.map', generatedFile: 'remote.js' },
    ]);
    expect(report.orphanMaps).toEqual([{ path: 'orphan.js.map' }]);
    expect(report.invalidMaps.map((m) => [m.path, m.kind, m.measured, m.diagnostics[0]!.code])).toEqual([
      ['bad-data.js', 'inline', false, 'DATA_URL_INVALID'],
      ['broken.js.map', 'external', false, 'MAP_NOT_JSON'],
      ['invalid.js.map', 'external', true, 'MAPPINGS_BAD_CHARACTER'],
    ]);
  });

  it('sums the map counts and the files it read', () => {
    expect(report.summary.maps).toEqual({ total: 8, external: 6, inline: 2, index: 0, invalid: 3, missing: 4, orphan: 1, remote: 2 });
    // 16 generated files (readme.txt is not one) + 6 external maps.
    expect(report.summary.filesScanned).toBe(22);
  });

  it('ignores annotations that ECMA-426 does not count', () => {
    const generated = new Set([...report.maps.flatMap((m) => m.generatedFiles), ...report.missingMaps.map((m) => m.generatedFile)]);
    expect(generated.has('not-last.js')).toBe(false);
    expect(generated.has('style.css')).toBe(false);
    expect(generated.has('readme.txt')).toBe(false);
  });

  it('turns every problem into a finding with a stable code', () => {
    expect(report.findings.map((f) => `${f.severity} ${f.code} ${f.location.path}`)).toEqual([
      'critical FIRST_PARTY_SOURCE_EXPOSED inline.css',
      'critical FIRST_PARTY_SOURCE_EXPOSED invalid.js.map',
      'critical FIRST_PARTY_SOURCE_EXPOSED maps/nested.mjs.map',
      'critical FIRST_PARTY_SOURCE_EXPOSED ok.js.map',
      'critical FIRST_PARTY_SOURCE_EXPOSED orphan.js.map',
      'critical FIRST_PARTY_SOURCE_EXPOSED shared.js.map',
      'medium MAP_URL_OUTSIDE_TARGET absolute.js',
      'medium MAP_URL_OUTSIDE_TARGET encoded.js',
      'medium MAP_URL_OUTSIDE_TARGET outside.js',
      'low MAP_SPEC_VIOLATION invalid.js.map',
      'low MAP_UNREADABLE bad-data.js',
      'low MAP_UNREADABLE broken.js.map',
      'info MAP_MISSING missing.js',
      'info MAP_ORPHAN orphan.js.map',
      'info MAP_REMOTE file-url.cjs',
      'info MAP_REMOTE remote.js',
    ]);
    for (const f of report.findings) expect(f.message.length).toBeGreaterThan(10);
  });
});

describe('paths, safety and determinism', () => {
  const temp = mkdtempSync(join(tmpdir(), 'smf-scan-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('never reads a map outside the target, even when it exists', () => {
    const target = join(temp, 'outside', 'target');
    mkdirSync(target, { recursive: true });
    const leak = JSON.stringify({ version: 3, sources: ['x.ts'], sourcesContent: ['leak\n'], names: [], mappings: 'AAAA' });
    writeFileSync(join(temp, 'outside', 'secret.js.map'), leak);
    writeFileSync(join(target, 'a.js'), 'a();\n//# sourceMappingURL=../secret.js.map\n');
    const report = scanSync(target);
    expect(report.maps).toEqual([]);
    expect(report.missingMaps).toEqual([{ url: '../secret.js.map', generatedFile: 'a.js', resolvedPath: null, reason: 'outside-target' }]);
    expect(report.summary.bytesScanned).toBe(statSync(join(target, 'a.js')).size);
  });

  it('does not follow symbolic links', () => {
    const target = join(temp, 'links');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(temp, 'real.js.map'), JSON.stringify({ version: 3, sources: ['x.ts'], sourcesContent: ['leak'], names: [], mappings: '' }));
    symlinkSync(join(temp, 'real.js.map'), join(target, 'linked.js.map'));
    writeFileSync(join(target, 'b.js'), 'b();\n//# sourceMappingURL=linked.js.map\n');
    const report = scanSync(target);
    expect(report.maps).toEqual([]);
    expect(report.missingMaps).toEqual([{ url: 'linked.js.map', generatedFile: 'b.js', resolvedPath: 'linked.js.map', reason: 'not-found' }]);
  });

  it('gives byte-identical JSON for the same input, and the same maps from disk and memory', () => {
    const a = formatJson(scanSync(at('discovery')));
    const b = formatJson(scanSync(at('discovery')));
    expect(a).toBe(b);
    const fromMemory = scanSync({ files: filesOf(at('discovery')).reverse(), name: at('discovery') });
    expect({ ...fromMemory, target: null }).toEqual({ ...JSON.parse(a), target: null });
  });

  it('reports progress up to the last file', () => {
    const seen: number[] = [];
    scanSync(at('basic'), { onProgress: (p) => seen.push(p.filesDone) });
    expect(seen.at(-1)).toBe(6);
  });

  it('has an async twin with the same result', async () => {
    expect(await scan(at('basic'))).toEqual(scanSync(at('basic')));
  });

  it('throws TARGET_UNREADABLE for a path that does not exist', () => {
    expect(() => scanSync(join(temp, 'nope'))).toThrowError(expect.objectContaining({ code: 'TARGET_UNREADABLE' }));
  });

  it('throws INVALID_OPTION for an unknown option, naming it', () => {
    expect(() => scanSync(at('basic'), { colour: true } as never)).toThrowError(/unknown option "colour"/);
  });

  it('reports a target with no maps as clean', () => {
    const report = scanSync({ files: [{ name: 'a.js', data: 'a();\n' }] });
    expect(report.summary.exposure).toBe('none');
    expect(report.summary.severity).toBe('none');
    expect(report.findings).toEqual([]);
  });
});

describe('the demo fixture', () => {
  it('exposes the first-party app and its node_modules', () => {
    const report = scanSync(at('demo'));
    expect(report.maps.map((m) => m.path)).toEqual(['cli.js.map']);
    expect(report.summary.sources).toEqual({ total: 13, withContent: 13, withoutContent: 0, firstParty: 10, thirdParty: 3, ignoreListed: 0, absolutePaths: 0 });
    // Every source file's own line count, from the inputs (fixtures/inputs/demo-app).
    const inputs = fileURLToPath(new URL('../../fixtures/inputs/demo-app/', import.meta.url));
    for (const file of report.maps[0]!.files) {
      const text = readFileSync(join(inputs, file.source!.replace(/^\.\.\//, '')), 'utf8');
      const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      expect([file.source, file.lines, file.bytes, file.sha256]).toEqual([file.source, lines, Buffer.byteLength(text), sha(text)]);
    }
    expect(report.summary.content).toMatchObject({ lines: 712, bytes: 24453, firstPartyLines: 609, firstPartyBytes: 21454, thirdPartyLines: 103, thirdPartyBytes: 2999 });
  });
});
