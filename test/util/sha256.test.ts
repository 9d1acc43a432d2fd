import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256, sha256Hex, wasmSha256Hex } from '../../src/util/sha256';
import { randomBytes } from '../helpers/prng';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const nodeHex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

describe('sha256 (pure JS): FIPS 180-4 test vectors', () => {
  const rows: { name: string; input: string; digest: string }[] = [
    { name: '"" (empty)', input: '', digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    { name: '"abc"', input: 'abc', digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    {
      name: '448-bit two-block message',
      input: 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      digest: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    },
    { name: 'one million "a"', input: 'a'.repeat(1_000_000), digest: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0' },
  ];

  it.each(rows)('$name', ({ input, digest }) => {
    expect(hex(sha256(new TextEncoder().encode(input)))).toBe(digest);
    expect(sha256Hex(input)).toBe(digest);
  });
});

describe('sha256 (pure JS) against node:crypto', () => {
  // Around the padding boundaries: 55 bytes is the longest one-block message, 56..63 need a second block,
  // 64 is exactly one block of data, 119/120 are the same edges one block later.
  const lengths = [0, 1, 2, 3, 4, 31, 32, 33, 55, 56, 57, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 1000, 4096, 100_000];

  it.each(lengths)('%i random bytes', (length) => {
    const bytes = randomBytes(1000 + length, length);
    expect(hex(sha256(bytes))).toBe(nodeHex(bytes));
  });

  it.each(lengths)('%i bytes of 0xff', (length) => {
    const bytes = new Uint8Array(length).fill(0xff);
    expect(hex(sha256(bytes))).toBe(nodeHex(bytes));
  });

  it('returns 32 bytes and does not modify its input', () => {
    const bytes = randomBytes(7, 100);
    const copy = bytes.slice();
    const digest = sha256(bytes);
    expect(digest).toBeInstanceOf(Uint8Array);
    expect(digest.length).toBe(32);
    expect(Array.from(bytes)).toEqual(Array.from(copy));
  });

  it('hashes only the bytes of a subarray view', () => {
    const whole = randomBytes(9, 200);
    const view = whole.subarray(50, 150);
    expect(hex(sha256(view))).toBe(nodeHex(whole.slice(50, 150)));
  });
});

describe('sha256Hex', () => {
  const strings: { name: string; text: string }[] = [
    { name: 'ASCII', text: 'hello' },
    { name: 'Latin-1 range é (must not hash as one byte)', text: 'é' },
    { name: 'euro sign', text: '€' },
    { name: 'CJK', text: '日本語のソース' },
    { name: 'emoji surrogate pair', text: '😀' },
    { name: 'mixed, with NUL and CRLF', text: 'a\u0000b\r\nc é € 😀' },
    { name: 'lone surrogate (hashed as U+FFFD)', text: 'a\ud800b' },
  ];

  it.each(strings)('$name: hashes the UTF-8 bytes', ({ text }) => {
    const utf8 = Buffer.from(text, 'utf8');
    const expected = nodeHex(utf8);
    expect(sha256Hex(text)).toBe(expected);
    expect(hex(sha256(new TextEncoder().encode(text)))).toBe(expected);
  });

  it('é hashes as C3 A9, not as the single byte E9', () => {
    expect(sha256Hex('é')).toBe(nodeHex(new Uint8Array([0xc3, 0xa9])));
    expect(sha256Hex('é')).not.toBe(nodeHex(new Uint8Array([0xe9])));
  });

  it('a lone surrogate hashes like U+FFFD', () => {
    expect(sha256Hex('\ud800')).toBe(nodeHex(new Uint8Array([0xef, 0xbf, 0xbd])));
  });

  it('hashes byte input as given', () => {
    const bytes = new Uint8Array([0x00, 0xff, 0x80, 0x7f]);
    expect(sha256Hex(bytes)).toBe(nodeHex(bytes));
  });

  it('returns 64 lower-case hex digits', () => {
    expect(sha256Hex('abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('sha256Hex without node:crypto (the browser path)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  /** The module where neither node:crypto nor WebAssembly is found (a browser without WebAssembly). */
  async function loadWithoutNativeCrypto(): Promise<typeof import('../../src/util/sha256')> {
    vi.resetModules();
    const spy = vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => undefined as never);
    vi.stubGlobal('WebAssembly', undefined);
    const module = await import('../../src/util/sha256');
    expect(module.sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(spy).toHaveBeenCalledWith('node:crypto');
    return module;
  }

  it('hashes strings as UTF-8 and bytes as given with the pure implementation', async () => {
    const { sha256Hex: pureHex } = await loadWithoutNativeCrypto();
    for (const text of ['', 'abc', 'é', '€', '😀', 'a\ud800b', 'x'.repeat(1000)]) {
      expect([text, pureHex(text)]).toEqual([text, nodeHex(Buffer.from(text, 'utf8'))]);
    }
    const bytes = randomBytes(11, 300);
    expect(pureHex(bytes)).toBe(nodeHex(bytes));
    expect(pureHex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('falls back when getBuiltinModule throws', async () => {
    vi.resetModules();
    vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => {
      throw new Error('no builtins here');
    });
    const { sha256Hex: pureHex } = await import('../../src/util/sha256');
    expect(pureHex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('sha256 in WebAssembly (a process hashes its first MiB there) against node:crypto', () => {
  const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, 65_536, 100_000, 300_000];

  it.each(lengths)('%i random bytes', (length) => {
    const bytes = randomBytes(2000 + length, length);
    expect(wasmSha256Hex(bytes)).toBe(nodeHex(bytes));
  });

  it('FIPS 180-4 vectors, one million "a" included', () => {
    expect(wasmSha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(wasmSha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(wasmSha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('strings as UTF-8, lone surrogates as U+FFFD, as node:crypto hashes them', () => {
    for (const text of ['é', '€uro', '😀 emoji', 'a\ud800b', '\udc00', 'x'.repeat(70) + '\u00ff'.repeat(70), '\u2028\u0000']) {
      expect(wasmSha256Hex(text)).toBe(nodeHex(text));
    }
  });

  it('gives what sha256Hex gives, before and after its budget is spent', () => {
    const bytes = randomBytes(7, 600_000);
    for (let i = 0; i < 4; i++) expect(sha256Hex(bytes)).toBe(wasmSha256Hex(bytes));
    expect(sha256Hex('tail')).toBe(nodeHex('tail'));
  });
});
