import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index';
import * as node from '../src/node';

describe('public surface', () => {
  it('pins the exports of the main entry', () => {
    expect(Object.keys(core).sort()).toEqual([
      'FINDING_SEVERITY',
      'ForensicsError',
      'ParsedMap',
      'REPORT_SCHEMA_URL',
      'SCHEMA_VERSION',
      'VERSION',
      'analyzeSourceMap',
      'checkPolicy',
      'diffReports',
      'evaluatePolicy',
      'extractSourceMappingUrl',
      'formatDiffText',
      'formatJson',
      'formatMarkdown',
      'formatSarif',
      'formatText',
      'isForensicsError',
      'isIgnored',
      'originalPositionFor',
      'parseSourceMap',
      'scan',
      'scanSync',
      'validateSourceMap',
    ]);
  });

  it('gives the Node entry the same names plus its I/O functions, with path-capable scan functions', () => {
    expect(Object.keys(node).sort()).toEqual([...Object.keys(core), 'assertNoExposure', 'extractSources', 'parseNpmSpec', 'scanAny', 'scanMany', 'scanNpmPackage', 'scanPackage', 'scanUrl'].sort());
    expect(node.scanSync).not.toBe(core.scanSync);
    expect(node.parseSourceMap).toBe(core.parseSourceMap);
  });

  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(core.VERSION).toBe(pkg.version);
    expect(core.REPORT_SCHEMA_URL).toContain(`@${pkg.version}/`);
  });
});

describe('misuse is a ForensicsError with a stable code', () => {
  it.each([
    ['a path on the browser-safe entry', () => core.scanSync('dist'), 'PATH_NEEDS_NODE', /sourcemap-forensics\/node/],
    ['a number as target', () => core.scanSync(42 as never), 'INVALID_TARGET', /must be a path/],
    ['a bad file entry', () => core.scanSync({ files: [{ name: 'a.js' }] } as never), 'INVALID_TARGET', /files\[0\]/],
    ['an unknown option', () => core.scanSync({ files: [] }, { depth: 3 } as never), 'INVALID_OPTION', /unknown option "depth"/],
    ['onProgress not a function', () => core.scanSync({ files: [] }, { onProgress: 1 } as never), 'INVALID_OPTION', /"onProgress" must be a function/],
    ['an unknown analyze option', () => core.analyzeSourceMap('{}', { file: 'x' } as never), 'INVALID_OPTION', /unknown option "file"/],
    ['an invalid map to parseSourceMap', () => core.parseSourceMap('{"version":2}'), 'INVALID_SOURCE_MAP', /"version" is number 2/],
  ])('%s', (_name, call, code, message) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(core.isForensicsError(error)).toBe(true);
    expect((error as core.ForensicsError).code).toBe(code);
    expect((error as Error).message).toMatch(/^\[sourcemap-forensics\] /);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a path on the async main entry too', async () => {
    await expect(core.scan('dist')).rejects.toMatchObject({ code: 'PATH_NEEDS_NODE' });
  });
});
