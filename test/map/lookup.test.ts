import { readFileSync } from 'node:fs';
import MagicString from 'magic-string';
import { SourceMapConsumer } from 'source-map-js';
import * as consumerModule from 'source-map-js/lib/source-map-consumer.js';
import { describe, expect, it } from 'vitest';
import { isIgnored, originalPositionFor, type OriginalPosition } from '../../src/map/lookup';
import { parseSourceMap } from '../../src/map/parse';
import type { ParsedMap } from '../../src/map/parsed-map';
import { mulberry32 as prng } from '../helpers/prng';

// source-map-js exports the index-map consumer at run time but does not type it.
const { IndexedSourceMapConsumer } = consumerModule as unknown as { IndexedSourceMapConsumer: abstract new (...args: never[]) => SourceMapConsumer };

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const UNMAPPED: OriginalPosition = { source: null, line: null, column: null, name: null };

/**
 * Looks up every column of every line of `generated` (plus one column past each line's end and two lines past
 * the file) in both consumers and returns how many positions were compared and how many were mapped.
 */
function compareEverywhere(map: ParsedMap, oracle: SourceMapConsumer, generated: string): { positions: number; mapped: number } {
  const lines = generated.split('\n');
  let positions = 0;
  let mapped = 0;
  const mismatches: string[] = [];
  for (let line = 1; line <= lines.length + 2; line++) {
    const width = (lines[line - 1] ?? '').length + 1;
    for (let column = 0; column <= width; column++) {
      positions++;
      const actual = originalPositionFor(map, { line, column });
      const found = oracle.originalPositionFor({ line, column, bias: SourceMapConsumer.GREATEST_LOWER_BOUND });
      const expected: OriginalPosition = {
        source: found.source ?? null,
        line: found.line ?? null,
        column: found.column ?? null,
        name: found.name ?? null,
      };
      if (actual.line !== null) mapped++;
      if (JSON.stringify(actual) !== JSON.stringify(expected) && mismatches.length < 10) {
        mismatches.push(`${line}:${column} got ${JSON.stringify(actual)}, source-map-js ${JSON.stringify(expected)}`);
      }
    }
  }
  expect(mismatches).toEqual([]);
  return { positions, mapped };
}

describe('originalPositionFor agrees with source-map-js (greatest lower bound)', () => {
  it('at every position of fixtures/demo/cli.js', () => {
    const text = read('../../fixtures/demo/cli.js.map');
    const map = parseSourceMap(text);
    // No map URL: source-map-js then keeps `sources` as they are, like originalPositionFor.
    const oracle = new SourceMapConsumer(text);
    const { positions, mapped } = compareEverywhere(map, oracle, read('../../fixtures/demo/cli.js'));
    expect(positions).toBeGreaterThanOrEqual(5000);
    expect(positions).toBe(17_510);
    expect(mapped).toBe(15_716);
  });

  it('at every position of fixtures/basic/external/app.js', () => {
    const text = read('../../fixtures/basic/external/app.js.map');
    const { positions, mapped } = compareEverywhere(parseSourceMap(text), new SourceMapConsumer(text), read('../../fixtures/basic/external/app.js'));
    expect(positions).toBe(338);
    expect(mapped).toBe(291);
  });

  it('at every position of fixtures/index-map/app.js, against IndexedSourceMapConsumer', () => {
    const text = read('../../fixtures/index-map/app.js.map');
    const map = parseSourceMap(text);
    const oracle = new SourceMapConsumer(text);
    expect(oracle).toBeInstanceOf(IndexedSourceMapConsumer);
    const { positions, mapped } = compareEverywhere(map, oracle, read('../../fixtures/index-map/app.js'));
    expect(positions).toBe(338);
    expect(mapped).toBe(291);
    // Both sections are reached.
    expect(originalPositionFor(map, { line: 1, column: 0 })).toEqual({ source: 'src/app.ts', line: 1, column: 0, name: null });
    expect(originalPositionFor(map, { line: 11, column: 0 })).toEqual({ source: 'node_modules/left-pad/index.js', line: 1, column: 0, name: null });
  });

  it('in index maps with column offsets and names, against IndexedSourceMapConsumer', () => {
    const raw = {
      version: 3,
      sections: [
        { offset: { line: 0, column: 0 }, map: { version: 3, sources: ['a.js'], names: ['first'], mappings: 'AAAAA,EAAE;AACA' } },
        { offset: { line: 1, column: 10 }, map: { version: 3, sources: ['b.js', 'c.js'], names: ['x', 'y'], mappings: 'AAAA,ECAAC;CDCCD,G' } },
        { offset: { line: 4, column: 3 }, map: { version: 3, sourceRoot: 'lib', sources: ['d.js'], names: [], mappings: 'AAAA' } },
      ],
    };
    const map = parseSourceMap(raw);
    const oracle = new SourceMapConsumer(raw);
    expect(oracle).toBeInstanceOf(IndexedSourceMapConsumer);
    compareEverywhere(map, oracle, ['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(20), 'x'.repeat(20), 'x'.repeat(20)].join('\n'));
    expect(originalPositionFor(map, { line: 2, column: 14 })).toEqual({ source: 'c.js', line: 1, column: 0, name: 'y' });
    expect(originalPositionFor(map, { line: 3, column: 1 })).toEqual({ source: 'b.js', line: 2, column: 1, name: 'x' });
    expect(originalPositionFor(map, { line: 3, column: 4 })).toEqual(UNMAPPED);
    expect(originalPositionFor(map, { line: 5, column: 3 })).toEqual({ source: 'lib/d.js', line: 1, column: 0, name: null });
  });
});

describe('originalPositionFor agrees with source-map-js on generated maps', () => {

  it('with segments out of column order on a line', () => {
    // Line 1: 5 → l1, 3 → l2, 6 → l4 (relative columns +5, -2, +3); line 2: 4 → l1 "n", 1 → l3.
    const raw = { version: 3, sources: ['a.js'], names: ['n'], mappings: 'KAAA,FACA,GAEA;IAHAA,HAEA' };
    const map = parseSourceMap(raw);
    compareEverywhere(map, new SourceMapConsumer(raw), 'x'.repeat(10) + '\n' + 'x'.repeat(10));
    expect(originalPositionFor(map, { line: 1, column: 4 })).toEqual({ source: 'a.js', line: 2, column: 0, name: null });
    expect(originalPositionFor(map, { line: 2, column: 3 })).toEqual({ source: 'a.js', line: 3, column: 0, name: null });
    expect(originalPositionFor(map, { line: 2, column: 0 })).toEqual(UNMAPPED);
  });

  it('at every position of 50 random magic-string outputs', () => {
    const words = ['let', 'v', '=', '42;', 'fn(a, b)', '{', '}', '"s"', 'é', '🔥', '\t', ''];
    let mapped = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const random = prng(seed * 31);
      const lines = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
        Array.from({ length: Math.floor(random() * 8) }, () => words[Math.floor(random() * words.length)]).join(' '),
      );
      const source = lines.join('\n');
      const s = new MagicString(source);
      for (let i = 0; i + 3 < source.length; i += 4 + Math.floor(random() * 6)) {
        const r = random();
        if (r < 0.3) s.remove(i, i + 2);
        else if (r < 0.6) s.overwrite(i, i + 3, random() < 0.5 ? 'zz' : 'q\nq', { storeName: random() < 0.5 });
        else if (r < 0.8) s.appendLeft(i, '\n/*x*/');
      }
      if (random() < 0.5) s.prepend('"use strict";\n');
      const raw = s.generateMap({ hires: random() < 0.5, source: 'in.js', includeContent: true });
      const map = parseSourceMap(raw.toString());
      mapped += compareEverywhere(map, new SourceMapConsumer(raw.toString()), s.toString()).mapped;
    }
    expect(mapped).toBeGreaterThan(1000);
  });
});

describe('originalPositionFor', () => {
  const map = parseSourceMap({
    version: 3,
    sourceRoot: 'https://cdn.example/app/',
    sources: ['a.js', null, 'b.js'],
    names: ['alpha', 'beta'],
    // Line 1: 0 → a.js 1:0 "alpha"; 4 → 1 field; 6 → a.js 1:3. Line 2: 2 → null source 5:1 "beta"; 8 → b.js 2:0.
    // Line 3: nothing. Line 4: 5 → b.js 1:7.
    mappings: 'AAAAA,I,EAAG;ECIFC,MCHD;;KADO',
  });

  it.each([
    { at: [1, 0], expected: { source: 'https://cdn.example/app/a.js', line: 1, column: 0, name: 'alpha' } },
    { at: [1, 3], expected: { source: 'https://cdn.example/app/a.js', line: 1, column: 0, name: 'alpha' } },
    { at: [1, 4], expected: UNMAPPED },
    { at: [1, 5], expected: UNMAPPED },
    { at: [1, 6], expected: { source: 'https://cdn.example/app/a.js', line: 1, column: 3, name: null } },
    // Past the end of a line: the last segment of the line.
    { at: [1, 1000], expected: { source: 'https://cdn.example/app/a.js', line: 1, column: 3, name: null } },
    { at: [2, 0], expected: UNMAPPED },
    { at: [2, 1], expected: UNMAPPED },
    // A null `sources` entry: mapped, but without a source.
    { at: [2, 2], expected: { source: null, line: 5, column: 1, name: 'beta' } },
    { at: [2, 7], expected: { source: null, line: 5, column: 1, name: 'beta' } },
    { at: [2, 8], expected: { source: 'https://cdn.example/app/b.js', line: 2, column: 0, name: null } },
    { at: [3, 0], expected: UNMAPPED },
    { at: [3, 50], expected: UNMAPPED },
    { at: [4, 4], expected: UNMAPPED },
    { at: [4, 5], expected: { source: 'https://cdn.example/app/b.js', line: 1, column: 7, name: null } },
  ])('at $at', ({ at, expected }) => {
    expect(originalPositionFor(map, { line: at[0]!, column: at[1]! })).toEqual(expected);
  });

  it.each([
    { name: 'line 0', line: 0, column: 0 },
    { name: 'line -1', line: -1, column: 0 },
    { name: 'column -1', line: 1, column: -1 },
    { name: 'line NaN', line: Number.NaN, column: 0 },
    { name: 'column NaN', line: 1, column: Number.NaN },
    { name: 'line -Infinity', line: -Infinity, column: 0 },
    { name: 'line Infinity', line: Infinity, column: 0 },
    { name: 'a line past the last', line: 5, column: 0 },
    { name: 'a line far past the last', line: 1e9, column: 0 },
    { name: 'line 1.5', line: 1.5, column: 0 },
  ])('returns all nulls for $name', ({ line, column }) => {
    expect(originalPositionFor(map, { line, column })).toEqual(UNMAPPED);
  });

  it('returns all nulls before the first segment and before the first section', () => {
    const late = parseSourceMap({ version: 3, sources: ['a.js'], names: [], mappings: ';;;KAAA' });
    expect(originalPositionFor(late, { line: 1, column: 0 })).toEqual(UNMAPPED);
    expect(originalPositionFor(late, { line: 4, column: 4 })).toEqual(UNMAPPED);
    expect(originalPositionFor(late, { line: 4, column: 5 })).toEqual({ source: 'a.js', line: 1, column: 0, name: null });
    const index = parseSourceMap({
      version: 3,
      sections: [{ offset: { line: 2, column: 4 }, map: { version: 3, sources: ['a.js'], mappings: 'AAAA' } }],
    });
    expect(originalPositionFor(index, { line: 1, column: 9 })).toEqual(UNMAPPED);
    expect(originalPositionFor(index, { line: 3, column: 3 })).toEqual(UNMAPPED);
    expect(originalPositionFor(index, { line: 3, column: 4 })).toEqual({ source: 'a.js', line: 1, column: 0, name: null });
    expect(originalPositionFor(parseSourceMap({ version: 3, sections: [] }), { line: 1, column: 0 })).toEqual(UNMAPPED);
  });

  it('returns a fresh object each time', () => {
    const first = originalPositionFor(map, { line: 0, column: 0 });
    first.source = 'changed';
    expect(originalPositionFor(map, { line: 0, column: 0 })).toEqual(UNMAPPED);
  });
});

describe('isIgnored', () => {
  it('matches raw and sourceRoot-joined names of ignored sources only', () => {
    const map = parseSourceMap({
      version: 3,
      sourceRoot: 'https://cdn.example/app',
      sources: ['src/main.ts', 'vendor/lib.js', null],
      ignoreList: [1, 2],
      mappings: '',
    });
    expect(isIgnored(map, 'vendor/lib.js')).toBe(true);
    expect(isIgnored(map, 'https://cdn.example/app/vendor/lib.js')).toBe(true);
    expect(isIgnored(map, 'src/main.ts')).toBe(false);
    expect(isIgnored(map, 'https://cdn.example/app/src/main.ts')).toBe(false);
    expect(isIgnored(map, 'unknown.js')).toBe(false);
    expect(isIgnored(map, 'lib.js')).toBe(false);
    expect(isIgnored(map, '')).toBe(false);
    // A null entry has no name to match.
    expect(isIgnored(map, 'null')).toBe(false);
  });

  it('uses x_google_ignoreList when ignoreList is absent', () => {
    const map = parseSourceMap({ version: 3, sources: ['a.js', 'b.js'], x_google_ignoreList: [0], mappings: '' });
    expect(isIgnored(map, 'a.js')).toBe(true);
    expect(isIgnored(map, 'b.js')).toBe(false);
  });

  it('finds ignored sources of later index-map sections', () => {
    const map = parseSourceMap(read('../../fixtures/index-map/app.js.map'));
    expect(isIgnored(map, 'node_modules/left-pad/index.js')).toBe(true);
    for (const source of ['src/app.ts', 'src/util.ts', 'src/empty.ts', '/home/alice/work/secret.ts', 'index.js']) {
      expect(isIgnored(map, source)).toBe(false);
    }
  });

  it('reads the ignore list of fixtures/basic/external/app.js.map', () => {
    const map = parseSourceMap(read('../../fixtures/basic/external/app.js.map'));
    expect(map.sources.filter((source) => source !== null && isIgnored(map, source))).toEqual(['node_modules/left-pad/index.js']);
  });

  it('is false for every source of a map without an ignore list', () => {
    const map = parseSourceMap(read('../../fixtures/demo/cli.js.map'));
    expect(map.sources.some((source) => source !== null && isIgnored(map, source))).toBe(false);
  });
});
