import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { measureMap } from '../../src/analysis/measure';
import type { MapEntry } from '../../src/types';

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function measure(map: Record<string, unknown>): MapEntry {
  const entry = measureMap(JSON.stringify({ version: 3, names: [], mappings: '', ...map }), 'x.map', 'external').entry;
  if (entry === null) throw new Error('not measured');
  return entry;
}

describe('counting rules: has content', () => {
  it.each([
    ['missing sourcesContent', { sources: ['a.ts', 'b.ts'] }, [false, false]],
    ['shorter sourcesContent', { sources: ['a.ts', 'b.ts'], sourcesContent: ['x'] }, [true, false]],
    ['null entry', { sources: ['a.ts', 'b.ts'], sourcesContent: [null, 'y'] }, [false, true]],
    ['empty string counts', { sources: ['a.ts'], sourcesContent: [''] }, [true]],
    ['non-string entries do not count', { sources: ['a', 'b', 'c', 'd'], sourcesContent: [1, {}, [], true] }, [false, false, false, false]],
    ['extra entries are ignored', { sources: ['a.ts'], sourcesContent: ['x', 'extra\nlines\n'] }, [true]],
  ])('%s', (_name, map, expected) => {
    const entry = measure(map);
    expect(entry.files.map((f) => f.hasContent)).toEqual(expected);
    expect(entry.sources.withContent).toBe(expected.filter(Boolean).length);
    expect(entry.sources.withoutContent).toBe(expected.filter((x) => !x).length);
  });

  it('ignores extra content entries in every figure', () => {
    const entry = measure({ sources: ['a.ts'], sourcesContent: ['x', 'extra\nlines\n'] });
    expect(entry.content).toMatchObject({ lines: 1, bytes: 1 });
    expect(entry.files).toHaveLength(1);
    expect(entry.diagnostics.map((d) => d.code)).toEqual(['SOURCES_CONTENT_EXTRA']);
    expect(entry.valid).toBe(true);
  });
});

describe('counting rules: lines and bytes', () => {
  it.each([
    ['', 0, 0],
    ['a', 1, 1],
    ['a\n', 1, 2],
    ['a\nb', 2, 3],
    ['\n', 1, 1],
    ['a\r\nb\r\n', 2, 6],
    ['café', 1, 5],
    ['→\n🔥', 2, 8],
  ])('%j has %i lines and %i bytes', (content, lines, bytes) => {
    const entry = measure({ sources: ['a.ts'], sourcesContent: [content] });
    expect(entry.files[0]).toMatchObject({ lines, bytes, sha256: sha(content), hasContent: true });
  });

  it('gives no lines, bytes or hash without content', () => {
    const entry = measure({ sources: ['a.ts'], sourcesContent: [null] });
    expect(entry.files[0]).toMatchObject({ lines: 0, bytes: 0, sha256: null, mappedLines: 0 });
  });
});

describe('counting rules: first- and third-party', () => {
  it.each([
    ['node_modules/x/index.js', true],
    ['../node_modules/@scope/pkg/dist/a.js', true],
    ['webpack:///./node_modules/react/index.js', true],
    ['src/node_modules.ts', false],
    ['node_modules', false],
    ['vendor/x.js', false],
    ['node_modules\\x\\index.js', false],
  ])('%s third-party: %s', (source, thirdParty) => {
    const entry = measure({ sources: [source], sourcesContent: ['a\nb'] });
    expect(entry.files[0]!.thirdParty).toBe(thirdParty);
    expect(entry.content.thirdPartyLines).toBe(thirdParty ? 2 : 0);
    expect(entry.content.firstPartyLines).toBe(thirdParty ? 0 : 2);
  });

  it('counts null sources as first-party', () => {
    const entry = measure({ sources: [null], sourcesContent: ['secret()\n'] });
    expect(entry.files[0]).toMatchObject({ source: null, path: null, thirdParty: false, hasContent: true, lines: 1 });
    expect(entry.sources).toMatchObject({ firstParty: 1, thirdParty: 0 });
  });

  it('uses the raw entry, not the sourceRoot-joined path, for third-party', () => {
    const entry = measure({ sourceRoot: 'node_modules/', sources: ['a.js'], sourcesContent: ['x'] });
    expect(entry.files[0]).toMatchObject({ source: 'a.js', path: 'node_modules/a.js', thirdParty: false });
  });

  it('counts ignoreList membership separately from third-party', () => {
    const entry = measure({ sources: ['src/a.ts', 'node_modules/b.js'], sourcesContent: ['a', 'b'], ignoreList: [0] });
    expect(entry.files.map((f) => [f.ignoreListed, f.thirdParty])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(entry.sources).toMatchObject({ ignoreListed: 1, thirdParty: 1, firstParty: 1 });
  });
});

describe('the content visitor', () => {
  const map = JSON.stringify({ version: 3, names: [], mappings: '', sources: ['src/a.ts', 'node_modules/b/index.js', 'src/c.ts'], sourcesContent: ['a\n', 'b\nb\n', 'c'] });
  const seen = (thirdPartyOnlyMeasured: boolean) => {
    const visited: [string | null, number][] = [];
    measureMap(map, 'x.map', 'external', Infinity, { visit: (file, content) => visited.push([file.source, content.length]), thirdPartyOnlyMeasured });
    return visited;
  };

  it('sees every content, in source order', () => {
    expect(seen(false)).toEqual([
      ['src/a.ts', 2],
      ['node_modules/b/index.js', 4],
      ['src/c.ts', 1],
    ]);
  });

  it('is not called for third-party contents when it does nothing with them (thirdPartyOnlyMeasured)', () => {
    expect(seen(true)).toEqual([
      ['src/a.ts', 2],
      ['src/c.ts', 1],
    ]);
  });
});

describe('counting rules: paths', () => {
  it('flags absolute paths and home directories on the resolved path', () => {
    const entry = measure({
      sources: ['/home/alice/app/a.ts', 'C:\\build\\b.ts', 'src/c.ts', 'd.ts'],
      sourceRoot: '',
      sourcesContent: [],
    });
    expect(entry.files.map((f) => [f.absolutePath, f.homeDirectory])).toEqual([
      [true, true],
      [true, false],
      [false, false],
      [false, false],
    ]);
    expect(entry.sources.absolutePaths).toBe(2);
  });

  it('applies sourceRoot before classifying', () => {
    const entry = measure({ sourceRoot: '/Users/bob/project', sources: ['src/a.ts'] });
    expect(entry.files[0]).toMatchObject({ path: '/Users/bob/project/src/a.ts', absolutePath: true, homeDirectory: true });
  });
});

describe('mapped lines', () => {
  it('counts original lines hit by at least one segment', () => {
    // Segments: source 0 line 0, line 0 again, line 2; source 1 line 0; a 1-field segment; a line beyond the content.
    const entry = measure({
      sources: ['a.ts', 'b.ts'],
      sourcesContent: ['l0\nl1\nl2\nl3\n', 'only\n'],
      mappings: 'AAAA,CAAC,CAEA;ACFA,C,CAKA',
    });
    expect(entry.files.map((f) => [f.lines, f.mappedLines])).toEqual([
      [4, 2],
      [1, 1],
    ]);
    expect(entry.content).toMatchObject({ lines: 5, mappedLines: 3, unmappedLines: 2 });
  });

  it('sums index map sections and keeps their source offsets apart', () => {
    const entry = measure({
      sections: [
        { offset: { line: 0, column: 0 }, map: { version: 3, sources: ['a.ts'], sourcesContent: ['a\nb\n'], names: [], mappings: 'AACA' } },
        { offset: { line: 1, column: 0 }, map: { version: 3, sources: ['b.ts'], sourcesContent: ['c\nd\ne'], names: [], mappings: 'AAAA;AAEA' } },
      ],
    });
    expect(entry.format).toBe('index');
    expect(entry.sections).toBe(2);
    expect(entry.files.map((f) => [f.index, f.source, f.lines, f.mappedLines])).toEqual([
      [0, 'a.ts', 2, 1],
      [1, 'b.ts', 3, 2],
    ]);
    expect(entry.content).toMatchObject({ lines: 5, mappedLines: 3 });
  });
});

describe('lenient measurement of invalid maps', () => {
  it('measures content of a map whose mappings are broken', () => {
    const entry = measure({ sources: ['src/a.ts'], sourcesContent: ['x\ny\n'], mappings: 'AAAA,$' });
    expect(entry.valid).toBe(false);
    expect(entry.content.lines).toBe(2);
    expect(entry.diagnostics[0]!.code).toBe('MAPPINGS_BAD_CHARACTER');
  });

  it('measures content when "sources" is missing, as unnamed sources', () => {
    const entry = measure({ sources: undefined, sourcesContent: ['leak\n'] });
    expect(entry.valid).toBe(false);
    expect(entry.files).toHaveLength(1);
    expect(entry.files[0]).toMatchObject({ source: null, hasContent: true, lines: 1 });
  });

  it('gives no entry for text that is not a map', () => {
    const m = measureMap('not json', 'x.map', 'external');
    expect(m.entry).toBeNull();
    expect(m.diagnostics[0]!.code).toBe('MAP_NOT_JSON');
  });

  it('records the map document size and hash', () => {
    const text = JSON.stringify({ version: 3, sources: [], names: [], mappings: '' });
    const entry = measureMap(text, 'x.map', 'external').entry!;
    expect(entry.bytes).toBe(Buffer.byteLength(text));
    expect(entry.sha256).toBe(sha(text));
  });
});
