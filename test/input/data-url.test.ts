import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeDataUrl, percentDecode } from '../../src/input/data-url';
import { mulberry32 } from '../helpers/prng';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);
const base64Of = (text: string): string => Buffer.from(text, 'utf8').toString('base64');


const JSON_TEXT = '{"version":3,"sources":["a.ts"],"mappings":""}';
const MULTIBYTE = '{"sourcesContent":["é € 😀 日本語 \\u0000"]}';

describe('decodeDataUrl: decodes', () => {
  const rows: { name: string; url: string; text: string; mediaType: string }[] = [
    { name: 'base64 with padding', url: 'data:application/json;base64,eyJhIjoxfQ==', text: '{"a":1}', mediaType: 'application/json' },
    { name: 'base64 without padding', url: 'data:application/json;base64,eyJhIjoxfQ', text: '{"a":1}', mediaType: 'application/json' },
    { name: 'base64 with one = of padding', url: 'data:application/json;base64,eyJhIjoxMH0=', text: '{"a":10}', mediaType: 'application/json' },
    { name: 'base64 needing no padding', url: 'data:application/json;base64,eyJhIjoxMDB9', text: '{"a":100}', mediaType: 'application/json' },
    {
      name: 'base64 with charset=utf-8',
      url: `data:application/json;charset=utf-8;base64,${base64Of(JSON_TEXT)}`,
      text: JSON_TEXT,
      mediaType: 'application/json;charset=utf-8',
    },
    {
      name: 'base64 with charset=UTF-8 and upper-case BASE64',
      url: `data:application/json;charset=UTF-8;BASE64,${base64Of(JSON_TEXT)}`,
      text: JSON_TEXT,
      mediaType: 'application/json;charset=UTF-8',
    },
    { name: 'upper-case DATA: scheme', url: `DATA:application/json;base64,${base64Of(JSON_TEXT)}`, text: JSON_TEXT, mediaType: 'application/json' },
    { name: 'mixed-case Data: scheme', url: `Data:application/json;base64,${base64Of(JSON_TEXT)}`, text: JSON_TEXT, mediaType: 'application/json' },
    { name: 'percent-encoded, not base64', url: 'data:application/json,%7B%22a%22%3A1%7D', text: '{"a":1}', mediaType: 'application/json' },
    { name: 'plain text body, not base64', url: 'data:application/json,{"a":1}', text: '{"a":1}', mediaType: 'application/json' },
    { name: 'charset but not base64', url: 'data:application/json;charset=utf-8,%7B%7D', text: '{}', mediaType: 'application/json;charset=utf-8' },
    { name: 'empty media type, base64', url: 'data:;base64,eyJhIjoxfQ==', text: '{"a":1}', mediaType: '' },
    { name: 'empty media type and body', url: 'data:,', text: '', mediaType: '' },
    { name: 'empty base64 body', url: 'data:application/json;base64,', text: '', mediaType: 'application/json' },
    { name: 'base64 not last parameter means not base64', url: 'data:application/json;base64;charset=utf-8,eyJ9', text: 'eyJ9', mediaType: 'application/json;base64;charset=utf-8' },
    { name: '"base64" without a ; is a media type', url: 'data:base64,eyJ9', text: 'eyJ9', mediaType: 'base64' },
    { name: 'base64 parameter with spaces around it', url: 'data:application/json; base64 ,eyJhIjoxfQ==', text: '{"a":1}', mediaType: 'application/json' },
    { name: 'percent-encoding inside a base64 body is decoded first', url: 'data:;base64,eyJh%49joxfQ%3D%3D', text: '{"a":1}', mediaType: '' },
    { name: 'ASCII white space inside a base64 body is skipped', url: 'data:;base64,eyJh Ijox\tfQ\n==', text: '{"a":1}', mediaType: '' },
    { name: 'URL-safe digits - and _', url: 'data:;base64,--__', text: decoder.decode(new Uint8Array([0xfb, 0xef, 0xff])), mediaType: '' },
    { name: 'commas after the first belong to the body', url: 'data:text/plain,a,b,c', text: 'a,b,c', mediaType: 'text/plain' },
    { name: 'UTF-8 multibyte content, base64', url: `data:application/json;base64,${base64Of(MULTIBYTE)}`, text: MULTIBYTE, mediaType: 'application/json' },
    {
      name: 'UTF-8 multibyte content, percent-encoded',
      url: `data:application/json,${encodeURIComponent(MULTIBYTE)}`,
      text: MULTIBYTE,
      mediaType: 'application/json',
    },
    { name: 'UTF-8 multibyte content, raw (not encoded)', url: `data:application/json,${MULTIBYTE}`, text: MULTIBYTE, mediaType: 'application/json' },
  ];

  it.each(rows)('$name', ({ url, text, mediaType }) => {
    const result = decodeDataUrl(url);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(decoder.decode(result.bytes)).toBe(text);
    expect(result.mediaType).toBe(mediaType);
  });

  it('URL-safe digits give the same bytes as + and /', () => {
    const result = decodeDataUrl('data:;base64,--__');
    expect(result).toEqual({ ok: true, bytes: new Uint8Array([0xfb, 0xef, 0xff]), mediaType: '' });
    expect(decodeDataUrl('data:;base64,++//')).toEqual(result);
  });

  it('keeps every byte of a UTF-8 multibyte round trip', () => {
    const original = bytesOf(MULTIBYTE);
    const result = decodeDataUrl(`data:application/json;base64,${Buffer.from(original).toString('base64')}`);
    expect(result).toEqual({ ok: true, bytes: original, mediaType: 'application/json' });
  });

  it('decodes binary (non-UTF-8) bytes exactly', () => {
    const result = decodeDataUrl('data:application/octet-stream;base64,AP+A/w==');
    expect(result).toEqual({ ok: true, bytes: new Uint8Array([0x00, 0xff, 0x80, 0xff]), mediaType: 'application/octet-stream' });
  });
});

describe('decodeDataUrl: errors', () => {
  const rows: { name: string; url: string; reason: string }[] = [
    { name: 'missing comma', url: 'data:application/json;base64', reason: 'no "," between the media type and the data' },
    { name: 'missing comma, no media type', url: 'data:', reason: 'no "," between the media type and the data' },
    { name: 'not a data: URL', url: 'https://x/a.map', reason: 'not a data: URL' },
    { name: 'data without colon', url: 'data,abc', reason: 'not a data: URL' },
    { name: 'empty string', url: '', reason: 'not a data: URL' },
    { name: 'bad base64 character !', url: 'data:application/json;base64,eyJh!joxfQ==', reason: 'the base64 data is malformed' },
    { name: 'bad base64 character . ', url: 'data:;base64,ab.d', reason: 'the base64 data is malformed' },
    { name: 'non-ASCII character in base64', url: 'data:;base64,abcé', reason: 'the base64 data is malformed' },
    { name: 'base64 length % 4 == 1', url: 'data:application/json;base64,eyJhI', reason: 'the base64 data is malformed' },
    { name: 'single base64 digit', url: 'data:;base64,e', reason: 'the base64 data is malformed' },
    { name: 'digit after padding', url: 'data:;base64,YQ==YQ==', reason: 'the base64 data is malformed' },
    { name: '= in the middle', url: 'data:;base64,Y=Q=', reason: 'the base64 data is malformed' },
    { name: 'three = of padding', url: 'data:;base64,YQ===', reason: 'the base64 data is malformed' },
    { name: 'percent-encoded bad character', url: 'data:;base64,eyJh%21joxfQ==', reason: 'the base64 data is malformed' },
  ];

  it.each(rows)('$name', ({ url, reason }) => {
    expect(decodeDataUrl(url)).toEqual({ ok: false, reason });
  });
});

describe('percentDecode', () => {
  const rows: { name: string; input: string; bytes: number[] }[] = [
    { name: 'no percent', input: 'abc', bytes: [0x61, 0x62, 0x63] },
    { name: 'empty', input: '', bytes: [] },
    { name: '%41 -> A', input: '%41', bytes: [0x41] },
    { name: 'lower-case hex', input: '%7b%7D', bytes: [0x7b, 0x7d] },
    { name: 'stray % alone', input: '%', bytes: [0x25] },
    { name: 'stray % at the end', input: 'a%', bytes: [0x61, 0x25] },
    { name: '% with one hex digit at the end', input: 'a%4', bytes: [0x61, 0x25, 0x34] },
    { name: '%zz stays', input: '%zz', bytes: [0x25, 0x7a, 0x7a] },
    { name: '%4g stays', input: '%4g', bytes: [0x25, 0x34, 0x67] },
    { name: '%g4 stays', input: '%g4', bytes: [0x25, 0x67, 0x34] },
    { name: '%% then %41', input: '%%41', bytes: [0x25, 0x41] },
    { name: '%2541 decodes once', input: '%2541', bytes: [0x25, 0x34, 0x31] },
    { name: 'several escapes', input: 'a%41%42c', bytes: [0x61, 0x41, 0x42, 0x63] },
    { name: 'escape at the very end', input: 'ab%41', bytes: [0x61, 0x62, 0x41] },
    { name: '%00', input: '%00', bytes: [0x00] },
    { name: '%FF (not valid UTF-8, kept as a byte)', input: '%FF', bytes: [0xff] },
    { name: 'escaped UTF-8 euro', input: '%E2%82%AC', bytes: [0xe2, 0x82, 0xac] },
    { name: 'raw non-ASCII is UTF-8 encoded', input: 'é', bytes: [0xc3, 0xa9] },
    { name: 'raw non-ASCII then an escape', input: 'é%41', bytes: [0xc3, 0xa9, 0x41] },
    { name: '% before a multibyte character stays', input: '%é', bytes: [0x25, 0xc3, 0xa9] },
  ];

  it.each(rows)('$name', ({ input, bytes }) => {
    expect(Array.from(percentDecode(input))).toEqual(bytes);
  });
});

describe('decodeBase64', () => {
  const rows: { name: string; input: string; bytes: number[] | null }[] = [
    { name: 'empty', input: '', bytes: [] },
    { name: 'YQ== -> a', input: 'YQ==', bytes: [0x61] },
    { name: 'YQ -> a', input: 'YQ', bytes: [0x61] },
    { name: 'YWI= -> ab', input: 'YWI=', bytes: [0x61, 0x62] },
    { name: 'YWJj -> abc', input: 'YWJj', bytes: [0x61, 0x62, 0x63] },
    { name: 'non-zero trailing bits are dropped', input: 'YR==', bytes: [0x61] },
    { name: 'white space anywhere', input: ' Y W\nJ\tj\r\f', bytes: [0x61, 0x62, 0x63] },
    { name: 'white space after padding', input: 'YQ== ', bytes: [0x61] },
    { name: 'only padding', input: '==', bytes: [] },
    // Lenient where WHATWG forgiving-base64 is strict (it rejects any `=` unless the length is a multiple of 4).
    { name: 'lenient: one = where two are due', input: 'YQ=', bytes: [0x61] },
    { name: 'lenient: two = where one is due', input: 'YWI==', bytes: [0x61, 0x62] },
    { name: 'length % 4 == 1', input: 'YWJjZ', bytes: null },
    { name: 'bad character', input: 'YW*j', bytes: null },
    { name: 'vertical tab is not skipped', input: 'YQ\v==', bytes: null },
    { name: 'three padding characters', input: 'YQ===', bytes: null },
    { name: 'digit after padding', input: 'YQ=a', bytes: null },
  ];

  it.each(rows)('$name', ({ input, bytes }) => {
    const out = decodeBase64(bytesOf(input));
    expect(out === null ? null : Array.from(out)).toEqual(bytes);
  });

  it('agrees with Buffer.from(x, "base64") on 200 seeded random byte arrays', () => {
    const random = mulberry32(0xdecade);
    let compared = 0;
    for (let i = 0; i < 200; i++) {
      const length = Math.floor(random() * 301);
      const original = new Uint8Array(length);
      for (let j = 0; j < length; j++) original[j] = Math.floor(random() * 256);
      const padded = Buffer.from(original).toString('base64');
      const unpadded = padded.replace(/=+$/, '');
      const urlSafe = Buffer.from(original).toString('base64url');
      for (const text of [padded, unpadded, urlSafe]) {
        const expected = Buffer.from(text, text === urlSafe ? 'base64url' : 'base64');
        expect(Array.from(expected)).toEqual(Array.from(original));
        const out = decodeBase64(bytesOf(text));
        expect(out === null ? null : Array.from(out)).toEqual(Array.from(expected));
        compared++;
      }
    }
    expect(compared).toBe(600);
  });
});
