import { describe, expect, it } from 'vitest';
import { resolveMapUrl } from '../../src/input/resolve';
import { createMemoryVfs, normalizePath } from '../../src/input/vfs';
import type { MapReference } from '../../src/input/resolve';

const local = (path: string): MapReference => ({ kind: 'local', path });
const inline: MapReference = { kind: 'inline' };
const remote: MapReference = { kind: 'remote' };
const outside: MapReference = { kind: 'outside' };

describe('resolveMapUrl', () => {
  const rows: { name: string; url: string; from: string; expected: MapReference }[] = [
    // Local: inside the target.
    { name: 'sibling map', url: 'app.js.map', from: 'dist/app.js', expected: local('dist/app.js.map') },
    { name: 'sibling map of a top-level file', url: 'app.js.map', from: 'app.js', expected: local('app.js.map') },
    { name: '../maps from a nested file', url: '../maps/x.map', from: 'dist/js/app.js', expected: local('dist/maps/x.map') },
    { name: 'query stripped', url: 'app.js.map?v=123', from: 'dist/app.js', expected: local('dist/app.js.map') },
    { name: 'fragment stripped', url: 'app.js.map#section', from: 'dist/app.js', expected: local('dist/app.js.map') },
    { name: 'query and fragment stripped', url: 'app.js.map?v=1#x', from: 'dist/app.js', expected: local('dist/app.js.map') },
    { name: 'fragment holding a ? stripped', url: 'app.js.map#a?b', from: 'dist/app.js', expected: local('dist/app.js.map') },
    { name: 'percent-encoded space', url: 'a%20b.map', from: 'dist/app.js', expected: local('dist/a b.map') },
    { name: 'percent-encoded UTF-8', url: 'carte-%C3%A9.map', from: 'app.js', expected: local('carte-é.map') },
    { name: 'raw non-ASCII name', url: 'carte-é.map', from: 'app.js', expected: local('carte-é.map') },
    { name: './ prefix', url: './x.map', from: 'dist/a.js', expected: local('dist/x.map') },
    { name: './ prefix at top level', url: './x.map', from: 'a.js', expected: local('x.map') },
    { name: 'a/../b.map', url: 'a/../b.map', from: 'x.js', expected: local('b.map') },
    { name: '.. that stays inside', url: 'lib/../x.map', from: 'dist/a.js', expected: local('dist/x.map') },
    { name: '.. back to the root exactly', url: '../x.map', from: 'dist/a.js', expected: local('x.map') },
    { name: 'subdirectory', url: 'maps/app.js.map', from: 'dist/app.js', expected: local('dist/maps/app.js.map') },
    { name: 'doubled slashes collapse', url: 'maps//app.js.map', from: 'dist/app.js', expected: local('dist/maps/app.js.map') },
    { name: 'backslashes fold to / (inside)', url: 'maps\\app.js.map', from: 'dist/app.js', expected: local('dist/maps/app.js.map') },
    { name: '..\\ that stays inside', url: '..\\x.map', from: 'a/b.js', expected: local('x.map') },
    // A URL that is only a query or a fragment is a same-document reference (RFC 3986 §5.2.2, WHATWG URL):
    // it resolves to the generated file itself.
    { name: 'query-only URL resolves to the generated file', url: '?v=1', from: 'dist/app.js', expected: local('dist/app.js') },
    { name: 'fragment-only URL resolves to the generated file', url: '#x', from: 'dist/app.js', expected: local('dist/app.js') },
    { name: 'query-only URL at top level resolves to the generated file', url: '?v=1', from: 'app.js', expected: local('app.js') },

    // Inline.
    { name: 'data: URL', url: 'data:application/json;base64,e30=', from: 'dist/app.js', expected: inline },
    { name: 'DATA: upper case', url: 'DATA:application/json,{}', from: 'dist/app.js', expected: inline },
    { name: 'broken data: URL is still inline', url: 'data:nocomma', from: 'app.js', expected: inline },

    // Remote: listed, never read.
    { name: 'https://', url: 'https://cdn.example.com/app.js.map', from: 'dist/app.js', expected: remote },
    { name: 'http://', url: 'http://cdn.example.com/app.js.map', from: 'dist/app.js', expected: remote },
    { name: 'HTTPS:// upper case', url: 'HTTPS://cdn.example.com/app.js.map', from: 'dist/app.js', expected: remote },
    { name: 'file:///', url: 'file:///etc/app.js.map', from: 'dist/app.js', expected: remote },
    { name: 'protocol-relative //cdn', url: '//cdn/x.map', from: 'dist/app.js', expected: remote },
    { name: 'webpack://', url: 'webpack://x', from: 'dist/app.js', expected: remote },
    { name: 'scheme with + . -', url: 'a+b.c-d:x.map', from: 'dist/app.js', expected: remote },

    // Outside: reported, never read.
    { name: '../../../../etc/passwd', url: '../../../../etc/passwd', from: 'a.js', expected: outside },
    { name: '../ from a top-level file', url: '../x.map', from: 'a.js', expected: outside },
    { name: 'one .. too many from a nested file', url: '../../x.map', from: 'dist/a.js', expected: outside },
    { name: '..%2f..%2fetc%2fpasswd', url: '..%2f..%2fetc%2fpasswd', from: 'a.js', expected: outside },
    { name: '..%2F upper-case escape from a nested file', url: '..%2F..%2Fx.map', from: 'dist/a.js', expected: outside },
    { name: '%2e%2e/ escaped dots', url: '%2e%2e/x.map', from: 'a.js', expected: outside },
    { name: '..\\..\\x.map', url: '..\\..\\x.map', from: 'a.js', expected: outside },
    { name: '..%5c escaped backslash', url: '..%5cx.map', from: 'a.js', expected: outside },
    { name: '/etc/passwd', url: '/etc/passwd', from: 'dist/app.js', expected: outside },
    { name: '%2fetc%2fpasswd escaped leading slash', url: '%2fetc%2fpasswd', from: 'dist/app.js', expected: outside },
    { name: '\\etc\\passwd', url: '\\etc\\passwd', from: 'dist/app.js', expected: outside },
    { name: '\\\\server\\share UNC', url: '\\\\server\\share\\x.map', from: 'dist/app.js', expected: outside },
    { name: 'C:\\x.map', url: 'C:\\x.map', from: 'dist/app.js', expected: outside },
    { name: 'C:/x.map', url: 'C:/x.map', from: 'dist/app.js', expected: outside },
    { name: 'c:x.map: one letter then : reads as a drive, not a scheme', url: 'c:x.map', from: 'dist/app.js', expected: outside },
    { name: 'two letters then : reads as a scheme', url: 'ab:x.map', from: 'dist/app.js', expected: remote },
    { name: 'NUL byte %00', url: 'x.map%00.js', from: 'dist/app.js', expected: outside },
    { name: 'raw NUL byte', url: 'x.map\0', from: 'dist/app.js', expected: outside },
    { name: 'query cannot hide an escape from containment', url: '../../x.map?a=b', from: 'dist/a.js', expected: outside },
  ];

  it.each(rows)('$name: $url from $from', ({ url, from, expected }) => {
    expect(resolveMapUrl(url, from)).toEqual(expected);
  });
});

describe('normalizePath', () => {
  const rows: { input: string; expected: string | null }[] = [
    { input: '', expected: '' },
    { input: 'a', expected: 'a' },
    { input: 'a/b/c.js', expected: 'a/b/c.js' },
    { input: './a', expected: 'a' },
    { input: 'a/./b', expected: 'a/b' },
    { input: 'a//b', expected: 'a/b' },
    { input: 'a/b/', expected: 'a/b' },
    { input: '/a/b', expected: 'a/b' },
    { input: 'a/../b', expected: 'b' },
    { input: 'a/b/../../c', expected: 'c' },
    { input: 'a/..', expected: '' },
    { input: '.', expected: '' },
    { input: '..', expected: null },
    { input: '../a', expected: null },
    { input: 'a/../..', expected: null },
    { input: 'a/../../b', expected: null },
    { input: 'a\\b\\c.js', expected: 'a/b/c.js' },
    { input: 'a\\..\\..\\b', expected: null },
    { input: '...', expected: '...' },
    { input: '..a/b..', expected: '..a/b..' },
    { input: 'a/ /b', expected: 'a/ /b' },
  ];

  it.each(rows)('$input -> $expected', ({ input, expected }) => {
    expect(normalizePath(input)).toBe(expected);
  });
});

describe('createMemoryVfs', () => {
  const decoder = new TextDecoder();

  it('lists normalised names, sorted by UTF-16 code unit', () => {
    const names = ['b.js', 'B.js', 'a/b.js', 'a-b.js', 'a.b.js', 'Z.js', 'é.js', '\uffff.js', '😀.js', './c.js', 'd//e.js'];
    const vfs = createMemoryVfs(names.map((name) => ({ name, data: name })));
    // Code-unit order: '-' (2D) < '.' (2E) < '/' (2F); upper case before lower case; a surrogate pair (D83D)
    // sorts before U+FFFF, unlike code-point or locale order.
    expect(vfs.list()).toEqual(['B.js', 'Z.js', 'a-b.js', 'a.b.js', 'a/b.js', 'b.js', 'c.js', 'd/e.js', 'é.js', '😀.js', '\uffff.js']);
  });

  it('lets a later duplicate win, also across separators and ./ prefixes', () => {
    const vfs = createMemoryVfs([
      { name: 'dist/app.js', data: 'first' },
      { name: 'dist\\app.js', data: 'second' },
      { name: './dist/app.js', data: 'third' },
      { name: 'other.js', data: 'x' },
    ]);
    expect(vfs.list()).toEqual(['dist/app.js', 'other.js']);
    expect(decoder.decode(vfs.read('dist/app.js'))).toBe('third');
  });

  it('normalises backslash names', () => {
    const vfs = createMemoryVfs([{ name: 'dist\\js\\app.js', data: 'x' }]);
    expect(vfs.list()).toEqual(['dist/js/app.js']);
    expect(vfs.has('dist/js/app.js')).toBe(true);
  });

  it('drops names that escape the root or name nothing', () => {
    const vfs = createMemoryVfs([
      { name: '../evil.js', data: 'x' },
      { name: 'a/../../evil.js', data: 'x' },
      { name: '..\\evil.js', data: 'x' },
      { name: '', data: 'x' },
      { name: '.', data: 'x' },
      { name: 'a/..', data: 'x' },
      { name: 'ok.js', data: 'x' },
    ]);
    expect(vfs.list()).toEqual(['ok.js']);
    expect(vfs.has('evil.js')).toBe(false);
    expect(vfs.has('../evil.js')).toBe(false);
  });

  it('reads strings as UTF-8 and bytes as given', () => {
    const bytes = new Uint8Array([0x00, 0xff, 0x80]);
    const vfs = createMemoryVfs([
      { name: 'a.txt', data: 'é€😀' },
      { name: 'b.bin', data: bytes },
    ]);
    expect(Array.from(vfs.read('a.txt'))).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect(Array.from(vfs.read('b.bin'))).toEqual([0x00, 0xff, 0x80]);
  });

  it('has() is true only for listed files', () => {
    const vfs = createMemoryVfs([{ name: 'dist/app.js', data: '' }]);
    expect(vfs.has('dist/app.js')).toBe(true);
    expect(vfs.has('dist')).toBe(false);
    expect(vfs.has('app.js')).toBe(false);
    expect(vfs.has('dist/app.js.map')).toBe(false);
  });

  it('read() of a missing file throws', () => {
    const vfs = createMemoryVfs([{ name: 'a.js', data: '' }]);
    expect(() => vfs.read('b.js')).toThrowError('no file b.js');
    expect(() => vfs.read('')).toThrowError('no file ');
  });

  it('an empty file list gives an empty Vfs', () => {
    const vfs = createMemoryVfs([]);
    expect(vfs.list()).toEqual([]);
    expect(vfs.has('a')).toBe(false);
    expect(vfs.problems).toBe(undefined);
  });
});
