import { isAbsolute, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collisionKey, OUTSIDE, sanitizedPathText, sanitizeFully, sanitizeSourcePath, UNNAMED, type PathNote } from '../../src/reconstruct/sanitize';

/** Fallback name for null or empty entries, as the extractor builds it: `<map path>/source-<index>`. */
const FALLBACK = 'cli.js.map/source-3';

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** `[sources entry, base (the map's folder), expected segments joined by '/', expected notes]`. */
type Row = [input: string | null, base: string, expected: string, notes: PathNote[]];

const ROWS: Row[] = [
  // URL schemes and bundler prefixes become a folder named after the scheme.
  ['webpack:///./src/a.ts', '', 'webpack/src/a.ts', ['scheme']],
  ['webpack://app/./src/a.ts', '', 'webpack/app/src/a.ts', ['scheme']],
  ['webpack:///src/a.ts', '', 'webpack/src/a.ts', ['scheme']],
  ['WebPack:///src/a.ts', '', 'webpack/src/a.ts', ['scheme']],
  ['file:///home/u/proj/x.ts', '', 'file/home/u/proj/x.ts', ['scheme']],
  ['vite:/src/main.ts', '', 'vite/src/main.ts', ['scheme']],
  ['ng:///app/app.component.ts', '', 'ng/app/app.component.ts', ['scheme']],
  ['webpack:///./src/a.ts', 'package/dist', 'webpack/src/a.ts', ['scheme']],
  ['webpack:///../../../etc/passwd', '', `${OUTSIDE}/webpack/etc/passwd`, ['parent-traversal', 'scheme']],
  ['webpack://%2e%2e/%2e%2e/x.ts', '', `${OUTSIDE}/webpack/x.ts`, ['decoded', 'parent-traversal', 'scheme']],
  // `..` that leads above the root, in every spelling.
  ['../../../../etc/passwd', '', `${OUTSIDE}/etc/passwd`, ['parent-traversal']],
  ['..%2f..%2fetc%2fpasswd', '', `${OUTSIDE}/etc/passwd`, ['decoded', 'parent-traversal']],
  ['..%2F..%2Fetc%2Fpasswd', '', `${OUTSIDE}/etc/passwd`, ['decoded', 'parent-traversal']],
  ['%2e%2e/%2e%2e/x', '', `${OUTSIDE}/x`, ['decoded', 'parent-traversal']],
  ['..\\..\\x', '', `${OUTSIDE}/x`, ['parent-traversal']],
  ['..%5c..%5cx', '', `${OUTSIDE}/x`, ['decoded', 'parent-traversal']],
  ['a/../../b.ts', '', `${OUTSIDE}/b.ts`, ['parent-traversal']],
  ['..', '', OUTSIDE, ['parent-traversal']],
  // `..` and `.` that stay inside are simply resolved.
  ['a/b/../c.ts', '', 'a/c.ts', []],
  ['./a/./b.ts', '', 'a/b.ts', []],
  ['a//b.ts', '', 'a/b.ts', []],
  // Absolute paths: POSIX, drive letters, UNC.
  ['/etc/passwd', '', `${OUTSIDE}/etc/passwd`, ['absolute']],
  ['/etc/passwd', 'package/dist', `${OUTSIDE}/etc/passwd`, ['absolute']],
  ['C:\\Windows\\x.ts', '', `${OUTSIDE}/C/Windows/x.ts`, ['absolute']],
  ['c:/Users/bob/x.ts', '', `${OUTSIDE}/c/Users/bob/x.ts`, ['absolute']],
  ['\\\\server\\share\\x', '', `${OUTSIDE}/server/share/x`, ['absolute']],
  ['//server/share/x', '', `${OUTSIDE}/server/share/x`, ['absolute']],
  ['/../../etc/passwd', '', `${OUTSIDE}/etc/passwd`, ['absolute', 'parent-traversal']],
  ['%2fetc%2fpasswd', '', `${OUTSIDE}/etc/passwd`, ['absolute', 'decoded']],
  ['\\\\?\\C:\\x.ts', '', `${OUTSIDE}/_/C_/x.ts`, ['absolute', 'invalid-characters']],
  // NUL and other control characters.
  ['a\u0000b.ts', '', 'a_b.ts', ['invalid-characters']],
  ['a%00b.ts', '', 'a_b.ts', ['decoded', 'invalid-characters']],
  ['a\tb\u001f\u007f.ts', '', 'a_b__.ts', ['invalid-characters']],
  ['src/\u0000/x.ts', '', 'src/_/x.ts', ['invalid-characters']],
  // Unicode look-alikes, after NFKC.
  ['．．／．．／x', '', `${OUTSIDE}/x`, ['normalized', 'parent-traversal']],
  ['x/．．/．．/y', '', `${OUTSIDE}/y`, ['normalized', 'parent-traversal']],
  ['．．＼x', '', `${OUTSIDE}/x`, ['normalized', 'parent-traversal']],
  ['%EF%BC%8E%EF%BC%8E%EF%BC%8Fx', '', `${OUTSIDE}/x`, ['decoded', 'normalized', 'parent-traversal']],
  ['Ｃ：＼x.ts', '', `${OUTSIDE}/C/x.ts`, ['absolute', 'normalized']],
  ['\ufb01le.ts', '', 'file.ts', ['normalized']],
  // Windows reserved names, with or without extension, in any folder position.
  ['CON', '', 'CON_', ['reserved-name']],
  ['con.ts', '', 'con_.ts', ['reserved-name']],
  ['LPT1.txt', '', 'LPT1_.txt', ['reserved-name']],
  ['src/aux/x.ts', '', 'src/aux_/x.ts', ['reserved-name']],
  ['nul.tar.gz', '', 'nul_.tar.gz', ['reserved-name']],
  ['Com9', '', 'Com9_', ['reserved-name']],
  ['prn.d.ts', '', 'prn_.d.ts', ['reserved-name']],
  ['COM\u00b9.ts', '', 'COM1_.ts', ['normalized', 'reserved-name']],
  ['console.ts', '', 'console.ts', []],
  ['com10.ts', '', 'com10.ts', []],
  // Trailing dots and spaces.
  ['a.', '', 'a_', ['trailing-dot-or-space']],
  ['a ', '', 'a_', ['trailing-dot-or-space']],
  ['dir. /x.ts', '', 'dir__/x.ts', ['trailing-dot-or-space']],
  ['...', '', '___', ['trailing-dot-or-space']],
  ['con.', '', 'con_', ['trailing-dot-or-space']],
  // Characters Windows forbids.
  ['x<y>.ts', '', 'x_y_.ts', ['invalid-characters']],
  ['a:b|c?d*e"f.ts', '', 'a_b_c_d_e_f.ts', ['invalid-characters']],
  ['C:x.ts', '', 'C_x.ts', ['invalid-characters']],
  // Null, empty and blank entries are named after their map and index.
  [null, '', `${UNNAMED}/cli.js.map/source-3`, ['unnamed']],
  ['', '', `${UNNAMED}/cli.js.map/source-3`, ['unnamed']],
  ['   ', '', `${UNNAMED}/cli.js.map/source-3`, ['unnamed']],
  [null, 'package/dist', `${UNNAMED}/cli.js.map/source-3`, ['unnamed']],
  // Relative entries resolve against the map's folder.
  ['../src/x.ts', 'package/dist', 'package/src/x.ts', []],
  ['src/x.ts', 'package/dist', 'package/dist/src/x.ts', []],
  ['../../x.ts', 'dist', `${OUTSIDE}/x.ts`, ['parent-traversal']],
  ['../../../x.ts', 'a/b', `${OUTSIDE}/x.ts`, ['parent-traversal']],
  ['../../x.ts', 'a/b', 'x.ts', []],
  ['x.ts', 'outer.zip!/package/dist', 'outer.zip!/package/dist/x.ts', []],
  // Percent-decoding: once, UTF-8, malformed sequences kept as written.
  ['%C3%A9.ts', '', '\u00e9.ts', ['decoded']],
  ['%E9.ts', '', '%E9.ts', []],
  ['100%25.ts', '', '100%.ts', ['decoded']],
  ['%252e%252e/x', '', '%2e%2e/x', ['decoded']],
  ['plain/src/index.ts', '', 'plain/src/index.ts', []],
];

describe('sanitizeSourcePath: table', () => {
  it('has at least 50 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(ROWS)('%j (base %j) -> %s %j', (input, base, expected, notes) => {
    const result = sanitizeSourcePath(input, FALLBACK, base);
    expect(result.segments.join('/')).toBe(expected);
    expect(result.notes).toEqual(notes);
    // The join above must not hide a separator inside a segment.
    expect(result.segments).toEqual(expected.split('/'));
  });
});

describe('sanitizeSourcePath: long names', () => {
  const long = `${'a'.repeat(300)}.ts`;

  it('shortens a 300-character name to 200 UTF-8 bytes with ~ and 8 hex digits, keeping the extension', () => {
    const { segments, notes } = sanitizeSourcePath(long, FALLBACK);
    expect(notes).toEqual(['too-long']);
    expect(segments).toHaveLength(1);
    const name = segments[0]!;
    expect(name).toMatch(/^a+~[0-9a-f]{8}\.ts$/);
    expect(utf8(name)).toBe(200);
    expect(name.startsWith('a'.repeat(188))).toBe(true);
  });

  it('keeps two long names that differ only at the end apart', () => {
    const a = sanitizeSourcePath(`src/${'b'.repeat(300)}-1.ts`, FALLBACK).segments;
    const b = sanitizeSourcePath(`src/${'b'.repeat(300)}-2.ts`, FALLBACK).segments;
    expect(a[0]).toBe('src');
    expect(b[0]).toBe('src');
    expect(a[1]).not.toBe(b[1]);
    expect(a[1]!.toLowerCase()).not.toBe(b[1]!.toLowerCase());
    expect(a[1]!.slice(0, -12)).toBe(b[1]!.slice(0, -12));
    expect(a[1]!.slice(0, -12)).toBe(`${'b'.repeat(188)}`);
    for (const s of [a[1]!, b[1]!]) {
      expect(utf8(s)).toBeLessThanOrEqual(200);
      expect(s.endsWith('.ts')).toBe(true);
    }
  });

  it('is stable: the same long name gets the same tag whatever its folder', () => {
    expect(sanitizeSourcePath(long, 'x').segments).toEqual(sanitizeSourcePath(long, 'y', 'z').segments.slice(1));
  });

  it('leaves a segment of exactly 200 bytes alone and shortens one of 201', () => {
    const at = sanitizeSourcePath(`${'c'.repeat(197)}.ts`, FALLBACK);
    expect(at).toEqual({ segments: [`${'c'.repeat(197)}.ts`], notes: [] });
    const over = sanitizeSourcePath(`${'c'.repeat(198)}.ts`, FALLBACK);
    expect(over.notes).toEqual(['too-long']);
    expect(over.segments[0]).toMatch(/^c{188}~[0-9a-f]{8}\.ts$/);
  });

  it('counts UTF-8 bytes, not characters, and never splits a surrogate pair', () => {
    // 100 x 3 bytes and 60 x 4 bytes: both over 200 bytes with fewer than 200 UTF-16 units.
    for (const input of ['\u20ac'.repeat(100), '\u{1f600}'.repeat(60), `${'\u{1f600}'.repeat(60)}.js`]) {
      const { segments, notes } = sanitizeSourcePath(input, FALLBACK);
      expect(notes).toEqual(['too-long']);
      expect(utf8(segments[0]!)).toBeLessThanOrEqual(200);
      expect(segments[0]).toMatch(/~[0-9a-f]{8}(\.js)?$/);
      expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(segments[0]!)).toBe(false);
    }
  });

  it('does not keep an "extension" longer than 16 characters', () => {
    const { segments } = sanitizeSourcePath(`${'d'.repeat(250)}.${'e'.repeat(30)}`, FALLBACK);
    expect(segments[0]).toMatch(/^d+~[0-9a-f]{8}$/);
    expect(utf8(segments[0]!)).toBe(200);
  });
});

describe('sanitizeSourcePath: the scheme folder is a segment like any other', () => {
  // A scheme is any `[A-Za-z][A-Za-z0-9+.-]+`, chosen by whoever wrote the map. The scheme folder must obey the
  // same portability rules as every other segment.
  it('a reserved name used as a scheme is made portable (con:x)', () => {
    expect(sanitizeSourcePath('con:x', FALLBACK)).toEqual({ segments: ['con_', 'x'], notes: ['reserved-name', 'scheme'] });
  });

  it('a scheme ending with a dot is made portable (a.:x)', () => {
    expect(sanitizeSourcePath('a.:x', FALLBACK)).toEqual({ segments: ['a_', 'x'], notes: ['scheme', 'trailing-dot-or-space'] });
  });

  it('a scheme longer than 200 bytes is shortened', () => {
    const { segments } = sanitizeSourcePath(`${'s'.repeat(250)}:x.ts`, FALLBACK);
    expect(segments.every((s) => utf8(s) <= 200)).toBe(true);
  });
});

describe('sanitizeSourcePath: C1 control characters', () => {
  // U+0080..U+009F are control characters (Unicode category Cc) just as U+0000..U+001F are; U+009B is the
  // 8-bit CSI terminal escape, U+0085 a line break for many tools.
  it.each([
    ['U+0085', 'a\u0085b.ts'],
    ['U+009B', 'a\u009b31mb.ts'],
    ['U+0080', 'a\u0080.ts'],
  ])('replaces %s', (_label, input) => {
    const { segments, notes } = sanitizeSourcePath(input, FALLBACK);
    expect(/\p{Cc}/u.test(segments.join('/'))).toBe(false);
    expect(notes).toContain('invalid-characters');
  });
});

describe('collisionKey', () => {
  it('folds case segment by segment', () => {
    expect(collisionKey(['Src', 'A.TS'])).toBe('src/a.ts');
    expect(collisionKey(['src', 'a.ts'])).toBe(collisionKey(['SRC', 'A.ts']));
    expect(collisionKey(['a', 'b'])).not.toBe(collisionKey(['a', 'c']));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties.

const RESERVED = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const C0_CONTROL = /[\u0000-\u001f\u007f]/;
const FORBIDDEN = /[<>:"|?*/\\]/;
const ROOT = resolve('/fake/output/root');

/** Every rule a sanitised segment list must obey; returns the first broken one, or null. */
function problem(segments: readonly string[]): string | null {
  if (segments.length === 0) return 'no segments';
  for (const s of segments) {
    if (s === '') return 'empty segment';
    if (s === '.' || s === '..') return `dot segment ${JSON.stringify(s)}`;
    if (FORBIDDEN.test(s)) return `forbidden character in ${JSON.stringify(s)}`;
    if (C0_CONTROL.test(s)) return `control character in ${JSON.stringify(s)}`;
    if (utf8(s) > 200) return `segment of ${utf8(s)} bytes`;
    if (RESERVED.test(s)) return `reserved name ${JSON.stringify(s)}`;
    if (/[. ]$/.test(s)) return `trailing dot or space in ${JSON.stringify(s)}`;
  }
  const target = resolve(ROOT, ...segments);
  if (!target.startsWith(ROOT + sep)) return `resolves to ${target}`;
  // By segments: `..x` is a legitimate name inside the root, `..` or `../x` is not.
  const rel = relative(ROOT, target);
  if (rel === '' || rel.split(sep)[0] === '..' || isAbsolute(rel)) return `relative path ${rel}`;
  return null;
}

const NOTES: readonly PathNote[] = [
  'absolute',
  'decoded',
  'invalid-characters',
  'normalized',
  'parent-traversal',
  'reserved-name',
  'scheme',
  'too-long',
  'trailing-dot-or-space',
  'unnamed',
];

const safeSegment = fc.stringMatching(/^[a-z0-9_-]{1,12}$/).filter((s) => !RESERVED.test(s));
const safeBase = fc.oneof(
  fc.constant(''),
  fc.array(safeSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
  fc.array(safeSegment, { minLength: 1, maxLength: 3 }).map((s) => `${s.join('/')}.zip!/package`),
);

const TOKENS = [
  '..', '.', '/', '\\', '%2f', '%2F', '%2e', '%2E', '%5c', '%00', '%', '%25', '\uff0e', '\uff0f', '\uff3c', '\u0000', '\u0001',
  'C:', 'c:', '//', '\\\\', ':', '<', '>', '|', '?', '*', '"', ' ', '~', 'con', 'CON', 'nul', 'Aux', 'com1', 'LPT9',
  'COM\u00b9', '.ts', '.js', 'a', 'src', 'x', 'node_modules', '\u00e9', '\u0065\u0301', '\u{1f600}', '\ud800', 'webpack:',
  'file:', 'vite:', 'ng:', 'https:', 'x'.repeat(120), '\u20ac'.repeat(70),
];
const PREFIXES = [
  '', '', '', 'webpack://', 'webpack:///', 'webpack:///./', 'file://', 'file:///', 'vite:', 'vite:/', 'ng:///', 'C:', 'C:\\',
  '\\\\', '//', '/', '../', '..\\', '%2e%2e%2f', '\uff0e\uff0e\uff0f',
];
/** A scheme as RFC 3986 allows it, so not only the well-known ones. */
const anyScheme = fc.stringMatching(/^[A-Za-z][A-Za-z0-9+.-]{1,7}:$/);
const hostile = fc
  .tuple(fc.oneof(fc.constantFrom(...PREFIXES), anyScheme), fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })), { maxLength: 24 }))
  .map(([prefix, parts]) => prefix + parts.join(''));

const OPTIONS = { seed: 42, numRuns: 2000 } as const;

function checkAll(input: string | null, base: string): void {
  const result = sanitizeSourcePath(input, FALLBACK, base);
  const broken = problem(result.segments);
  if (broken !== null) throw new Error(`${JSON.stringify(input)} (base ${JSON.stringify(base)}) -> ${JSON.stringify(result.segments)}: ${broken}`);
  expect(result.notes).toEqual([...new Set(result.notes)].sort());
  for (const note of result.notes) expect(NOTES).toContain(note);
}

describe('sanitizeSourcePath: properties (seed 42)', () => {
  it('binary strings give safe, contained segments', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), safeBase, (input, base) => checkAll(input, base)), OPTIONS);
  });

  it('grapheme strings give safe, contained segments', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), safeBase, (input, base) => checkAll(input, base)), OPTIONS);
  });

  it('hostile mixes of traversal, separators, encodings, look-alikes, drives and schemes give safe, contained segments', () => {
    fc.assert(fc.property(hostile, safeBase, (input, base) => checkAll(input, base)), OPTIONS);
  });

  it('null and blank entries land under __unnamed__', () => {
    fc.assert(
      fc.property(fc.constantFrom(null, '', ' ', '\t', '\n \r'), safeBase, (input, base) => {
        const { segments, notes } = sanitizeSourcePath(input, FALLBACK, base);
        expect(segments).toEqual([UNNAMED, 'cli.js.map', 'source-3']);
        expect(notes).toEqual(['unnamed']);
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  it('safe relative paths are only joined to the base, with no notes', () => {
    fc.assert(
      fc.property(fc.array(safeSegment, { minLength: 1, maxLength: 6 }), safeBase, (parts, base) => {
        const result = sanitizeSourcePath(parts.join('/'), FALLBACK, base);
        expect(result.segments).toEqual([...(base === '' ? [] : base.split('/')), ...parts]);
        expect(result.notes).toEqual([]);
      }),
      OPTIONS,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), hostile), safeBase, (input, base) => {
        const a = sanitizeSourcePath(input, FALLBACK, base);
        const b = sanitizeSourcePath(input, FALLBACK, base);
        expect(b).toEqual(a);
        expect(b).not.toBe(a);
      }),
      OPTIONS,
    );
  });

  it('an entry that escapes is kept under __outside__ and noted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), safeBase, fc.array(safeSegment, { minLength: 1, maxLength: 3 }), (ups, base, rest) => {
        const depth = base === '' ? 0 : base.split('/').length;
        const { segments, notes } = sanitizeSourcePath(`${'../'.repeat(ups)}${rest.join('/')}`, FALLBACK, base);
        if (ups > depth) {
          expect(segments).toEqual([OUTSIDE, ...rest]);
          expect(notes).toEqual(['parent-traversal']);
        } else {
          expect(segments).toEqual([...base.split('/').slice(0, depth - ups), ...rest]);
          expect(notes).toEqual([]);
        }
      }),
      OPTIONS,
    );
  });
});

describe('sanitizeSourcePath: the shortcut for plain paths gives what the full rules give', () => {
  const PLAIN_TOKENS = ['..', '.', '/', '//', ' ', 'a', 'src', 'x.ts', 'node_modules', '@scope', 'pkg@1.2.3', 'con', 'CON.txt', 'nul', 'lpt1', 'Aux.js', 'com', 'x.', 'y ', '(a)', '[b]', '{c}', '$', '!', '#', '&', "'", ',', ';', '=', '~', '+', '-', '_', 'x'.repeat(199), 'y'.repeat(201)];
  const plain = fc.array(fc.constantFrom(...PLAIN_TOKENS), { maxLength: 12 }).map((parts) => parts.join(''));
  const hostileBase = fc.oneof(safeBase, plain, hostile);

  it('on paths made of plain tokens, against plain, safe and hostile bases (seed 42)', () => {
    fc.assert(
      fc.property(plain, hostileBase, (input, base) => {
        expect(sanitizeSourcePath(input, FALLBACK, base)).toStrictEqual(sanitizeFully(input, FALLBACK, base));
      }),
      OPTIONS,
    );
  });

  it.each([
    ['a/b/./c.ts', ''],
    ['../src/x.ts', 'package/dist'],
    ['../../../x.ts', 'package/dist'],
    ['src/con/x.ts', ''],
    ['src/x./y', ''],
    ['/abs/x.ts', ''],
    ['.', ''],
    ['   ', ''],
    [`${'z'.repeat(201)}/x`, ''],
  ])('%j under %j', (input, base) => {
    expect(sanitizeSourcePath(input, FALLBACK, base)).toStrictEqual(sanitizeFully(input, FALLBACK, base));
  });
});

describe('sanitizedPathText: the joined segments, with a shortcut of its own', () => {
  const PLAIN_TOKENS = ['..', '.', '/', '//', '../', ' ', 'a', 'src', 'x.ts', 'node_modules', '@scope', 'pkg@1.2.3', 'con', 'CON.txt', 'nul', 'lpt1', 'Aux.js', 'com', 'com9', 'x.', 'y ', '(a)', "'", '=', '~', 'x'.repeat(199), 'y'.repeat(201), '%2e', ':', '\\'];
  const plain = fc.array(fc.constantFrom(...PLAIN_TOKENS), { maxLength: 12 }).map((parts) => parts.join(''));
  const anyBase = fc.oneof(safeBase, plain, hostile);

  it('is sanitizeSourcePath joined, on plain, hostile and random paths under any base (seed 42)', () => {
    fc.assert(
      fc.property(fc.oneof(plain, hostile, fc.string()), anyBase, (input, base) => {
        expect(sanitizedPathText(input, FALLBACK, base)).toBe(sanitizeSourcePath(input, FALLBACK, base).segments.join('/'));
      }),
      { ...OPTIONS, numRuns: 5000 },
    );
  });

  it.each([
    ['../../node_modules/pkg/x.js', '', '__outside__/node_modules/pkg/x.js'],
    ['src/x.ts', 'package/dist', 'package/dist/src/x.ts'],
    ['../src/x.ts', 'package/dist', 'package/src/x.ts'],
    ['a/con/b.ts', '', 'a/con_/b.ts'],
    [null, '', `${UNNAMED}/cli.js.map/source-3`],
  ])('%j under %j is %j', (input, base, expected) => {
    expect(sanitizedPathText(input, FALLBACK, base)).toBe(expected);
  });
});
