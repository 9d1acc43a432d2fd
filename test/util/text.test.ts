import { describe, expect, it } from 'vitest';
import { countLines, utf8Decoder, utf8Encoder, utf8Length, utf8LengthPortable } from '../../src/util/text';
import { mulberry32 } from '../helpers/prng';


describe('countLines', () => {
  const rows: { name: string; text: string; expected: number }[] = [
    { name: 'empty', text: '', expected: 0 },
    { name: 'one char', text: 'a', expected: 1 },
    { name: 'one line with LF', text: 'a\n', expected: 1 },
    { name: 'two lines, no final LF', text: 'a\nb', expected: 2 },
    { name: 'two lines with final LF', text: 'a\nb\n', expected: 2 },
    { name: 'lone LF', text: '\n', expected: 1 },
    { name: 'two LFs', text: '\n\n', expected: 2 },
    { name: 'LF then text', text: '\na', expected: 2 },
    { name: 'CRLF between lines', text: 'a\r\nb', expected: 2 },
    { name: 'CRLF at the end', text: 'a\r\n', expected: 1 },
    { name: 'CR is not a break', text: 'a\r', expected: 1 },
    { name: 'CR in the middle is not a break', text: 'a\rb', expected: 1 },
    { name: 'lone CRLF', text: '\r\n', expected: 1 },
    { name: 'lone CR', text: '\r', expected: 1 },
    { name: 'U+2028 is not a break', text: 'a\u2028b', expected: 1 },
    { name: 'U+2029 is not a break', text: 'a\u2029b', expected: 1 },
    { name: 'vertical tab and form feed are not breaks', text: 'a\v\fb', expected: 1 },
    { name: 'white space only', text: '   ', expected: 1 },
    { name: 'non-ASCII and surrogate pairs', text: 'é\n😀\n日本', expected: 3 },
    { name: 'text ending with CR after LF', text: 'a\n\r', expected: 2 },
  ];

  it.each(rows)('$name', ({ text, expected }) => {
    expect(countLines(text)).toBe(expected);
  });

  it('counts a 100,000-line string ending with LF', () => {
    expect(countLines('line of text;\n'.repeat(100_000))).toBe(100_000);
  });

  it('counts a 100,000-line string without a final LF', () => {
    expect(countLines(`${'x\n'.repeat(99_999)}x`)).toBe(100_000);
  });

  it('counts 100,000 empty lines', () => {
    expect(countLines('\n'.repeat(100_000))).toBe(100_000);
  });

  it('counts 100,000 CRLF lines as 100,000', () => {
    expect(countLines('x\r\n'.repeat(100_000))).toBe(100_000);
  });
});

describe('utf8Length and utf8LengthPortable', () => {
  const rows: { name: string; text: string; expected: number }[] = [
    { name: 'empty', text: '', expected: 0 },
    { name: 'ASCII', text: 'hello, world', expected: 12 },
    { name: 'NUL and DEL', text: '\u0000\u007f', expected: 2 },
    { name: '2-byte U+0080', text: '\u0080', expected: 2 },
    { name: '2-byte é', text: 'é', expected: 2 },
    { name: '2-byte U+07FF', text: '\u07ff', expected: 2 },
    { name: '3-byte U+0800', text: '\u0800', expected: 3 },
    { name: '3-byte €', text: '€', expected: 3 },
    { name: '3-byte 日本語', text: '日本語', expected: 9 },
    { name: '3-byte U+FFFF', text: '\uffff', expected: 3 },
    { name: '3-byte U+FEFF', text: '\ufeff', expected: 3 },
    { name: '3-byte U+E000 (private use, just above the surrogates)', text: '\ue000', expected: 3 },
    { name: '3-byte U+D7FF (just below the surrogates)', text: '\ud7ff', expected: 3 },
    { name: '4-byte U+10000', text: '\u{10000}', expected: 4 },
    { name: '4-byte U+10FFFF', text: '\u{10ffff}', expected: 4 },
    { name: 'emoji surrogate pair', text: '😀', expected: 4 },
    { name: 'two emoji', text: '😀🎉', expected: 8 },
    { name: 'emoji ZWJ sequence', text: '👩\u200d💻', expected: 11 },
    { name: 'lone high surrogate', text: '\ud800', expected: 3 },
    { name: 'lone high surrogate U+DBFF', text: '\udbff', expected: 3 },
    { name: 'lone low surrogate', text: '\udc00', expected: 3 },
    { name: 'lone low surrogate U+DFFF', text: '\udfff', expected: 3 },
    { name: 'high surrogate then ASCII', text: '\ud800a', expected: 4 },
    { name: 'ASCII then low surrogate', text: 'a\udc00', expected: 4 },
    { name: 'low then high (reversed pair)', text: '\udc00\ud800', expected: 6 },
    { name: 'two high surrogates then a low', text: '\ud800\ud800\udc00', expected: 7 },
    { name: 'high surrogate then a 3-byte char', text: '\ud800€', expected: 6 },
    { name: 'mixed', text: 'aé€😀', expected: 10 },
  ];

  it.each(rows)('utf8Length: $name', ({ text, expected }) => {
    expect(utf8Length(text)).toBe(expected);
    expect(Buffer.byteLength(text, 'utf8')).toBe(expected);
  });

  it.each(rows)('utf8LengthPortable: $name', ({ text, expected }) => {
    expect(utf8LengthPortable(text)).toBe(expected);
  });

  it('both agree with Buffer.byteLength on 500 seeded random strings with surrogates', () => {
    const random = mulberry32(0xbeef);
    const ranges: [number, number][] = [
      [0x00, 0x7f],
      [0x80, 0x7ff],
      [0x800, 0xd7ff],
      [0xd800, 0xdbff], // high surrogates, alone or paired by chance
      [0xdc00, 0xdfff], // low surrogates
      [0xe000, 0xffff],
    ];
    let lonely = 0;
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 64);
      const units: number[] = [];
      for (let j = 0; j < length; j++) {
        if (random() < 0.15) {
          // A well-formed astral character.
          const cp = 0x10000 + Math.floor(random() * 0x100000);
          units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
          continue;
        }
        const [lo, hi] = ranges[Math.floor(random() * ranges.length)]!;
        units.push(lo + Math.floor(random() * (hi - lo + 1)));
      }
      const text = String.fromCharCode(...units);
      if (/\p{Cs}/u.test(text)) lonely++; // a lone surrogate
      const expected = Buffer.byteLength(text, 'utf8');
      expect([text, utf8Length(text)]).toEqual([text, expected]);
      expect([text, utf8LengthPortable(text)]).toEqual([text, expected]);
      // Lone surrogates count like U+FFFD, i.e. like the bytes TextEncoder writes.
      expect(utf8Encoder.encode(text).length).toBe(expected);
    }
    expect(lonely).toBeGreaterThan(100);
  });
});

describe('shared decoder and encoder', () => {
  it('the decoder replaces invalid UTF-8 with U+FFFD instead of throwing', () => {
    expect(utf8Decoder.decode(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });

  it('the decoder keeps a leading BOM (ignoreBOM)', () => {
    expect(utf8Decoder.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('\ufeffa');
  });

  it('the encoder writes UTF-8', () => {
    expect(Array.from(utf8Encoder.encode('é'))).toEqual([0xc3, 0xa9]);
  });
});
