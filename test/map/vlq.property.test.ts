import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticCollector, MAX_DIAGNOSTICS, type Diagnostic } from '../../src/map/diagnostics';
import { scanMappings, type MappingsSummary } from '../../src/map/mappings';
import { readSourceMap, validateSourceMap } from '../../src/map/parse';

const OPTIONS = { seed: 42, numRuns: 2000 } as const;
const HEAVY = { seed: 42, numRuns: 500 } as const;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const MAX_I32 = 2 ** 31 - 1;
const MIN_I32 = -(2 ** 31);
const TWO_POW_32 = 2 ** 32;

/**
 * Base64 VLQ of an unsigned magnitude (sign already in bit 0): 5 bits per digit, least significant first, bit 5 set
 * on every digit but the last. `pad` extra zero digits are appended (legal: only non-zero digits count towards
 * the 32-bit limit). Plain arithmetic, so values past 2^32 can be written too.
 */
function vlqUnsigned(unsigned: number, pad = 0): string {
  const digits: number[] = [];
  let rest = unsigned;
  do {
    digits.push(rest % 32);
    rest = Math.floor(rest / 32);
  } while (rest > 0);
  for (let i = 0; i < pad; i++) digits.push(0);
  return digits.map((d, i) => BASE64[i < digits.length - 1 ? d + 32 : d]).join('');
}

/** Signed VLQ; -2^31 has no 32-bit magnitude and is spelled "-0" (`B`), as ECMA-426 and the decoder read it. */
function vlq(value: number, pad = 0): string {
  if (value === MIN_I32) return vlqUnsigned(1, pad);
  return vlqUnsigned(value < 0 ? -value * 2 + 1 : value * 2, pad);
}

interface Segment {
  fields: 1 | 4 | 5;
  column: number;
  source: number;
  line: number;
  originalColumn: number;
  name: number;
}
type Lines = Segment[][];

/** Encodes absolute segments as `mappings` (relative fields, column reset per line, the rest carried over). */
function encode(lines: Lines, pad = 0): string {
  let source = 0;
  let line = 0;
  let originalColumn = 0;
  let name = 0;
  return lines
    .map((segments) => {
      let column = 0;
      return segments
        .map((s) => {
          let text = vlq(s.column - column, pad);
          column = s.column;
          if (s.fields >= 4) {
            text += vlq(s.source - source, pad) + vlq(s.line - line, pad) + vlq(s.originalColumn - originalColumn, pad);
            source = s.source;
            line = s.line;
            originalColumn = s.originalColumn;
          }
          if (s.fields === 5) {
            text += vlq(s.name - name, pad);
            name = s.name;
          }
          return text;
        })
        .join(',');
    })
    .join(';');
}

/** What the decoder must report for valid segments: the count, and the last position (max line, max column on it). */
function expected(lines: Lines): Pick<MappingsSummary, 'segments' | 'lastLine' | 'lastColumn'> {
  let lastLine = -1;
  lines.forEach((segments, i) => {
    if (segments.length > 0) lastLine = i;
  });
  return {
    segments: lines.reduce((n, l) => n + l.length, 0),
    lastLine,
    lastColumn: lastLine === -1 ? -1 : Math.max(...lines[lastLine]!.map((s) => s.column)),
  };
}

const value = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.integer({ min: 0, max: Math.min(max, 40) }), fc.constantFrom(0, max));

function segment(sources: number, names: number, max: number): fc.Arbitrary<Segment> {
  const kinds: (1 | 4 | 5)[] = names > 0 ? [1, 4, 5] : [1, 4];
  return fc.record({
    fields: fc.constantFrom(...kinds),
    column: value(max),
    source: fc.integer({ min: 0, max: sources - 1 }),
    line: value(max),
    originalColumn: value(max),
    name: fc.integer({ min: 0, max: Math.max(0, names - 1) }),
  });
}

interface Case {
  sources: number;
  names: number;
  lines: Lines;
}
function mappingCase(max = MAX_I32, maxLines = 8): fc.Arbitrary<Case> {
  return fc
    .record({ sources: fc.integer({ min: 1, max: 6 }), names: fc.integer({ min: 0, max: 6 }) })
    .chain(({ sources, names }) =>
      fc.array(fc.array(segment(sources, names, max), { maxLength: 6 }), { maxLength: maxLines }).map((lines) => ({ sources, names, lines })),
    );
}

function scan(mappings: string, sources: number, names: number, marks: (Uint8Array | null)[] | null = null) {
  const collector = new DiagnosticCollector();
  const summary = scanMappings(mappings, sources, names, collector, '/mappings', marks);
  return { summary, collector };
}

// ---------------------------------------------------------------------------------------------------------------

describe('VLQ round trip (seed 42)', () => {
  it('the test encoder spells the known values', () => {
    expect([0, 1, -1, 15, 16, -16, MAX_I32, -MAX_I32, MIN_I32].map((v) => vlq(v))).toEqual(['A', 'C', 'D', 'e', 'gB', 'hB', '+/////D', '//////D', 'B']);
    expect(vlqUnsigned(TWO_POW_32)).toBe('ggggggE');
    expect(vlq(1, 3)).toBe('iggA');
  });

  it('encoded segments (1, 4, 5 fields, 32-bit values, indexes in range) decode without diagnostics to the same count and last position', () => {
    fc.assert(
      fc.property(mappingCase(), ({ sources, names, lines }) => {
        const { summary, collector } = scan(encode(lines), sources, names);
        expect(collector.items).toEqual([]);
        expect(collector.errors).toBe(0);
        expect(summary).toEqual({ ...expected(lines), stopped: false });
      }),
      OPTIONS,
    );
  });

  it('zero digits padded after a value change nothing', () => {
    fc.assert(
      fc.property(mappingCase(), fc.integer({ min: 1, max: 9 }), ({ sources, names, lines }, pad) => {
        const plain = scan(encode(lines), sources, names);
        const padded = scan(encode(lines, pad), sources, names);
        expect(padded.collector.items).toEqual([]);
        expect(padded.summary).toEqual(plain.summary);
      }),
      OPTIONS,
    );
  });

  it('marks exactly the original lines of 4- and 5-field segments', () => {
    fc.assert(
      fc.property(mappingCase(30), fc.integer({ min: 0, max: 25 }), ({ sources, names, lines }, size) => {
        const marks = Array.from({ length: sources }, (_, i) => (i % 3 === 2 ? null : new Uint8Array(size)));
        const want = marks.map((m) => (m === null ? null : new Uint8Array(size)));
        for (const s of lines.flat()) {
          const m = want[s.source];
          if (s.fields !== 1 && m != null && s.line < size) m[s.line] = 1;
        }
        const { collector } = scan(encode(lines), sources, names, marks);
        expect(collector.items).toEqual([]);
        expect(marks).toEqual(want);
      }),
      OPTIONS,
    );
  });

  it('every signed 32-bit value decodes to itself (one 1-field segment per line)', () => {
    const int32 = fc.oneof(fc.integer({ min: MIN_I32, max: MAX_I32 }), fc.integer({ min: -40, max: 40 }), fc.constantFrom(MIN_I32, -MAX_I32, MAX_I32, 0));
    fc.assert(
      fc.property(fc.array(int32, { maxLength: 40 }), (values) => {
        const texts = values.map((v) => vlq(v));
        const { summary, collector } = scan(texts.join(';'), 1, 0);
        const diagnostics: Diagnostic[] = [];
        let offset = 0;
        let lastLine = -1;
        let lastColumn = -1;
        values.forEach((v, i) => {
          if (v < 0) {
            diagnostics.push({
              code: 'MAPPINGS_NEGATIVE_VALUE',
              severity: 'error',
              message: `Segment at offset ${offset} gives a negative generated column (${v}).`,
              pointer: '/mappings',
              offset,
            });
          } else {
            lastLine = i;
            lastColumn = v;
          }
          offset += texts[i]!.length + 1;
        });
        expect(collector.items).toEqual(diagnostics);
        expect(summary).toEqual({ segments: values.length, lastLine, lastColumn, stopped: false });
      }),
      OPTIONS,
    );
  });
});

describe('VLQ overflow (seed 42)', () => {
  const overflow = fc.oneof(
    // Exactly 2^31, i.e. unsigned 2^32: one past the largest magnitude.
    fc.constant(TWO_POW_32),
    // -2^31 written with a magnitude instead of "-0".
    fc.constant(TWO_POW_32 + 1),
    fc.integer({ min: TWO_POW_32, max: 2 ** 40 }),
  );

  it('a value of 2^31 (unsigned 2^32) or more is always a MAPPINGS_VLQ_OVERFLOW error that stops decoding', () => {
    fc.assert(
      fc.property(
        mappingCase(),
        fc.constantFrom<1 | 4 | 5>(1, 4, 5),
        fc.nat(4),
        overflow,
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('', ',AAAA', ';AAAA;C', 'B,'),
        ({ sources, names, lines }, fields, at, unsigned, pad, tail) => {
          const k = at % fields;
          const before = encode(lines);
          const lastNonEmpty = lines.length > 0 && lines[lines.length - 1]!.length > 0;
          const joint = lines.length === 0 ? '' : lastNonEmpty ? ',' : ';';
          const start = before.length + joint.length + k;
          const bad = 'A'.repeat(k) + vlqUnsigned(unsigned, pad) + 'A'.repeat(fields - k - 1);
          const { summary, collector } = scan(before + joint + bad + tail, sources, names);
          expect(collector.items).toEqual([
            { code: 'MAPPINGS_VLQ_OVERFLOW', severity: 'error', message: `VLQ value at offset ${start} exceeds 32 bits.`, pointer: '/mappings', offset: start },
          ]);
          expect(summary).toEqual({ ...expected(lines), stopped: true });
        },
      ),
      OPTIONS,
    );
  });

  it('the largest magnitudes (2^31 - 1 either sign, and -0) never overflow', () => {
    fc.assert(
      fc.property(fc.constantFrom(TWO_POW_32 - 1, TWO_POW_32 - 2, 1), fc.integer({ min: 0, max: 12 }), (unsigned, pad) => {
        const { summary, collector } = scan(vlqUnsigned(unsigned, pad), 1, 0);
        expect(collector.items.map((d) => d.code)).toEqual(unsigned === TWO_POW_32 - 2 ? [] : ['MAPPINGS_NEGATIVE_VALUE']);
        expect(summary.stopped).toBe(false);
        expect(summary.segments).toBe(1);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

type Grammar = { code: 'MAPPINGS_BAD_CHARACTER' | 'MAPPINGS_VLQ_TRUNCATED' | 'MAPPINGS_VLQ_OVERFLOW'; offset: number } | null;

/** An independent reading of the mappings grammar: the first bad character, truncated VLQ or overflow, or null. */
function grammarError(mappings: string): Grammar {
  const digit = (i: number): number => (i < mappings.length ? BASE64.indexOf(mappings[i]!) : -1);
  let i = 0;
  while (i < mappings.length) {
    const c = mappings[i];
    if (c === ',' || c === ';') {
      i++;
      continue;
    }
    const start = i;
    let total = 0n;
    let shift = 0n;
    for (;;) {
      const d = digit(i);
      if (d < 0) {
        if (i >= mappings.length || mappings[i] === ',' || mappings[i] === ';') return { code: 'MAPPINGS_VLQ_TRUNCATED', offset: start };
        return { code: 'MAPPINGS_BAD_CHARACTER', offset: i };
      }
      total += BigInt(d & 31) << shift;
      if (total >= 2n ** 32n) return { code: 'MAPPINGS_VLQ_OVERFLOW', offset: start };
      i++;
      if ((d & 32) === 0) break;
      shift += 5n;
    }
  }
  return null;
}

const STRAY = [' ', '=', '-', '_', '.', '\n', '\u0000', '\u00e9', '\ud800', '\u{1f600}', '"', '%'];
const mappingsText = fc
  .array(
    fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...BASE64) },
      { weight: 4, arbitrary: fc.constantFrom(',', ';') },
      { weight: 1, arbitrary: fc.constantFrom(...STRAY) },
      // Long continuation runs: large values, zero padding and overflow.
      { weight: 1, arbitrary: fc.constantFrom('//////', '+/////', 'gggggg', 'ggggggggggg', '//////B', 'ggggggE') },
    ),
    { maxLength: 200 },
  )
  .map((chars) => chars.join(''));
const smallCounts = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }));

function checkSummary(mappings: string, sources: number, names: number, withMarks: boolean): void {
  const marks = withMarks ? Array.from({ length: sources }, () => new Uint8Array(4)) : null;
  const collector = new DiagnosticCollector();
  const summary = scanMappings(mappings, sources, names, collector, '/mappings', marks);
  expect(Number.isInteger(summary.segments) && summary.segments >= 0).toBe(true);
  expect(summary.lastLine).toBeGreaterThanOrEqual(-1);
  expect(summary.lastLine).toBeLessThanOrEqual(mappings.split(';').length - 1);
  expect(summary.lastColumn).toBeGreaterThanOrEqual(-1);
  expect(summary.lastColumn === -1).toBe(summary.lastLine === -1);
  expect(collector.items.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS);
  for (const d of collector.items) {
    expect(d.pointer).toBe('/mappings');
    expect(d.severity).toBe('error');
    expect(d.offset! >= 0 && d.offset! <= mappings.length).toBe(true);
  }
  const grammar = grammarError(mappings);
  expect(summary.stopped).toBe(grammar !== null);
  const grammarCodes = collector.items.filter((d) => /BAD_CHARACTER|TRUNCATED|OVERFLOW/.test(d.code));
  if (grammar === null) expect(grammarCodes).toEqual([]);
  else if (collector.dropped === 0) {
    expect(grammarCodes).toHaveLength(1);
    expect(collector.items[collector.items.length - 1]).toMatchObject(grammar);
  }
}

describe('scanMappings never throws (seed 42)', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), smallCounts, fc.boolean(), (m, [s, n], marks) => checkSummary(m, s, n, marks)), OPTIONS);
  });

  it('on arbitrary binary strings (lone surrogates included)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), smallCounts, fc.boolean(), (m, [s, n], marks) => checkSummary(m, s, n, marks)), { seed: 42, numRuns: 1000 });
  });

  it('on base64 alphabet, "," and ";" with stray characters, and agrees with an independent grammar check', () => {
    fc.assert(fc.property(mappingsText, smallCounts, fc.boolean(), (m, [s, n], marks) => checkSummary(m, s, n, marks)), OPTIONS);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const SEVERITIES = ['error', 'warning'];

function checkValidation(input: unknown): ReturnType<typeof validateSourceMap> {
  const result = validateSourceMap(input);
  expect(typeof result.valid).toBe('boolean');
  expect(Array.isArray(result.diagnostics)).toBe(true);
  for (const d of result.diagnostics) {
    expect(typeof d.code).toBe('string');
    expect(SEVERITIES).toContain(d.severity);
    expect(typeof d.message === 'string' && d.message.length > 0).toBe(true);
    expect(d.pointer === '' || d.pointer.startsWith('/')).toBe(true);
  }
  if (result.valid) expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (result.diagnostics.some((d) => d.severity === 'error')) expect(result.valid).toBe(false);
  return result;
}

const field = (specific: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: specific }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const sourcesList = fc.array(fc.oneof(fc.string(), fc.constant(null)), { maxLength: 6 });
const mapObject = fc.record(
  {
    version: field(fc.constant(3)),
    file: field(fc.string()),
    sourceRoot: field(fc.string()),
    sources: field(sourcesList),
    sourcesContent: field(sourcesList),
    names: field(fc.array(fc.string(), { maxLength: 4 })),
    mappings: field(mappingsText),
    ignoreList: field(fc.array(fc.integer({ min: -1, max: 7 }), { maxLength: 4 })),
  },
  { requiredKeys: [] },
);
const indexMap = fc.record(
  {
    version: field(fc.constant(3)),
    sections: field(
      fc.array(fc.record({ offset: field(fc.record({ line: field(fc.nat(3)), column: field(fc.nat(10)) })), map: field(mapObject) }, { requiredKeys: [] }), {
        maxLength: 4,
      }),
    ),
  },
  { requiredKeys: [] },
);

describe('validateSourceMap never throws (seed 42)', () => {
  it('on arbitrary strings and binary strings as JSON text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (text) => void checkValidation(text)), OPTIONS);
  });

  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void checkValidation(bytes)), OPTIONS);
  });

  it('on fc.anything(), alone and as every field of a map', () => {
    const any = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withBigInt: true, withNullPrototype: true, withObjectString: true });
    fc.assert(fc.property(any, (value) => void checkValidation(value)), HEAVY);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('version', 'sources', 'sourcesContent', 'names', 'mappings', 'sections', 'file', 'sourceRoot', 'ignoreList', 'x_google_ignoreList'), any), (map) => {
        checkValidation(map);
        if (typeof map === 'object' && map !== null && 'sections' in map) checkValidation({ version: 3, sections: [{ offset: { line: 0, column: 0 }, map }] });
      }),
      HEAVY,
    );
  });

  it('on fc.jsonValue() maps: reading never fails, and object, JSON text and UTF-8 bytes agree', () => {
    fc.assert(
      fc.property(fc.oneof(mapObject, indexMap, fc.jsonValue()), (map) => {
        const text = JSON.stringify(map);
        const fromText = checkValidation(text);
        const fromBytes = checkValidation(new TextEncoder().encode(text));
        // The catch-all path of validateSourceMap is for throwing getters only; plain JSON never reaches it.
        expect(() => readSourceMap(text)).not.toThrow();
        expect(fromText.diagnostics.filter((d) => d.message.startsWith('The map could not be read'))).toEqual([]);
        expect(fromBytes).toEqual(fromText);
        // A parsed value is read like its text (a bare string or number is text itself, so only objects and arrays).
        if (typeof map === 'object' && map !== null) {
          expect(() => readSourceMap(map)).not.toThrow();
          expect(checkValidation(map)).toEqual(fromText);
        }
      }),
      HEAVY,
    );
  });
});
