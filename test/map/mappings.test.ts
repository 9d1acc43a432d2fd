import { readFileSync } from 'node:fs';
import MagicString, { Bundle } from 'magic-string';
import { SourceMapConsumer, type RawSourceMapInput } from 'source-map-js';
import { describe, expect, it } from 'vitest';
import { DiagnosticCollector, type DiagnosticCode } from '../../src/map/diagnostics';
import { scanMappings, type MappingsSummary } from '../../src/map/mappings';
import { validateSourceMap } from '../../src/map/parse';
import { mulberry32 as prng } from '../helpers/prng';
import { encodeVlq } from '../helpers/vlq';

interface RawMap {
  sources: string[];
  sourcesContent: (string | null)[];
  names: string[];
  mappings: string;
}

const readMap = (path: string): RawMap => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as RawMap;

const randomInt = (random: () => number, below: number): number => Math.floor(random() * below);
const pick = <T>(random: () => number, items: readonly T[]): T => items[randomInt(random, items.length)]!;

/** Lines under the report's rule: `\n` count, plus one for a non-empty last line. */
function lineCount(text: string | null): number {
  if (text === null || text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

function scan(
  mappings: string,
  sourcesLength = 1,
  namesLength = 0,
  marks: (Uint8Array | null)[] | null = null,
): { summary: MappingsSummary; diagnostics: string[] } {
  const collector = new DiagnosticCollector();
  const summary = scanMappings(mappings, sourcesLength, namesLength, collector, '/x/mappings', marks);
  return { summary, diagnostics: collector.finish().map((d) => `${d.code}#${d.offset}`) };
}

/** 0-based original lines hit per source, as marks from scanMappings. */
const marked = (marks: Uint8Array): number[] => [...marks.keys()].filter((line) => marks[line] === 1);

/**
 * Decodes `raw` with source-map-js and with scanMappings, and checks they agree on the number of segments,
 * the last generated position, and (per source) the set of original lines hit inside the source's line count.
 */
function crossCheck(raw: RawMap): { segments: number; markedLines: number } {
  const input: RawSourceMapInput = { version: 3, sources: raw.sources, sourcesContent: raw.sourcesContent, names: raw.names, mappings: raw.mappings };
  const consumer = new SourceMapConsumer(input);
  // source-map-js reports sources by (normalised) URL; map them back to indexes through its own list.
  const indexOf = new Map(consumer.sources.map((source, index) => [source, index]));
  expect(indexOf.size).toBe(raw.sources.length);
  const lineCounts = raw.sources.map((_, i) => lineCount(raw.sourcesContent[i] ?? null));
  const hit = raw.sources.map(() => new Set<number>());
  let count = 0;
  let lastLine = -1;
  let lastColumn = -1;
  consumer.eachMapping(
    (mapping) => {
      count++;
      const line = mapping.generatedLine - 1;
      if (line > lastLine) {
        lastLine = line;
        lastColumn = mapping.generatedColumn;
      } else if (line === lastLine && mapping.generatedColumn > lastColumn) {
        lastColumn = mapping.generatedColumn;
      }
      if (mapping.source === null) {
        // A 1-field segment: counted, but it hits no original line.
        expect(mapping.originalLine).toBeNull();
        return;
      }
      const index = indexOf.get(mapping.source)!;
      const originalLine = mapping.originalLine! - 1;
      if (originalLine < lineCounts[index]!) hit[index]!.add(originalLine);
    },
    null,
    SourceMapConsumer.GENERATED_ORDER,
  );

  const marks = lineCounts.map((lines) => new Uint8Array(lines));
  const { summary, diagnostics } = scan(raw.mappings, raw.sources.length, raw.names.length, marks);
  expect(diagnostics).toEqual([]);
  expect(summary).toEqual({ segments: count, lastLine, lastColumn, stopped: false });
  let markedLines = 0;
  raw.sources.forEach((source, index) => {
    const expected = [...hit[index]!].sort((a, b) => a - b);
    const actual = marked(marks[index]!);
    expect({ source, lines: actual }).toEqual({ source, lines: expected });
    expect(actual.length).toBe(hit[index]!.size);
    markedLines += actual.length;
  });
  return { segments: count, markedLines };
}

describe('scanMappings: summary and diagnostics', () => {
  interface Row {
    mappings: string;
    sources?: number;
    names?: number;
    segments: number;
    lastLine: number;
    lastColumn: number;
    stopped?: boolean;
    diagnostics?: string[];
  }
  const rows: Row[] = [
    { mappings: '', segments: 0, lastLine: -1, lastColumn: -1 },
    { mappings: ';;', segments: 0, lastLine: -1, lastColumn: -1 },
    { mappings: 'A', segments: 1, lastLine: 0, lastColumn: 0 },
    { mappings: 'C,C', segments: 2, lastLine: 0, lastColumn: 2 },
    // Columns may go down inside a line; the last position is the greatest one.
    { mappings: 'E,D', segments: 2, lastLine: 0, lastColumn: 2 },
    { mappings: 'A;C', segments: 2, lastLine: 1, lastColumn: 1 },
    { mappings: 'C;;', segments: 1, lastLine: 0, lastColumn: 1 },
    { mappings: ';;E', segments: 1, lastLine: 2, lastColumn: 2 },
    // The column restarts at 0 on each line; the other fields carry over.
    { mappings: 'KAAA;CACC,CAAA;AAAA', sources: 2, segments: 4, lastLine: 2, lastColumn: 0 },
    { mappings: 'iB', segments: 1, lastLine: 0, lastColumn: 17 },
    { mappings: 'AAAAA,CAAAC', names: 2, segments: 2, lastLine: 0, lastColumn: 1 },
    // Zero-valued digits past 32 bits are allowed (tc39 validMappingLargeVLQ).
    { mappings: 'ggggggggggggA', segments: 1, lastLine: 0, lastColumn: 0 },
    { mappings: 'A$', segments: 0, lastLine: -1, lastColumn: -1, stopped: true, diagnostics: ['MAPPINGS_BAD_CHARACTER#1'] },
    { mappings: 'AAAA,A$', segments: 1, lastLine: 0, lastColumn: 0, stopped: true, diagnostics: ['MAPPINGS_BAD_CHARACTER#6'] },
    { mappings: 'A A', segments: 0, lastLine: -1, lastColumn: -1, stopped: true, diagnostics: ['MAPPINGS_BAD_CHARACTER#1'] },
    { mappings: 'g', segments: 0, lastLine: -1, lastColumn: -1, stopped: true, diagnostics: ['MAPPINGS_VLQ_TRUNCATED#0'] },
    { mappings: 'C,gg;', segments: 1, lastLine: 0, lastColumn: 1, stopped: true, diagnostics: ['MAPPINGS_VLQ_TRUNCATED#2'] },
    { mappings: 'E,ggggggE', segments: 1, lastLine: 0, lastColumn: 2, stopped: true, diagnostics: ['MAPPINGS_VLQ_OVERFLOW#2'] },
    { mappings: 'AAAA,F', segments: 2, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_NEGATIVE_VALUE#5'] },
    { mappings: 'AAAA;F;C', segments: 3, lastLine: 2, lastColumn: 1, diagnostics: ['MAPPINGS_NEGATIVE_VALUE#5'] },
    { mappings: 'F,C', segments: 2, lastLine: -1, lastColumn: -1, diagnostics: ['MAPPINGS_NEGATIVE_VALUE#0', 'MAPPINGS_NEGATIVE_VALUE#2'] },
    { mappings: 'B', segments: 1, lastLine: -1, lastColumn: -1, diagnostics: ['MAPPINGS_NEGATIVE_VALUE#0'] },
    { mappings: 'AA,C', segments: 2, lastLine: 0, lastColumn: 1, diagnostics: ['MAPPINGS_SEGMENT_LENGTH#0'] },
    { mappings: 'AAAA,', segments: 2, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_SEGMENT_LENGTH#5'] },
    { mappings: 'AAAAAA', names: 9, segments: 1, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_SEGMENT_LENGTH#0'] },
    { mappings: 'AAAA', sources: 0, segments: 1, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_SOURCE_INDEX_RANGE#0'] },
    { mappings: 'AAAA,AEAA', sources: 2, segments: 2, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_SOURCE_INDEX_RANGE#5'] },
    { mappings: 'AAAAA', names: 0, segments: 1, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_NAME_INDEX_RANGE#0'] },
    { mappings: 'AAAAD', names: 1, segments: 1, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_NEGATIVE_VALUE#0'] },
    // Every bad field of one segment is reported.
    { mappings: 'ADDD', segments: 1, lastLine: 0, lastColumn: 0, diagnostics: ['MAPPINGS_NEGATIVE_VALUE#0', 'MAPPINGS_NEGATIVE_VALUE#0', 'MAPPINGS_NEGATIVE_VALUE#0'] },
  ];

  it.each(rows)('"$mappings"', ({ mappings, sources = 1, names = 0, segments, lastLine, lastColumn, stopped = false, diagnostics = [] }) => {
    expect(scan(mappings, sources, names)).toEqual({ summary: { segments, lastLine, lastColumn, stopped }, diagnostics });
  });

  it('reports with the pointer it is given and severity error', () => {
    const collector = new DiagnosticCollector();
    scanMappings('AAAA,ACAA', 1, 0, collector, '/sections/2/map/mappings', null);
    expect(collector.errors).toBe(1);
    expect(collector.items).toEqual([
      {
        code: 'MAPPINGS_SOURCE_INDEX_RANGE' satisfies DiagnosticCode,
        severity: 'error',
        message: 'Segment at offset 5 points at source 1, but "sources" has 1 entries.',
        pointer: '/sections/2/map/mappings',
        offset: 5,
      },
    ]);
  });
});

describe('scanMappings: line marks', () => {
  it('marks the original line of every valid 4- and 5-field segment', () => {
    const marks = [new Uint8Array(4), new Uint8Array(3)];
    // 0:0 → s0 l0; 0:1 → s0 l2; 1:0 → s1 l1 (name 0); 1:1 (1 field); 1:2 → s1 l1 again.
    const { diagnostics } = scan('AAAA,CAEA;ACDAA,C,CAAA', 2, 1, marks);
    expect(diagnostics).toEqual([]);
    expect(marks.map(marked)).toEqual([[0, 2], [1]]);
  });

  it('ignores lines past the mark array and sources without one', () => {
    const marks = [new Uint8Array(2), null];
    const { diagnostics } = scan('AAgBA,AAhBA,ACAA', 2, 0, marks);
    expect(diagnostics).toEqual([]);
    expect([...marks[0]!]).toEqual([1, 0]);
  });

  it('marks no line for invalid original positions, but keeps one whose only fault is the name', () => {
    const marks = [new Uint8Array(5)];
    // Source index out of range and a negative column mark nothing; a bad name index (line 0) keeps its
    // original position as ECMA-426 does (name null); line 4 comes from the last, valid segment.
    scan('ACAC,AAAC;FDAE;AAAAC;AAIA', 1, 0, marks);
    expect(marked(marks[0]!)).toEqual([0, 4]);
  });
});

describe('scanMappings agrees with source-map-js', () => {
  it('on fixtures/demo/cli.js.map (esbuild, 13 sources)', () => {
    const raw = readMap('../../fixtures/demo/cli.js.map');
    expect(raw.sources).toHaveLength(13);
    expect(crossCheck(raw)).toEqual({ segments: 2264, markedLines: 442 });
  });

  it('on fixtures/basic/external/app.js.map (magic-string)', () => {
    const raw = readMap('../../fixtures/basic/external/app.js.map');
    expect(crossCheck(raw)).toEqual({ segments: 271, markedLines: 10 });
  });

  it('on 1-field segments, which source-map-js reports with a null source', () => {
    const raw: RawMap = { sources: ['a.js'], sourcesContent: ['x\ny\n'], names: ['n'], mappings: 'A,CAAA,EACAA;;E,CAAA' };
    expect(crossCheck(raw)).toEqual({ segments: 5, markedLines: 2 });
  });

  const WORDS = ['const', 'x', '=', '1;', 'function', 'f()', '{', '}', 'return', '"text"', 'café', '🔥', '//', 'a.b', '(y)', '=>', '', '\t'];

  function randomSource(random: () => number): string {
    const lines: string[] = [];
    const count = 1 + randomInt(random, 8);
    for (let l = 0; l < count; l++) {
      const words = randomInt(random, 7);
      lines.push(Array.from({ length: words }, () => pick(random, WORDS)).join(' '));
    }
    const text = lines.join('\n');
    return random() < 0.5 ? `${text}\n` : text;
  }

  /** Random removals, overwrites (some storing names) and insertions over disjoint ranges, so magic-string never refuses. */
  function randomEdits(random: () => number, source: string): MagicString {
    const s = new MagicString(source);
    const cuts = new Set<number>([0, source.length]);
    const extra = randomInt(random, 7);
    for (let i = 0; i < extra; i++) cuts.add(randomInt(random, source.length + 1));
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i]!;
      const end = points[i + 1]!;
      if (end === start) continue;
      const r = random();
      if (r < 0.2) s.remove(start, end);
      else if (r < 0.4) s.overwrite(start, end, pick(random, ['y', 'zz', 'q\nq', '']) || 'w', { storeName: random() < 0.5 });
      else if (r < 0.5) s.appendLeft(start, pick(random, ['/*c*/', '\n', ';']));
    }
    if (random() < 0.3) s.prepend('/* banner */\n');
    if (random() < 0.3) s.append('\n// end');
    return s;
  }

  function randomMap(seed: number): { raw: RawMap; hires: boolean } {
    const random = prng(seed);
    const bundle = new Bundle();
    const files = 1 + randomInt(random, 3);
    for (let f = 0; f < files; f++) {
      bundle.addSource({ filename: `src/file${f}.js`, content: randomEdits(random, randomSource(random)), ignoreList: random() < 0.3 });
    }
    const hires = random() < 0.5;
    const map = bundle.generateMap({ hires, includeContent: true, file: 'bundle.js' });
    return { raw: JSON.parse(map.toString()) as RawMap, hires };
  }

  it('on 200 random magic-string maps', () => {
    let segments = 0;
    let markedLines = 0;
    const hiresCount = { true: 0, false: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const { raw, hires } = randomMap(seed);
      hiresCount[`${hires}`]++;
      expect(validateSourceMap(raw)).toEqual({ valid: true, diagnostics: [] });
      const result = crossCheck(raw);
      segments += result.segments;
      markedLines += result.markedLines;
    }
    // The generator does produce work for both modes and for the line marks.
    expect(hiresCount.true).toBeGreaterThan(50);
    expect(hiresCount.false).toBeGreaterThan(50);
    expect(segments).toBeGreaterThan(2000);
    expect(markedLines).toBeGreaterThan(500);
  });
});

describe('scanMappings: VLQ round trip', () => {
  const MAX = 2 ** 31 - 1;

  it('encodes like ECMA-426 examples', () => {
    expect(encodeVlq(17)).toBe('iB');
    expect(encodeVlq(-10)).toBe('V');
    expect(encodeVlq(0)).toBe('A');
    expect(encodeVlq(15)).toBe('e');
    expect(encodeVlq(16)).toBe('gB');
    expect(encodeVlq(MAX)).toBe('+/////D');
    expect(encodeVlq(-MAX)).toBe('//////D');
  });

  function randomDelta(random: () => number): number {
    // Spread magnitudes over every VLQ length, from one digit to seven.
    const magnitude = Math.min(MAX, Math.floor(random() * 2 ** randomInt(random, 32)));
    return random() < 0.5 ? -magnitude : magnitude;
  }

  it.each([1, 2, 3, 4, 5])('decodes 2,000 random 1-field segments (seed %i)', (seed) => {
    const random = prng(seed * 7919);
    let mappings = '';
    let line = 0;
    let column = 0;
    let lastLine = -1;
    let lastColumn = -1;
    const count = 2000;
    for (let i = 0; i < count; i++) {
      if (i > 0) {
        if (random() < 0.2) {
          const newLines = 1 + randomInt(random, 3);
          mappings += ';'.repeat(newLines);
          line += newLines;
          column = 0;
        } else {
          mappings += ',';
        }
      }
      let delta = randomDelta(random);
      // Keep the column non-negative, so that every segment is valid.
      if (column + delta < 0) delta = -delta;
      column += delta;
      mappings += encodeVlq(delta);
      if (line > lastLine) {
        lastLine = line;
        lastColumn = column;
      } else if (column > lastColumn) {
        lastColumn = column;
      }
    }
    if (random() < 0.5) mappings += ';;';
    expect(scan(mappings, 0, 0)).toEqual({ summary: { segments: count, lastLine, lastColumn, stopped: false }, diagnostics: [] });
  });

  it.each([11, 12, 13])('decodes 1,000 random 4- and 5-field segments (seed %i)', (seed) => {
    const random = prng(seed);
    const sourcesLength = 3;
    const namesLength = 4;
    const lines = [50, 50, 50];
    const expected = lines.map(() => new Set<number>());
    const state = { column: 0, source: 0, originalLine: 0, originalColumn: 0, name: 0 };
    let mappings = '';
    for (let i = 0; i < 1000; i++) {
      if (i > 0) {
        if (random() < 0.1) {
          mappings += ';';
          state.column = 0;
        } else mappings += ',';
      }
      const next = {
        column: state.column + randomInt(random, 40),
        source: randomInt(random, sourcesLength),
        // Original lines run past the mark arrays too, where nothing is marked.
        originalLine: randomInt(random, 60),
        originalColumn: randomInt(random, 2 ** randomInt(random, 31)),
        name: randomInt(random, namesLength),
      };
      const withName = random() < 0.4;
      mappings += encodeVlq(next.column - state.column);
      mappings += encodeVlq(next.source - state.source);
      mappings += encodeVlq(next.originalLine - state.originalLine);
      mappings += encodeVlq(next.originalColumn - state.originalColumn);
      if (withName) mappings += encodeVlq(next.name - state.name);
      state.column = next.column;
      state.source = next.source;
      state.originalLine = next.originalLine;
      state.originalColumn = next.originalColumn;
      if (withName) state.name = next.name;
      if (next.originalLine < lines[next.source]!) expected[next.source]!.add(next.originalLine);
    }
    const marks = lines.map((n) => new Uint8Array(n));
    const { summary, diagnostics } = scan(mappings, sourcesLength, namesLength, marks);
    expect(diagnostics).toEqual([]);
    expect(summary.segments).toBe(1000);
    expect(marks.map(marked)).toEqual(expected.map((set) => [...set].sort((a, b) => a - b)));
  });

  it('accepts 2^31 - 1 and -(2^31 - 1) and rejects 2^31', () => {
    expect(scan(encodeVlq(MAX), 0)).toEqual({ summary: { segments: 1, lastLine: 0, lastColumn: MAX, stopped: false }, diagnostics: [] });
    expect(scan(`${encodeVlq(MAX)},${encodeVlq(-MAX)}`, 0)).toEqual({
      summary: { segments: 2, lastLine: 0, lastColumn: MAX, stopped: false },
      diagnostics: [],
    });
    // Columns add up past 32 bits; only each VLQ value is limited.
    expect(scan(`${encodeVlq(MAX)},${encodeVlq(MAX)}`, 0).summary.lastColumn).toBe(2 * MAX);
    // 2^31 is the unsigned VLQ 2^32: one past the limit.
    expect(encodeVlq(2 ** 31)).toBe('ggggggE');
    expect(scan(encodeVlq(2 ** 31), 0)).toEqual({
      summary: { segments: 0, lastLine: -1, lastColumn: -1, stopped: true },
      diagnostics: ['MAPPINGS_VLQ_OVERFLOW#0'],
    });
    expect(scan(`A,${encodeVlq(-(2 ** 31))}`, 0).diagnostics).toEqual(['MAPPINGS_VLQ_OVERFLOW#2']);
    // The largest value in every field of a 5-field segment.
    const big = encodeVlq(MAX);
    expect(scan(`A${big}${big}${big}A`, 2 ** 31, 1)).toEqual({
      summary: { segments: 1, lastLine: 0, lastColumn: 0, stopped: false },
      diagnostics: [],
    });
    expect(scan(`AAAAA,A${big}${big}${big}${big}`, 1, 1).diagnostics).toEqual(['MAPPINGS_SOURCE_INDEX_RANGE#6', 'MAPPINGS_NAME_INDEX_RANGE#6']);
  });
});
