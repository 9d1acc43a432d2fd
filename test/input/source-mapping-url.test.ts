import { describe, expect, it } from 'vitest';
import { extractSourceMappingUrl, matchSourceMappingUrl } from '../../src/input/source-mapping-url';
import type { CommentSyntax } from '../../src/input/source-mapping-url';
import { mulberry32 } from '../helpers/prng';
import { cat as concat } from '../helpers/bytes';

const encoder = new TextEncoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);


interface Row {
  name: string;
  text: string;
  expected: string | null;
}

// JavaScript: ECMA-426 JavaScriptExtractSourceMapURL, "without parsing".
const jsRows: Row[] = [
  { name: 'plain trailing comment', text: 'foo();\n//# sourceMappingURL=app.js.map', expected: 'app.js.map' },
  { name: 'plain trailing comment with final LF', text: 'foo();\n//# sourceMappingURL=app.js.map\n', expected: 'app.js.map' },
  { name: 'legacy //@ prefix', text: 'foo();\n//@ sourceMappingURL=old.map\n', expected: 'old.map' },
  { name: 'no space after #', text: 'foo();\n//#sourceMappingURL=a.map', expected: 'a.map' },
  { name: 'tab between # and keyword', text: '//#\tsourceMappingURL=a.map', expected: 'a.map' },
  { name: 'several spaces between # and keyword', text: '//#   sourceMappingURL=a.map', expected: 'a.map' },
  { name: 'white space around the comment and after the URL', text: 'foo();\n  \t//# sourceMappingURL=a.map \t  \n', expected: 'a.map' },
  { name: 'trailing blank and white-space-only lines', text: 'foo();\n//# sourceMappingURL=a.map\n\n\n   \n\t\n\n', expected: 'a.map' },
  { name: 'CRLF line endings', text: 'foo();\r\n//# sourceMappingURL=a.map\r\n\r\n', expected: 'a.map' },
  { name: 'CR-only line endings', text: 'foo();\r//# sourceMappingURL=a.map\r\r', expected: 'a.map' },
  { name: 'CR-only: code on the next CR line resets', text: '//# sourceMappingURL=a.map\rfoo();', expected: null },
  { name: 'U+2028 LINE SEPARATOR ends the line', text: 'foo();\u2028//# sourceMappingURL=a.map\u2028', expected: 'a.map' },
  { name: 'U+2029 PARAGRAPH SEPARATOR ends the line', text: 'foo();\u2029//# sourceMappingURL=a.map\u2029', expected: 'a.map' },
  { name: 'code after U+2028 resets', text: '//# sourceMappingURL=a.map\u2028foo();', expected: null },
  { name: 'code on a later line resets to null', text: '//# sourceMappingURL=a.map\nfoo();\n', expected: null },
  { name: 'later matching comment wins', text: '//# sourceMappingURL=first.map\n//# sourceMappingURL=second.map\n', expected: 'second.map' },
  { name: '//@ then //#: last wins', text: '//@ sourceMappingURL=a.map\n//# sourceMappingURL=b.map', expected: 'b.map' },
  { name: 'a later non-matching // comment does not reset', text: '//# sourceMappingURL=a.map\n// built by hand\n', expected: 'a.map' },
  { name: 'a later non-matching /* */ comment does not reset', text: '//# sourceMappingURL=a.map\n/* license */\n', expected: 'a.map' },
  { name: 'a later comment with a URL that has a space does not reset', text: '//# sourceMappingURL=a.map\n//# sourceMappingURL=b c\n', expected: 'a.map' },
  { name: '/*# */ block comment in JS', text: 'foo();\n/*# sourceMappingURL=a.map */', expected: 'a.map' },
  { name: '/*# */ block comment in JS, no space before */', text: 'foo();\n/*# sourceMappingURL=a.map*/', expected: 'a.map' },
  { name: '/*@ */ block comment in JS', text: '/*@ sourceMappingURL=a.map */\n', expected: 'a.map' },
  { name: 'code after a block comment on the same line resets', text: '/*# sourceMappingURL=a.map */ foo();', expected: null },
  { name: 'a block comment ends at its first */ (code after it resets)', text: '/*# sourceMappingURL=a.map */*/', expected: null },
  { name: 'two block comments on one line: last wins', text: '/*# sourceMappingURL=a.map */ /*# sourceMappingURL=b.map */', expected: 'b.map' },
  { name: 'block comment then // comment on one line: last wins', text: '/*# sourceMappingURL=a.map */ //# sourceMappingURL=b.map', expected: 'b.map' },
  { name: 'non-matching block comment before // comment on one line', text: '/* x */ //# sourceMappingURL=b.map', expected: 'b.map' },
  { name: 'empty block comment after the URL', text: '//# sourceMappingURL=a.map\n/**/', expected: 'a.map' },
  { name: 'unclosed /* on the last line (no effect)', text: '//# sourceMappingURL=a.map\n/* unclosed', expected: 'a.map' },
  { name: 'unclosed /* holding a URL does not count', text: 'foo();\n/*# sourceMappingURL=a.map', expected: null },
  { name: 'code before an unclosed /* on the same line resets', text: '//# sourceMappingURL=a.map\nfoo(); /* unclosed', expected: null },
  { name: 'code then comment on the same line: code resets, comment sets', text: 'foo(); //# sourceMappingURL=a.map', expected: 'a.map' },
  { name: 'division before comment on the same line', text: 'x = a / b //# sourceMappingURL=a.map', expected: 'a.map' },
  { name: 'URL followed by a space and more text does not match', text: '//# sourceMappingURL=a b', expected: null },
  { name: 'URL followed by */ inside a // comment does not match', text: '//# sourceMappingURL=a.map */', expected: null },
  { name: 'empty URL', text: 'foo();\n//# sourceMappingURL=', expected: '' },
  { name: 'empty URL with trailing spaces', text: '//# sourceMappingURL=   ', expected: '' },
  { name: 'space between // and # does not match', text: '// # sourceMappingURL=a.map', expected: null },
  { name: 'keyword is case-sensitive', text: '//# sourceMappingUrl=a.map', expected: null },
  { name: 'space before = does not match', text: '//# sourceMappingURL =a.map', expected: null },
  { name: 'U+00A0 NO-BREAK SPACE before the comment', text: 'foo();\n\u00a0//# sourceMappingURL=a.map', expected: 'a.map' },
  { name: 'U+FEFF (BOM) before the comment', text: '\ufeff//# sourceMappingURL=a.map', expected: 'a.map' },
  { name: 'U+3000 IDEOGRAPHIC SPACE before the comment', text: '\u3000//# sourceMappingURL=a.map', expected: 'a.map' },
  { name: 'U+1680, U+2000..U+200A, U+202F, U+205F on a later line are white space', text: '//# sourceMappingURL=a.map\n\u1680\u2000\u2005\u200a\u202f\u205f\v\f\n', expected: 'a.map' },
  { name: 'U+00A0 on a later line is white space', text: '//# sourceMappingURL=a.map\n\u00a0\n', expected: 'a.map' },
  { name: 'U+200B ZERO WIDTH SPACE on a later line is code (not WhiteSpace)', text: '//# sourceMappingURL=a.map\n\u200b\n', expected: null },
  { name: 'U+0085 NEXT LINE on a later line is code (neither WhiteSpace nor LineTerminator)', text: '//# sourceMappingURL=a.map\n\u0085\n', expected: null },
  { name: 'U+180E on a later line is code (not Zs)', text: '//# sourceMappingURL=a.map\n\u180e\n', expected: null },
  { name: 'non-ASCII code on a later line resets', text: '//# sourceMappingURL=a.map\né\n', expected: null },
  { name: 'a lone / on a later line is code', text: '//# sourceMappingURL=a.map\n/', expected: null },
  { name: 'a lone * on a later line is code', text: '//# sourceMappingURL=a.map\n*', expected: null },
  {
    name: 'string holding the comment in the middle of the file, then code',
    text: 'var s = "\\n//# sourceMappingURL=fake.map";\nfoo();\n',
    expected: null,
  },
  {
    // Without parsing, `"` is just code and `//` starts a comment: the spec's known false positive.
    name: 'string holding the comment on the last line: the quote is part of the URL',
    text: 'var s = "//# sourceMappingURL=fake.map";',
    expected: 'fake.map";',
  },
  {
    // A multi-line block comment after the URL: its body lines are seen as code (spec's without-parsing rule).
    name: 'multi-line block comment after the URL resets',
    text: '//# sourceMappingURL=a.map\n/*\n license\n*/\n',
    expected: null,
  },
  {
    name: 'data: URL',
    text: 'foo();\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,eyJ2ZXJzaW9uIjozfQ==\n',
    expected: 'data:application/json;charset=utf-8;base64,eyJ2ZXJzaW9uIjozfQ==',
  },
  { name: 'data: URL in a block comment', text: '/*# sourceMappingURL=data:application/json,%7B%7D */', expected: 'data:application/json,%7B%7D' },
  { name: 'URL with query and fragment kept verbatim', text: '//# sourceMappingURL=a.map?v=1#x', expected: 'a.map?v=1#x' },
  { name: 'non-ASCII URL decoded from UTF-8', text: '//# sourceMappingURL=carte-é€😀.map', expected: 'carte-é€😀.map' },
  { name: 'empty file', text: '', expected: null },
  { name: 'code only', text: 'foo();\n', expected: null },
  { name: 'white space only', text: ' \n\t\r\n', expected: null },
];

// CSS: only /* */ comments exist; `//` is code.
const cssRows: Row[] = [
  { name: 'CSS: /*# */ comment', text: 'a{color:red}\n/*# sourceMappingURL=app.css.map */\n', expected: 'app.css.map' },
  { name: 'CSS: /*@ */ comment', text: 'a{}\n/*@ sourceMappingURL=app.css.map */', expected: 'app.css.map' },
  { name: 'CSS: //# is code, not a comment', text: 'a{}\n//# sourceMappingURL=app.css.map\n', expected: null },
  { name: 'CSS: a // line after the URL is code', text: '/*# sourceMappingURL=a.map */\n// note\n', expected: null },
  { name: 'CSS: a later non-matching block comment does not reset', text: '/*# sourceMappingURL=a.map */\n/* end */\n', expected: 'a.map' },
  { name: 'CSS: rule after the comment resets', text: '/*# sourceMappingURL=a.map */\nb{}', expected: null },
  { name: 'CSS: CRLF and trailing blank lines', text: 'a{}\r\n/*# sourceMappingURL=a.map */\r\n\r\n', expected: 'a.map' },
  { name: 'CSS: unclosed block comment on the last line', text: '/*# sourceMappingURL=a.map */\n/* unclosed', expected: 'a.map' },
  // CSS Syntax 3 (consume comments / consume a token): `/` not followed by `*` is a lone delim token,
  // so in `//*…*/` the second `/` opens a comment.
  { name: 'CSS: a lone / delim directly before a block comment', text: 'a{}\n//*# sourceMappingURL=a.map */', expected: 'a.map' },
  // Same rule: the comment opened by the second `/` runs to the first `*/` after its own `/*`, so its text is
  // `/*# sourceMappingURL=a.map ` and does not match.
  { name: 'CSS: //*/*# … */ is one comment whose text starts with /*', text: 'a{}\n//*/*# sourceMappingURL=a.map */', expected: null },
  { name: 'CSS: a lone / delim then a space then a block comment', text: 'a{}\n/ /*# sourceMappingURL=a.map */', expected: 'a.map' },
];

describe('extractSourceMappingUrl', () => {
  it.each(jsRows)('js: $name', ({ text, expected }) => {
    expect(extractSourceMappingUrl(bytesOf(text), 'js')).toBe(expected);
  });

  it.each(cssRows)('$name', ({ text, expected }) => {
    expect(extractSourceMappingUrl(bytesOf(text), 'css')).toBe(expected);
  });

  it('has at least 30 rows', () => {
    expect(jsRows.length + cssRows.length).toBeGreaterThanOrEqual(30);
  });

  it('finds the comment after a 5 MB single-line bundle', () => {
    const bundle = 'var a=1;'.repeat((5 * 1024 * 1024) / 8);
    expect(bundle.length).toBe(5 * 1024 * 1024);
    const bytes = bytesOf(`${bundle}\n//# sourceMappingURL=bundle.js.map\n`);
    expect(extractSourceMappingUrl(bytes, 'js')).toBe('bundle.js.map');
  });

  it('finds the comment at the end of the 5 MB line itself', () => {
    const bundle = 'var a=1;'.repeat((5 * 1024 * 1024) / 8);
    expect(extractSourceMappingUrl(bytesOf(`${bundle}//# sourceMappingURL=bundle.js.map`), 'js')).toBe('bundle.js.map');
  });

  it('returns null for a 2 MB single line with no comment', () => {
    const bytes = bytesOf('x'.repeat(2 * 1024 * 1024));
    expect(extractSourceMappingUrl(bytes, 'js')).toBe(null);
    expect(extractSourceMappingUrl(bytes, 'css')).toBe(null);
  });

  it('returns null for a 2 MB line of code after a comment', () => {
    const bytes = bytesOf(`//# sourceMappingURL=a.map\n${'y'.repeat(2 * 1024 * 1024)}`);
    expect(extractSourceMappingUrl(bytes, 'js')).toBe(null);
  });

  it('treats an invalid UTF-8 byte after the comment as code', () => {
    const bytes = concat(bytesOf('//# sourceMappingURL=a.map\n'), new Uint8Array([0xff]));
    expect(extractSourceMappingUrl(bytes, 'js')).toBe(null);
  });

  it('reads a subarray view without looking outside it', () => {
    const whole = bytesOf('//# sourceMappingURL=a.map\nfoo();');
    const view = whole.subarray(0, '//# sourceMappingURL=a.map\n'.length);
    expect(extractSourceMappingUrl(view, 'js')).toBe('a.map');
    expect(extractSourceMappingUrl(whole, 'js')).toBe(null);
  });
});

// --- An independent transcription of the ECMA-426 "without parsing" algorithm, used as an oracle. ---
// Differences from the prose, following the spec's reference regular expression (JS_COMMENT) that the prose
// says it is equivalent to: a block comment ends at its first `*/`; an unclosed `/*` makes the rest of the
// line comment. For CSS the `//` branch is dropped and a `/` not followed by `*` is one code point of code.
const WHITE_SPACE = /^[\t\v\f\ufeff\p{Zs}]$/u;
const SPEC_PATTERN = /^[@#]\s*sourceMappingURL=(\S*?)\s*$/;

function specMatch(comment: string): string | null {
  const m = SPEC_PATTERN.exec(comment);
  return m === null ? null : m[1]!;
}

function referenceExtract(source: string, syntax: CommentSyntax): string | null {
  let lastURL: string | null = null;
  for (const lineStr of source.split(/\r\n|\n|\r|\u2028|\u2029/)) {
    const line = Array.from(lineStr);
    const length = line.length;
    let position = 0;
    while (position < length) {
      const first = line[position]!;
      position++;
      if (first === '/' && position < length) {
        const second = line[position]!;
        if (second === '/' && syntax === 'js') {
          const url = specMatch(line.slice(position + 1).join(''));
          if (url !== null) lastURL = url;
          position = length;
        } else if (second === '*') {
          position++;
          let comment = '';
          let closed = false;
          while (position + 1 < length) {
            const c1 = line[position]!;
            position++;
            if (c1 === '*' && line[position] === '/') {
              position++;
              const url = specMatch(comment);
              if (url !== null) lastURL = url;
              closed = true;
              break;
            }
            comment += c1;
          }
          if (!closed) position = length;
        } else {
          lastURL = null;
          if (syntax === 'js') position++;
        }
      } else if (!WHITE_SPACE.test(first)) {
        lastURL = null;
      }
    }
  }
  return lastURL;
}

const PIECES = [
  '//',
  '/*',
  '*/',
  '/',
  '*',
  '# sourceMappingURL=a.map',
  '@sourceMappingURL=b.map',
  '#sourceMappingURL=',
  'sourceMappingURL=c',
  ' ',
  '\t',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\u200b',
  'x',
  ';',
  '"',
  'é',
  '😀',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
];

const WHOLE_COMMENTS = [
  '//# sourceMappingURL=a.map',
  '//@ sourceMappingURL=b.map',
  '/*# sourceMappingURL=c.map */',
  '/*@sourceMappingURL=d.map*/',
  '//*# sourceMappingURL=e.map */',
];
const QUIET = [' ', '\t', '\u00a0', '\ufeff', '\n', '\r\n', '\r', '\u2028', '/* */', '// x'];

function randomSource(random: () => number): string {
  const pick = (list: readonly string[]): string => list[Math.floor(random() * list.length)]!;
  let text = '';
  // Some noise, then usually a candidate comment, then a short tail that is mostly white space and comments.
  for (let i = Math.floor(random() * 8); i > 0; i--) text += pick(PIECES);
  if (random() < 0.8) text += pick(WHOLE_COMMENTS);
  for (let i = Math.floor(random() * 5); i > 0; i--) text += random() < 0.7 ? pick(QUIET) : pick(PIECES);
  return text;
}

describe('extractSourceMappingUrl against a transcription of the spec algorithm', () => {
  for (const syntax of ['js', 'css'] as const) {
    it(`${syntax}: 5,000 seeded random sources agree`, () => {
      const random = mulberry32(syntax === 'js' ? 0x5eed : 0xc55);
      let found = 0;
      const mismatches: { source: string; expected: string | null; actual: string | null }[] = [];
      for (let i = 0; i < 5000; i++) {
        const source = randomSource(random);
        const expected = referenceExtract(source, syntax);
        const actual = extractSourceMappingUrl(bytesOf(source), syntax);
        if (expected !== null) found++;
        if (actual !== expected) mismatches.push({ source, expected, actual });
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      // The generator must exercise both outcomes, or the comparison proves little.
      expect(found).toBeGreaterThan(250);
      expect(found).toBeLessThan(4750);
    });
  }

  it('the oracle itself agrees with the hand-written rows', () => {
    for (const row of jsRows) expect([row.name, referenceExtract(row.text, 'js')]).toEqual([row.name, row.expected]);
    for (const row of cssRows) expect([row.name, referenceExtract(row.text, 'css')]).toEqual([row.name, row.expected]);
  });
});

describe('matchSourceMappingUrl', () => {
  const rows: { comment: string; expected: string | null }[] = [
    { comment: '# sourceMappingURL=a.map', expected: 'a.map' },
    { comment: '@ sourceMappingURL=a.map', expected: 'a.map' },
    { comment: '#sourceMappingURL=a.map', expected: 'a.map' },
    { comment: '#\t\u00a0\u3000sourceMappingURL=a.map', expected: 'a.map' },
    { comment: '# sourceMappingURL=a.map ', expected: 'a.map' },
    { comment: '# sourceMappingURL=a.map \t\u00a0\ufeff\u2028', expected: 'a.map' },
    { comment: '# sourceMappingURL=', expected: '' },
    { comment: '# sourceMappingURL=  ', expected: '' },
    { comment: '# sourceMappingURL=a b', expected: null },
    { comment: '# sourceMappingURL=a.map */', expected: null },
    { comment: ' # sourceMappingURL=a.map', expected: null },
    { comment: '', expected: null },
    { comment: '#', expected: null },
    { comment: '# sourceMappingURL', expected: null },
    { comment: '# sourceMappingUrl=a.map', expected: null },
    { comment: '$ sourceMappingURL=a.map', expected: null },
    { comment: '# sourceMappingURL = a.map', expected: null },
    { comment: '# sourceURL=a.js', expected: null },
    { comment: '# sourceMappingURL=a=b=c', expected: 'a=b=c' },
    { comment: '# sourceMappingURL=a\u0085b', expected: 'a\u0085b' },
    { comment: '# sourceMappingURL=a\u200bb', expected: 'a\u200bb' },
    { comment: '# sourceMappingURL=😀', expected: '😀' },
    { comment: '# sourceMappingURL=data:application/json;base64,e30=', expected: 'data:application/json;base64,e30=' },
    { comment: '#\nsourceMappingURL=a\n', expected: 'a' },
  ];

  it.each(rows)('$comment -> $expected', ({ comment, expected }) => {
    expect(matchSourceMappingUrl(comment)).toBe(expected);
  });

  it('agrees with the spec regular expression on 5,000 seeded random comments', () => {
    const pieces = ['#', '@', ' ', '\t', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u0085', '\u180e', '\u200b', '\v',
      'sourceMappingURL=', 'sourceMappingURL', 'x', 'a.map', '=', '😀', '\ud800', '*/'];
    const random = mulberry32(42);
    const somePieces = (max: number): string => {
      let text = '';
      const count = Math.floor(random() * (max + 1));
      for (let j = 0; j < count; j++) text += pieces[Math.floor(random() * pieces.length)]!;
      return text;
    };
    let matched = 0;
    const mismatches: { comment: string; expected: string | null; actual: string | null }[] = [];
    for (let i = 0; i < 5000; i++) {
      let comment = random() < 0.8 ? (random() < 0.5 ? '#' : '@') : '';
      comment += somePieces(3);
      if (random() < 0.7) comment += 'sourceMappingURL=';
      comment += somePieces(4);
      const expected = specMatch(comment);
      const actual = matchSourceMappingUrl(comment);
      if (expected !== null) matched++;
      if (actual !== expected) mismatches.push({ comment, expected, actual });
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(matched).toBeGreaterThan(500);
    expect(matched).toBeLessThan(4500);
  });
});
