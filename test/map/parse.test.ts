import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ForensicsError, isForensicsError } from '../../src/errors';
import { MAX_DIAGNOSTICS, type DiagnosticCode } from '../../src/map/diagnostics';
import { joinSourceRoot, parseSourceMap, readSourceMap, validateSourceMap } from '../../src/map/parse';
import type { MapSection } from '../../src/map/parsed-map';
import { mulberry32 as prng } from '../helpers/prng';

const indexMapText = readFileSync(new URL('../../fixtures/index-map/app.js.map', import.meta.url), 'utf8');


/** A minimal valid regular map with one source, overridden field by field. */
function regular(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 3, sources: ['a.js'], names: [], mappings: 'AAAA', ...fields };
}

function section(line: number, column: number, map: Record<string, unknown>): Record<string, unknown> {
  return { offset: { line, column }, map };
}

function codes(input: unknown): string[] {
  return validateSourceMap(input).diagnostics.map((d) => `${d.code}@${d.pointer}`);
}

describe('validateSourceMap never throws', () => {
  const random = prng(0x5eed);
  const randomBytes = new Uint8Array(256);
  for (let i = 0; i < randomBytes.length; i++) randomBytes[i] = Math.floor(random() * 256);
  // Keep the random bytes from ever starting like JSON text.
  randomBytes[0] = 0xff;

  const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  const deepIndexMap =
    '{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":'.repeat(10_000) +
    '{"version":3,"sources":["leaf.js"],"mappings":"AAAA"}' +
    '}]}'.repeat(10_000);

  const rows: { name: string; input: unknown; expected: string[] }[] = [
    { name: 'undefined', input: undefined, expected: ['MAP_NOT_JSON@'] },
    { name: 'null', input: null, expected: ['MAP_NOT_JSON@'] },
    { name: '0', input: 0, expected: ['MAP_NOT_JSON@'] },
    { name: 'true', input: true, expected: ['MAP_NOT_JSON@'] },
    { name: 'a bigint', input: 10n, expected: ['MAP_NOT_JSON@'] },
    { name: 'a symbol', input: Symbol('map'), expected: ['MAP_NOT_JSON@'] },
    { name: 'a function', input: () => 3, expected: ['MAP_NOT_JSON@'] },
    { name: 'an empty array', input: [], expected: ['MAP_NOT_OBJECT@'] },
    { name: "''", input: '', expected: ['MAP_NOT_JSON@'] },
    { name: "'null'", input: 'null', expected: ['MAP_NOT_OBJECT@'] },
    { name: "'[]'", input: '[]', expected: ['MAP_NOT_OBJECT@'] },
    { name: "'3'", input: '3', expected: ['MAP_NOT_OBJECT@'] },
    { name: "'{'", input: '{', expected: ['MAP_NOT_JSON@'] },
    // Bytes that are not UTF-8 are said so (a warning) before JSON.parse rejects them.
    { name: 'random bytes', input: randomBytes, expected: ['INVALID_UTF8@', 'MAP_NOT_JSON@'] },
    { name: '{sources: 5}', input: { sources: 5 }, expected: ['FIELD_MISSING@', 'FIELD_MISSING@', 'FIELD_TYPE@/sources'] },
    { name: 'a 10,000-deep nested JSON array', input: deepArray, expected: ['MAP_NOT_OBJECT@'] },
    {
      name: 'a getter that throws an Error',
      input: {
        version: 3,
        get sources(): unknown {
          throw new Error('boom');
        },
        mappings: '',
      },
      expected: ['MAP_NOT_JSON@'],
    },
  ];

  it.each(rows)('$name', ({ input, expected }) => {
    const result = validateSourceMap(input);
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => `${d.code}@${d.pointer}`)).toEqual(expected);
    expect(result.diagnostics.every((d) => d.severity === (d.code === 'INVALID_UTF8' ? 'warning' : 'error'))).toBe(true);
  });

  it('reports, not throws, when a getter throws a value that cannot be turned into a string', () => {
    // A throwing accessor on an object input is reachable through the public API (`SourceMapInput` is `object`).
    const hostile = {
      get version(): unknown {
        throw Object.create(null);
      },
    };
    let result: ReturnType<typeof validateSourceMap> | undefined;
    expect(() => {
      result = validateSourceMap(hostile);
    }).not.toThrow();
    expect(result?.valid).toBe(false);
    expect(result?.diagnostics.map((d) => d.code)).toEqual(['MAP_NOT_JSON']);
  });

  it('stops following index maps nested 10,000 deep after 16 levels', () => {
    const result = validateSourceMap(deepIndexMap);
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toHaveLength(16);
    expect(result.diagnostics.every((d) => d.code === 'SECTION_NESTED_INDEX_MAP' && d.severity === 'error')).toBe(true);
    expect(result.diagnostics[0]!.pointer).toBe('/sections/0/map');
    expect(result.diagnostics[15]!.pointer).toBe('/sections/0/map'.repeat(16));
    expect(result.diagnostics[15]!.message).toBe('Section 0 nests index maps deeper than 16 levels; not followed.');
  });

  it('does not pollute Object.prototype through a "__proto__" key', () => {
    const result = validateSourceMap('{"__proto__": {"polluted": 1}, "version": 3, "sources": [], "mappings": ""}');
    expect(result).toEqual({ valid: true, diagnostics: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const reading = readSourceMap('{"__proto__": {"sources": ["evil.js"]}, "version": 3, "mappings": ""}');
    // "sources" under "__proto__" is an own key of that member, not of the map.
    expect(reading.valid).toBe(false);
    expect(reading.diagnostics.map((d) => d.code)).toEqual(['FIELD_MISSING']);
    expect(({} as Record<string, unknown>).sources).toBeUndefined();
  });
});

describe('validateSourceMap: first error of an invalid map', () => {
  interface Row {
    name: string;
    map: unknown;
    code: DiagnosticCode;
    pointer: string;
    offset?: number;
  }
  const rows: Row[] = [
    { name: 'version "3"', map: regular({ version: '3' }), code: 'VERSION_INVALID', pointer: '/version' },
    { name: 'version 2', map: regular({ version: 2 }), code: 'VERSION_INVALID', pointer: '/version' },
    { name: 'no version', map: { sources: [], mappings: '' }, code: 'FIELD_MISSING', pointer: '' },
    { name: 'no sources', map: { version: 3, mappings: '' }, code: 'FIELD_MISSING', pointer: '' },
    { name: 'no mappings', map: { version: 3, sources: [] }, code: 'FIELD_MISSING', pointer: '' },
    { name: 'mappings 42', map: regular({ mappings: 42 }), code: 'FIELD_TYPE', pointer: '/mappings' },
    { name: 'sources "a.js"', map: regular({ sources: 'a.js' }), code: 'FIELD_TYPE', pointer: '/sources' },
    { name: 'sourcesContent null', map: regular({ sourcesContent: null }), code: 'FIELD_TYPE', pointer: '/sourcesContent' },
    { name: 'names {}', map: regular({ names: {} }), code: 'FIELD_TYPE', pointer: '/names' },
    { name: 'file 5', map: regular({ file: 5 }), code: 'FIELD_TYPE', pointer: '/file' },
    { name: 'sourceRoot 5', map: regular({ sourceRoot: 5 }), code: 'FIELD_TYPE', pointer: '/sourceRoot' },
    { name: 'sources entry 5', map: regular({ sources: [5] }), code: 'SOURCES_ENTRY_TYPE', pointer: '/sources/0' },
    { name: 'sourcesContent entry {}', map: regular({ sourcesContent: [{}] }), code: 'SOURCES_CONTENT_ENTRY_TYPE', pointer: '/sourcesContent/0' },
    { name: 'names [1]', map: regular({ names: [1] }), code: 'NAMES_ENTRY_TYPE', pointer: '/names/0' },
    { name: 'ignoreList "0"', map: regular({ ignoreList: '0' }), code: 'FIELD_TYPE', pointer: '/ignoreList' },
    { name: 'ignoreList [0.5]', map: regular({ ignoreList: [0.5] }), code: 'IGNORE_LIST_ENTRY_TYPE', pointer: '/ignoreList/0' },
    { name: 'ignoreList [-1]', map: regular({ ignoreList: [-1] }), code: 'IGNORE_LIST_ENTRY_TYPE', pointer: '/ignoreList/0' },
    { name: 'ignoreList [null]', map: regular({ ignoreList: [null] }), code: 'IGNORE_LIST_ENTRY_TYPE', pointer: '/ignoreList/0' },
    { name: 'ignoreList [3] with one source', map: regular({ ignoreList: [3] }), code: 'IGNORE_LIST_OUT_OF_RANGE', pointer: '/ignoreList/0' },
    { name: 'ignoreList [0, 1] with one source', map: regular({ ignoreList: [0, 1] }), code: 'IGNORE_LIST_OUT_OF_RANGE', pointer: '/ignoreList/1' },
    {
      name: 'x_google_ignoreList [1] with one source',
      map: regular({ x_google_ignoreList: [1] }),
      code: 'IGNORE_LIST_OUT_OF_RANGE',
      pointer: '/x_google_ignoreList/0',
    },
    { name: "mappings 'A$'", map: regular({ mappings: 'A$' }), code: 'MAPPINGS_BAD_CHARACTER', pointer: '/mappings', offset: 1 },
    { name: "mappings 'A='", map: regular({ mappings: 'A=' }), code: 'MAPPINGS_BAD_CHARACTER', pointer: '/mappings', offset: 1 },
    { name: "mappings 'AAAA;Aé'", map: regular({ mappings: 'AAAA;Aé' }), code: 'MAPPINGS_BAD_CHARACTER', pointer: '/mappings', offset: 6 },
    { name: "mappings 'g$'", map: regular({ mappings: 'g$' }), code: 'MAPPINGS_BAD_CHARACTER', pointer: '/mappings', offset: 1 },
    { name: "mappings 'g'", map: regular({ mappings: 'g' }), code: 'MAPPINGS_VLQ_TRUNCATED', pointer: '/mappings', offset: 0 },
    { name: "mappings 'AAAA,Ag;'", map: regular({ mappings: 'AAAA,Ag;' }), code: 'MAPPINGS_VLQ_TRUNCATED', pointer: '/mappings', offset: 6 },
    { name: "mappings 'ggggggE'", map: regular({ mappings: 'ggggggE' }), code: 'MAPPINGS_VLQ_OVERFLOW', pointer: '/mappings', offset: 0 },
    { name: "mappings 'AAAAgggggggB'", map: regular({ mappings: 'AAAAgggggggB' }), code: 'MAPPINGS_VLQ_OVERFLOW', pointer: '/mappings', offset: 4 },
    { name: "mappings 'AA'", map: regular({ mappings: 'AA' }), code: 'MAPPINGS_SEGMENT_LENGTH', pointer: '/mappings', offset: 0 },
    { name: "mappings 'AAA'", map: regular({ mappings: 'AAA' }), code: 'MAPPINGS_SEGMENT_LENGTH', pointer: '/mappings', offset: 0 },
    { name: "mappings 'AAAAAA'", map: regular({ mappings: 'AAAAAA' }), code: 'MAPPINGS_SEGMENT_LENGTH', pointer: '/mappings', offset: 0 },
    { name: "mappings 'AAAA,' (trailing empty segment)", map: regular({ mappings: 'AAAA,' }), code: 'MAPPINGS_SEGMENT_LENGTH', pointer: '/mappings', offset: 5 },
    { name: "mappings 'AAAA,,CAAC'", map: regular({ mappings: 'AAAA,,CAAC' }), code: 'MAPPINGS_SEGMENT_LENGTH', pointer: '/mappings', offset: 5 },
    { name: "mappings ';,'", map: regular({ mappings: ';,' }), code: 'MAPPINGS_SEGMENT_LENGTH', pointer: '/mappings', offset: 1 },
    { name: "mappings 'F' (column -2)", map: regular({ mappings: 'F' }), code: 'MAPPINGS_NEGATIVE_VALUE', pointer: '/mappings', offset: 0 },
    { name: "mappings 'B' (-0 is -2^31)", map: regular({ mappings: 'B' }), code: 'MAPPINGS_NEGATIVE_VALUE', pointer: '/mappings', offset: 0 },
    { name: "mappings 'hA' (long -0 is -2^31)", map: regular({ mappings: 'hA' }), code: 'MAPPINGS_NEGATIVE_VALUE', pointer: '/mappings', offset: 0 },
    { name: "mappings 'KAAA,NAAA' (column 5 - 6)", map: regular({ mappings: 'KAAA,NAAA' }), code: 'MAPPINGS_NEGATIVE_VALUE', pointer: '/mappings', offset: 5 },
    { name: "mappings 'ADAA' (source -1)", map: regular({ mappings: 'ADAA' }), code: 'MAPPINGS_NEGATIVE_VALUE', pointer: '/mappings', offset: 0 },
    { name: "mappings 'AADA' (line -1)", map: regular({ mappings: 'AADA' }), code: 'MAPPINGS_NEGATIVE_VALUE', pointer: '/mappings', offset: 0 },
    { name: "mappings 'AAAD' (column -1)", map: regular({ mappings: 'AAAD' }), code: 'MAPPINGS_NEGATIVE_VALUE', pointer: '/mappings', offset: 0 },
    {
      name: "mappings 'AAAAD' (name -1)",
      map: regular({ names: ['x'], mappings: 'AAAAD' }),
      code: 'MAPPINGS_NEGATIVE_VALUE',
      pointer: '/mappings',
      offset: 0,
    },
    { name: "mappings 'ACAA' with one source", map: regular({ mappings: 'ACAA' }), code: 'MAPPINGS_SOURCE_INDEX_RANGE', pointer: '/mappings', offset: 0 },
    {
      name: "mappings 'AAAA,ACAA' with one source",
      map: regular({ mappings: 'AAAA,ACAA' }),
      code: 'MAPPINGS_SOURCE_INDEX_RANGE',
      pointer: '/mappings',
      offset: 5,
    },
    {
      name: "mappings 'AAAAC' with one name",
      map: regular({ names: ['x'], mappings: 'AAAAC' }),
      code: 'MAPPINGS_NAME_INDEX_RANGE',
      pointer: '/mappings',
      offset: 0,
    },
    { name: "mappings 'AAAAA' without names", map: regular({ names: undefined, mappings: 'AAAAA' }), code: 'MAPPINGS_NAME_INDEX_RANGE', pointer: '/mappings', offset: 0 },
    {
      name: 'index map with mappings',
      map: { version: 3, mappings: '', sections: [section(0, 0, regular())] },
      code: 'INDEX_MAP_WITH_MAPPINGS',
      pointer: '/mappings',
    },
    { name: 'sections {}', map: { version: 3, sections: {} }, code: 'FIELD_TYPE', pointer: '/sections' },
    { name: 'section 5', map: { version: 3, sections: [5] }, code: 'SECTION_INVALID', pointer: '/sections/0' },
    {
      name: 'section without map',
      map: { version: 3, sections: [{ offset: { line: 0, column: 0 } }] },
      code: 'SECTION_INVALID',
      pointer: '/sections/0/map',
    },
    {
      name: 'section with url only',
      map: { version: 3, sections: [{ offset: { line: 0, column: 0 }, url: 'part.js.map' }] },
      code: 'SECTION_URL_UNSUPPORTED',
      pointer: '/sections/0/url',
    },
    { name: 'section without offset', map: { version: 3, sections: [{ map: regular() }] }, code: 'SECTION_OFFSET', pointer: '/sections/0/offset' },
    {
      name: 'section offset line -1',
      map: { version: 3, sections: [section(-1, 0, regular())] },
      code: 'SECTION_OFFSET',
      pointer: '/sections/0/offset/line',
    },
    {
      name: 'section offset column 1.5',
      map: { version: 3, sections: [section(0, 1.5, regular())] },
      code: 'SECTION_OFFSET',
      pointer: '/sections/0/offset/column',
    },
    {
      name: 'sections out of order (line)',
      map: { version: 3, sections: [section(1, 0, regular()), section(0, 0, regular())] },
      code: 'SECTION_ORDER',
      pointer: '/sections/1/offset',
    },
    {
      name: 'sections out of order (column)',
      map: { version: 3, sections: [section(0, 9, regular()), section(0, 8, regular())] },
      code: 'SECTION_ORDER',
      pointer: '/sections/1/offset',
    },
    {
      name: 'overlapping sections',
      map: { version: 3, sections: [section(0, 0, regular({ mappings: 'AAAA,KAAA' })), section(0, 3, regular())] },
      code: 'SECTION_OVERLAP',
      pointer: '/sections/1/offset',
    },
    {
      name: 'overlapping sections across lines',
      map: { version: 3, sections: [section(0, 0, regular({ mappings: 'AAAA;;CAAA' })), section(1, 40, regular())] },
      code: 'SECTION_OVERLAP',
      pointer: '/sections/1/offset',
    },
    {
      // tc39/source-map-tests indexMapInvalidOverlap: the next section starts exactly at the previous last mapping.
      name: 'a section starting at the previous last mapping',
      map: { version: 3, sections: [section(0, 0, regular({ mappings: 'AAAA,KAAA' })), section(0, 5, regular())] },
      code: 'SECTION_OVERLAP',
      pointer: '/sections/1/offset',
    },
    {
      name: 'nested index map',
      map: { version: 3, sections: [section(0, 0, { version: 3, sections: [section(0, 0, regular())] })] },
      code: 'SECTION_NESTED_INDEX_MAP',
      pointer: '/sections/0/map',
    },
    {
      name: 'bad mappings in a section',
      map: { version: 3, sections: [section(0, 0, regular()), section(1, 0, regular({ mappings: 'AAAA,F' }))] },
      code: 'MAPPINGS_NEGATIVE_VALUE',
      pointer: '/sections/1/map/mappings',
      offset: 5,
    },
    {
      name: 'bad version in a section',
      map: { version: 3, sections: [section(0, 0, regular({ version: 4 }))] },
      code: 'VERSION_INVALID',
      pointer: '/sections/0/map/version',
    },
    {
      name: 'bad file in a section',
      map: { version: 3, sections: [section(0, 0, regular({ file: [] }))] },
      code: 'FIELD_TYPE',
      pointer: '/sections/0/map/file',
    },
  ];

  it.each(rows)('$name → $code at "$pointer"', ({ map, code, pointer, offset }) => {
    const result = validateSourceMap(map);
    expect(result.valid).toBe(false);
    const first = result.diagnostics.find((d) => d.severity === 'error');
    expect(first).toBeDefined();
    expect(first!.code).toBe(code);
    expect(first!.pointer).toBe(pointer);
    expect(first!.offset).toBe(offset);
    expect(first!.message.length).toBeGreaterThan(0);
    // The same result from JSON text and from bytes.
    const text = JSON.stringify(map);
    expect(validateSourceMap(text)).toEqual(result);
    expect(validateSourceMap(new TextEncoder().encode(text))).toEqual(result);
    expect(() => parseSourceMap(map as object)).toThrowError(expect.objectContaining({ code: 'INVALID_SOURCE_MAP' }));
  });

  it('lists every problem, not only the first', () => {
    expect(codes(regular({ version: '3', sources: ['a.js', 7], names: [null], ignoreList: [9], mappings: 'AAAA,F' }))).toEqual([
      'VERSION_INVALID@/version',
      'SOURCES_ENTRY_TYPE@/sources/1',
      'NAMES_ENTRY_TYPE@/names/0',
      'IGNORE_LIST_OUT_OF_RANGE@/ignoreList/0',
      'MAPPINGS_NEGATIVE_VALUE@/mappings',
    ]);
  });

  it('accepts sections that touch but do not overlap, and empty sections', () => {
    expect(validateSourceMap({ version: 3, sections: [] })).toEqual({ valid: true, diagnostics: [] });
    expect(
      validateSourceMap({
        version: 3,
        sections: [section(0, 0, regular({ mappings: 'AAAA,KAAA' })), section(0, 6, regular()), section(1, 0, regular({ mappings: '' })), section(1, 0, regular())],
      }),
    ).toEqual({ valid: true, diagnostics: [] });
  });

  it('keeps the nested index map sources in the lenient reading', () => {
    const map = {
      version: 3,
      sections: [
        section(0, 0, regular({ sources: ['top.js'] })),
        section(2, 4, { version: 3, sections: [section(0, 3, regular({ sources: ['n1.js'] })), section(1, 7, regular({ sources: ['n2.js'], names: ['x'] }))] }),
      ],
    };
    const reading = readSourceMap(map);
    expect(reading.valid).toBe(false);
    expect(reading.diagnostics.map((d) => `${d.code}@${d.pointer}`)).toEqual(['SECTION_NESTED_INDEX_MAP@/sections/1/map']);
    expect(reading.map).not.toBeNull();
    expect(reading.map!.sources).toEqual(['top.js', 'n1.js', 'n2.js']);
    expect(reading.map!.names).toEqual(['x']);
    expect(reading.map!.sections).toEqual<MapSection[]>([
      { line: 0, column: 0, sourceOffset: 0, sourceCount: 1, nameOffset: 0, nameCount: 0, mappings: 'AAAA' },
      // Nested section on the parent's first line: the parent's column (4) is added to its own (3).
      { line: 2, column: 7, sourceOffset: 1, sourceCount: 1, nameOffset: 0, nameCount: 0, mappings: 'AAAA' },
      // Nested section on a later line: its column stands alone.
      { line: 3, column: 7, sourceOffset: 2, sourceCount: 1, nameOffset: 0, nameCount: 1, mappings: 'AAAA' },
    ]);
  });

  it('adds offsets through several levels of nesting', () => {
    let map: Record<string, unknown> = regular({ sources: ['leaf.js'] });
    for (let i = 0; i < 3; i++) map = { version: 3, sections: [section(1, 2, map)] };
    expect(readSourceMap(map).map!.sections).toEqual([
      { line: 3, column: 2, sourceOffset: 0, sourceCount: 1, nameOffset: 0, nameCount: 0, mappings: 'AAAA' },
    ]);
    map = regular({ sources: ['leaf.js'] });
    for (let i = 0; i < 3; i++) map = { version: 3, sections: [section(0, 2, map)] };
    expect(readSourceMap(map).map!.sections[0]).toMatchObject({ line: 0, column: 6 });
  });

  it('keeps exactly 100 diagnostics and closes them with TOO_MANY_DIAGNOSTICS', () => {
    const mappings = new Array<string>(150).fill('F').join(',');
    const result = validateSourceMap(regular({ mappings }));
    expect(result.valid).toBe(false);
    expect(MAX_DIAGNOSTICS).toBe(100);
    expect(result.diagnostics).toHaveLength(101);
    const kept = result.diagnostics.slice(0, 100);
    expect(kept.every((d) => d.code === 'MAPPINGS_NEGATIVE_VALUE' && d.severity === 'error')).toBe(true);
    expect(kept.map((d) => d.offset)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i));
    expect(result.diagnostics[100]).toEqual({
      code: 'TOO_MANY_DIAGNOSTICS',
      severity: 'warning',
      message: '50 more diagnostics were not kept (at most 100 per map).',
      pointer: '',
    });
  });

  it('stays invalid when every error is past the cap', () => {
    // 100 warnings fill the list; the errors after them are dropped but still counted.
    const map = regular({ sources: [], sourcesContent: ['x'], mappings: '' });
    expect(validateSourceMap(map)).toEqual({
      valid: true,
      diagnostics: [expect.objectContaining({ code: 'SOURCES_CONTENT_EXTRA', severity: 'warning' })],
    });
    const sections = Array.from({ length: 100 }, (_, i) => section(i, 0, map));
    sections.push(section(100, 0, regular({ mappings: 'F' })));
    const result = validateSourceMap({ version: 3, sections });
    expect(result.diagnostics).toHaveLength(101);
    expect(result.diagnostics.slice(0, 100).every((d) => d.code === 'SOURCES_CONTENT_EXTRA')).toBe(true);
    expect(result.diagnostics[100]!.code).toBe('TOO_MANY_DIAGNOSTICS');
    expect(result.valid).toBe(false);
  });
});

describe('parseSourceMap', () => {
  const text = JSON.stringify(regular({ sources: ['a.js', 'b.js'], names: ['n'], mappings: 'AAAAA,CCAA;ADCA', sourcesContent: ['a', null] }));
  const expected = parseSourceMap(text);

  it('parses a valid map into flat fields', () => {
    expect(expected.format).toBe('regular');
    expect(expected.file).toBeNull();
    expect(expected.sourceRoot).toBeNull();
    expect(expected.sources).toEqual(['a.js', 'b.js']);
    expect(expected.resolvedSources).toEqual(['a.js', 'b.js']);
    expect(expected.sourcesContent).toEqual(['a', null]);
    expect(expected.names).toEqual(['n']);
    expect(expected.ignoreList).toEqual([]);
    expect(expected.diagnostics).toEqual([]);
    expect(expected.sections).toEqual([
      { line: 0, column: 0, sourceOffset: 0, sourceCount: 2, nameOffset: 0, nameCount: 1, mappings: 'AAAAA,CCAA;ADCA' },
    ]);
  });

  it('throws ForensicsError INVALID_SOURCE_MAP with the diagnostics', () => {
    const bad = regular({ version: '3', sources: ['a.js', 5] });
    let caught: unknown;
    try {
      parseSourceMap(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ForensicsError);
    expect(isForensicsError(caught)).toBe(true);
    const error = caught as ForensicsError;
    expect(error.code).toBe('INVALID_SOURCE_MAP');
    expect(error.name).toBe('ForensicsError');
    expect(error.diagnostics).toEqual(validateSourceMap(bad).diagnostics);
    expect(error.diagnostics.map((d) => d.code)).toEqual(['VERSION_INVALID', 'SOURCES_ENTRY_TYPE']);
    expect(error.message).toBe('[sourcemap-forensics] invalid source map: "version" is the string "3"; it must be the number 3. (at /version)');
  });

  it.each([
    { name: 'not JSON', input: '{', code: 'MAP_NOT_JSON' },
    { name: 'a JSON array', input: '[]', code: 'MAP_NOT_OBJECT' },
    { name: 'null', input: null, code: 'MAP_NOT_JSON' },
    { name: 'no sources', input: { version: 3, mappings: '' }, code: 'FIELD_MISSING' },
    { name: 'sections not an array', input: { version: 3, sections: null }, code: 'FIELD_TYPE' },
  ])('throws for $name', ({ input, code }) => {
    expect(() => parseSourceMap(input as unknown as object)).toThrowError(
      expect.objectContaining({ code: 'INVALID_SOURCE_MAP', diagnostics: [expect.objectContaining({ code })] }),
    );
  });

  const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);
  it.each([
    { name: 'a string', input: text },
    { name: 'a string with a BOM', input: `\uFEFF${text}` },
    { name: 'bytes', input: bytes(text) },
    { name: 'bytes with a BOM (EF BB BF)', input: Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes(text)]) },
    { name: "a )]}' line (LF)", input: `)]}'\n${text}` },
    { name: "a )]}' line (CRLF)", input: `)]}'\r\n${text}` },
    { name: "a )]}' line with more on it (CR)", input: `)]}' junk\r${text}` },
    { name: "a BOM and a )]}' line", input: `\uFEFF)]}'\n${text}` },
    { name: "bytes with a )]}' line", input: bytes(`)]}'\n${text}`) },
    { name: 'a Buffer', input: Buffer.from(text, 'utf8') },
    { name: 'a view into a larger buffer', input: Uint8Array.from([0x5b, ...bytes(text), 0x5d]).subarray(1, -1) },
    { name: 'an already parsed object', input: JSON.parse(text) as object },
  ])('accepts $name', ({ input }) => {
    expect(parseSourceMap(input)).toEqual(expected);
  });

  it("rejects a )]}' prefix without a line break and a BOM that is not first", () => {
    expect(codes(`)]}'${text}`)).toEqual(['MAP_NOT_JSON@']);
    expect(codes(` \uFEFF${text}`)).toEqual(['MAP_NOT_JSON@']);
  });

  it.each([
    { name: 'x_google_ignoreList alone', fields: { x_google_ignoreList: [1] }, ignoreList: [1] },
    { name: 'ignoreList alone', fields: { ignoreList: [0] }, ignoreList: [0] },
    { name: 'both: ignoreList wins', fields: { ignoreList: [0], x_google_ignoreList: [1] }, ignoreList: [0] },
    { name: 'both, ignoreList empty: still wins', fields: { ignoreList: [], x_google_ignoreList: [1] }, ignoreList: [] },
    { name: 'duplicates and disorder', fields: { ignoreList: [1, 0, 1] }, ignoreList: [0, 1] },
  ])('ignore list: $name', ({ fields, ignoreList }) => {
    const map = parseSourceMap(regular({ sources: ['a.js', 'b.js'], ...fields }));
    expect(map.ignoreList).toEqual(ignoreList);
  });

  it('does not check x_google_ignoreList when ignoreList is present', () => {
    expect(validateSourceMap(regular({ ignoreList: [0], x_google_ignoreList: [7] }))).toEqual({ valid: true, diagnostics: [] });
  });

  it('keeps warnings on the returned map instead of throwing', () => {
    const map = parseSourceMap(regular({ sourcesContent: ['a', 'b', 'c'] }));
    expect(map.sourcesContent).toEqual(['a']);
    expect(map.diagnostics).toEqual([
      {
        code: 'SOURCES_CONTENT_EXTRA',
        severity: 'warning',
        message: '"sourcesContent" has 3 entries for 1 sources; the extra 2 are ignored.',
        pointer: '/sourcesContent',
      },
    ]);
    expect(validateSourceMap(regular({ sourcesContent: ['a', 'b', 'c'] })).valid).toBe(true);
  });

  it('pads a short sourcesContent with null and keeps null sources', () => {
    const map = parseSourceMap(regular({ sources: [null, 'b.js', 'c.js'], sourcesContent: ['x'] }));
    expect(map.sources).toEqual([null, 'b.js', 'c.js']);
    expect(map.resolvedSources).toEqual([null, 'b.js', 'c.js']);
    expect(map.sourcesContent).toEqual(['x', null, null]);
  });
});

describe('joinSourceRoot', () => {
  it.each([
    { root: null, source: 'a.js', expected: 'a.js' },
    // Deliberate: ECMA-426 would prefix "/", but "" means "no root" to the tools that write it.
    { root: '', source: 'a.js', expected: 'a.js' },
    { root: 'root', source: 'a.js', expected: 'root/a.js' },
    { root: 'root/', source: 'a.js', expected: 'root/a.js' },
    { root: '/', source: 'a.js', expected: '/a.js' },
    { root: 'https://x/', source: 'a.js', expected: 'https://x/a.js' },
    { root: 'https://x', source: 'a.js', expected: 'https://x/a.js' },
    { root: 'webpack://app/', source: './src/a.js', expected: 'webpack://app/./src/a.js' },
    { root: 'root', source: '../a.js', expected: 'root/../a.js' },
    { root: 'root', source: '', expected: 'root/' },
    { root: 'root', source: null, expected: null },
    { root: null, source: null, expected: null },
    { root: '', source: null, expected: null },
  ])('$root + $source → $expected', ({ root, source, expected }) => {
    expect(joinSourceRoot(root, source)).toBe(expected);
  });

  it('is what ParsedMap.resolvedSources holds, while sources stays raw', () => {
    const map = parseSourceMap(regular({ sourceRoot: 'https://cdn.example/app', sources: ['a.js', null, 'lib/b.js'] }));
    expect(map.sourceRoot).toBe('https://cdn.example/app');
    expect(map.sources).toEqual(['a.js', null, 'lib/b.js']);
    expect(map.resolvedSources).toEqual(['https://cdn.example/app/a.js', null, 'https://cdn.example/app/lib/b.js']);
    expect(parseSourceMap(regular({ sourceRoot: '' })).resolvedSources).toEqual(['a.js']);
  });

  it('applies each section its own sourceRoot in an index map', () => {
    const map = parseSourceMap({
      version: 3,
      sections: [section(0, 0, regular({ sourceRoot: 'one' })), section(1, 0, regular({ sourceRoot: 'two/', sources: ['b.js'] })), section(2, 0, regular())],
    });
    expect(map.sourceRoot).toBeNull();
    expect(map.sources).toEqual(['a.js', 'b.js', 'a.js']);
    expect(map.resolvedSources).toEqual(['one/a.js', 'two/b.js', 'a.js']);
  });
});

describe('index maps', () => {
  const raw = JSON.parse(indexMapText) as {
    file: string;
    sections: { offset: { line: number; column: number }; map: { sources: string[]; sourcesContent: (string | null)[]; names: string[]; mappings: string; ignoreList?: number[] } }[];
  };

  it('flattens fixtures/index-map/app.js.map', () => {
    const map = parseSourceMap(indexMapText);
    expect(map.format).toBe('index');
    expect(map.file).toBe('app.js');
    expect(map.sourceRoot).toBeNull();
    expect(map.diagnostics).toEqual([]);
    expect(map.sources).toEqual(['src/app.ts', 'src/util.ts', 'node_modules/left-pad/index.js', 'src/empty.ts', '/home/alice/work/secret.ts']);
    expect(map.sources).toEqual(raw.sections.flatMap((s) => s.map.sources));
    expect(map.resolvedSources).toEqual(map.sources);
    expect(map.sourcesContent).toEqual(raw.sections.flatMap((s) => s.map.sourcesContent));
    expect(map.sourcesContent[3]).toBe('');
    expect(map.sourcesContent[4]).toBeNull();
    expect(map.names).toEqual([]);
    // Section 1 lists its source 0, which is source 2 once flattened.
    expect(raw.sections[1]!.map.ignoreList).toEqual([0]);
    expect(map.ignoreList).toEqual([2]);
    expect(map.sections).toEqual<MapSection[]>([
      { line: 0, column: 0, sourceOffset: 0, sourceCount: 2, nameOffset: 0, nameCount: 0, mappings: raw.sections[0]!.map.mappings },
      { line: 10, column: 0, sourceOffset: 2, sourceCount: 3, nameOffset: 0, nameCount: 0, mappings: raw.sections[1]!.map.mappings },
    ]);
  });

  it('offsets names and ignore lists of later sections', () => {
    const map = parseSourceMap({
      version: 3,
      sections: [
        section(0, 5, regular({ sources: ['a.js', 'b.js'], names: ['x', 'y'], ignoreList: [1] })),
        section(2, 1, regular({ sources: ['c.js', 'd.js', 'e.js'], names: ['z'], mappings: 'AAAAA', x_google_ignoreList: [2, 0] })),
      ],
    });
    expect(map.names).toEqual(['x', 'y', 'z']);
    expect(map.ignoreList).toEqual([1, 2, 4]);
    expect(map.sections.map(({ mappings: _, ...rest }) => rest)).toEqual([
      { line: 0, column: 5, sourceOffset: 0, sourceCount: 2, nameOffset: 0, nameCount: 2 },
      { line: 2, column: 1, sourceOffset: 2, sourceCount: 3, nameOffset: 2, nameCount: 1 },
    ]);
  });

  it('skips a section with a url but keeps the others in the lenient reading', () => {
    const reading = readSourceMap({
      version: 3,
      sections: [section(0, 0, regular({ sources: ['a.js'] })), { offset: { line: 1, column: 0 }, url: 'b.js.map' }, section(2, 0, regular({ sources: ['c.js'] }))],
    });
    expect(reading.valid).toBe(false);
    expect(reading.map!.sources).toEqual(['a.js', 'c.js']);
    expect(reading.map!.sections.map((s) => s.line)).toEqual([0, 2]);
  });
});
