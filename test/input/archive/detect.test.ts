import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { detectArchive, headerChecksum, isTarHeader, parseOctal, SNIFF_BYTES } from '../../../src/input/archive/detect';
import { mulberry32 } from '../../helpers/prng';
import { header, tar } from '../../helpers/tar';

const tarWriter = { header, tar };
const ascii = (text: string): Uint8Array => strToU8(text);
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'fixtures/archives', name)));

const temp = mkdtempSync(join(tmpdir(), 'smf-detect-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The first 512 bytes of a tar made by the system tar in `format`. */
function systemTarHead(format: 'ustar' | 'gnu' | 'pax' | 'v7'): Uint8Array {
  const dir = join(temp, format);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.js'), 'console.log(1);\n');
  const out = join(temp, `${format}.tar`);
  execFileSync('tar', [`--format=${format}`, '-cf', out, '-C', dir, 'a.js']);
  return new Uint8Array(readFileSync(out)).subarray(0, 512);
}

/** A v7 header (no magic) with a valid checksum written as six octal digits, NUL, space. */
function v7Header(name: string): Uint8Array {
  const h = new Uint8Array(512);
  h.set(ascii(name), 0);
  h.set(ascii('0000644\0'), 100);
  h.set(ascii('0000000\0'), 108);
  h.set(ascii('0000000\0'), 116);
  h.set(ascii('00000000005\0'), 124);
  h.set(ascii('03555555555\0'), 136);
  h[156] = 0x30;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  h.set(ascii(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return h;
}

describe('detectArchive: magic table', () => {
  it('SNIFF_BYTES is one tar block', () => {
    expect(SNIFF_BYTES).toBe(512);
  });

  it('gzip: 1f 8b 08', () => {
    expect(detectArchive(bytes(0x1f, 0x8b, 0x08))).toBe('gzip');
    expect(detectArchive(gzipSync(strToU8('hello')))).toBe('gzip');
    expect(detectArchive(fixture('cli.js.map.gz'))).toBe('gzip');
    expect(detectArchive(fixture('acme-agent-3.1.0.tgz'))).toBe('gzip');
  });

  it('gzip needs method 8 and all three bytes', () => {
    expect(detectArchive(bytes(0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0))).toBeNull();
    expect(detectArchive(bytes(0x1f, 0x8b))).toBeNull();
    expect(detectArchive(bytes(0x1f, 0x8c, 0x08, 0))).toBeNull();
  });

  it('zip: a local file header PK\\3\\4', () => {
    expect(detectArchive(bytes(0x50, 0x4b, 0x03, 0x04))).toBe('zip');
    expect(detectArchive(zipSync({ 'a.txt': strToU8('a') }))).toBe('zip');
    for (const name of ['acme-agent.zip', 'acme-agent.jar', 'acme-agent.vsix', 'acme-agent.xpi', 'acme_agent-3.1.0-py3-none-any.whl', 'bomb.zip']) {
      expect(detectArchive(fixture(name)), name).toBe('zip');
    }
  });

  it('zip: an empty archive is only its end record PK\\5\\6', () => {
    const empty = zipSync({});
    expect(empty.length).toBe(22);
    expect(Array.from(empty.subarray(0, 4))).toEqual([0x50, 0x4b, 0x05, 0x06]);
    expect(detectArchive(empty)).toBe('zip');
  });

  it('other PK signatures and short PK heads are not zips', () => {
    expect(detectArchive(bytes(0x50, 0x4b, 0x01, 0x02))).toBeNull(); // central directory header
    expect(detectArchive(bytes(0x50, 0x4b, 0x07, 0x08))).toBeNull(); // spanning marker
    expect(detectArchive(bytes(0x50, 0x4b, 0x03))).toBeNull();
    expect(detectArchive(ascii('PK is a text'))).toBeNull();
  });

  it('crx: Cr24 with at least 8 bytes', () => {
    expect(detectArchive(fixture('acme-agent.crx'))).toBe('crx');
    expect(detectArchive(fixture('acme-agent-crx2.crx'))).toBe('crx');
    expect(detectArchive(bytes(0x43, 0x72, 0x32, 0x34, 3, 0, 0, 0))).toBe('crx');
    expect(detectArchive(bytes(0x43, 0x72, 0x32, 0x34, 3, 0, 0))).toBeNull();
    expect(detectArchive(ascii('Cr25xxxxxxxx'))).toBeNull();
  });

  it.each(['ustar', 'gnu', 'pax'] as const)('tar: a header written by the system tar (--format=%s)', (format) => {
    const head = systemTarHead(format);
    expect(detectArchive(head)).toBe('tar');
    expect(isTarHeader(head)).toBe(true);
  });

  it('tar: headers of the fixture writer (POSIX and GNU magic) and the committed tars', () => {
    expect(detectArchive(tarWriter.header({ name: 'a.js', size: 3 }))).toBe('tar');
    expect(detectArchive(tarWriter.header({ name: 'a.js', size: 3, gnu: true }))).toBe('tar');
    expect(detectArchive(fixture('acme-agent-3.1.0.tar'))).toBe('tar');
    expect(detectArchive(fixture('edge-cases.tar'))).toBe('tar');
  });

  it('tar: a v7 header (no magic) is recognised by its checksum', () => {
    const h = v7Header('old/file.js');
    expect(Array.from(h.subarray(257, 263))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(detectArchive(h)).toBe('tar');
    expect(detectArchive(systemTarHead('v7'))).toBe('tar');
  });

  it('tar: a v7 header whose checksum does not add up is not a tar', () => {
    const h = v7Header('old/file.js');
    h[0] = 0x4f; // 'o' -> 'O': the sum changes by 0x20
    expect(detectArchive(h)).toBeNull();
    expect(isTarHeader(h)).toBe(false);
  });

  it('tar: a v7 header with an empty name is not a tar, even with a matching checksum', () => {
    const h = v7Header('x');
    h[0] = 0;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    h.set(ascii(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(parseOctal(h, 148, 8)).toBe(headerChecksum(h));
    expect(isTarHeader(h)).toBe(false);
  });

  it('a zero block is not a tar', () => {
    expect(detectArchive(new Uint8Array(512))).toBeNull();
  });

  it('a text file is nothing', () => {
    const text = ascii('//# sourceMappingURL=app.js.map\n'.repeat(40));
    expect(text.length).toBeGreaterThan(512);
    expect(detectArchive(text)).toBeNull();
    expect(detectArchive(ascii('{"version":3,"sources":[],"mappings":""}'))).toBeNull();
  });

  it('random bytes are nothing (seeded)', () => {
    const random = mulberry32(7);
    for (let n = 0; n < 200; n++) {
      const b = new Uint8Array(600);
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(random() * 256);
      // Keep the first byte off every magic so the case is about the tar checksum path.
      b[0] = 0x41;
      expect(detectArchive(b)).toBeNull();
    }
  });

  it('a 511-byte input is never a tar, even cut from a real tar header', () => {
    const head = systemTarHead('ustar');
    expect(detectArchive(head.subarray(0, 511))).toBeNull();
    expect(isTarHeader(head.subarray(0, 511))).toBe(false);
    expect(detectArchive(v7Header('a.js').subarray(0, 511))).toBeNull();
  });

  it('empty input is nothing', () => {
    expect(detectArchive(new Uint8Array(0))).toBeNull();
  });

  it('the ustar magic alone makes a tar header (no checksum check)', () => {
    const h = new Uint8Array(512);
    h.set(ascii('ustar'), 257);
    expect(isTarHeader(h)).toBe(true);
  });
});

describe('parseOctal', () => {
  const field = (text: string, length = text.length): Uint8Array => {
    const b = new Uint8Array(length);
    b.set(ascii(text));
    return b;
  };

  it('reads NUL-terminated fields', () => {
    expect(parseOctal(field('0000644\0'), 0, 8)).toBe(0o644);
    expect(parseOctal(field('00000001750\0'), 0, 12)).toBe(1000);
  });

  it('reads space-terminated and space-padded fields', () => {
    expect(parseOctal(field('   644 \0'), 0, 8)).toBe(0o644);
    expect(parseOctal(field('0000644 '), 0, 8)).toBe(0o644);
    expect(parseOctal(field('012345 \0'), 0, 8)).toBe(0o12345);
  });

  it('stops at the first NUL or space after the digits', () => {
    expect(parseOctal(field('12\x0034\0'), 0, 6)).toBe(0o12);
    expect(parseOctal(field('12 34\0'), 0, 6)).toBe(0o12);
  });

  it('a field filling its whole length needs no terminator', () => {
    expect(parseOctal(field('777777777777'), 0, 12)).toBe(0o777777777777);
    expect(parseOctal(field('77777777777\0'), 0, 12)).toBe(8589934591);
  });

  it('reads only inside [offset, offset + length)', () => {
    const b = field('9912349');
    expect(parseOctal(b, 2, 4)).toBe(0o1234);
    expect(parseOctal(b, 2, 2)).toBe(0o12);
  });

  it('an empty field (all NUL, all spaces, or zero length) is 0', () => {
    expect(parseOctal(new Uint8Array(8), 0, 8)).toBe(0);
    expect(parseOctal(field('        '), 0, 8)).toBe(0);
    expect(parseOctal(field('123'), 1, 0)).toBe(0);
  });

  it('an invalid digit gives null', () => {
    expect(parseOctal(field('0000648\0'), 0, 8)).toBeNull();
    expect(parseOctal(field('0000a44\0'), 0, 8)).toBeNull();
    expect(parseOctal(field('-1\0'), 0, 3)).toBeNull();
    expect(parseOctal(field('+1\0'), 0, 3)).toBeNull();
    expect(parseOctal(field('0x10\0'), 0, 5)).toBeNull();
    expect(parseOctal(bytes(0x31, 0x80, 0), 0, 3)).toBeNull();
    expect(parseOctal(bytes(0x31, 0x09, 0), 0, 3)).toBeNull(); // a tab is not a terminator
  });
});

describe('headerChecksum', () => {
  it('counts the checksum field as eight spaces', () => {
    expect(headerChecksum(new Uint8Array(512))).toBe(8 * 0x20);
    const h = new Uint8Array(512);
    h.fill(0xff, 148, 156);
    expect(headerChecksum(h)).toBe(256);
  });

  it('sums bytes unsigned', () => {
    expect(headerChecksum(new Uint8Array(512).fill(0xff))).toBe(504 * 255 + 256);
    const h = new Uint8Array(512);
    h[0] = 0x80;
    h[511] = 0x01;
    expect(headerChecksum(h)).toBe(256 + 0x81);
  });

  it('reads only the first 512 bytes', () => {
    const h = new Uint8Array(1024).fill(1);
    expect(headerChecksum(h)).toBe(504 + 256);
  });

  it.each(['ustar', 'gnu', 'pax', 'v7'] as const)('equals the checksum the system tar stored (--format=%s)', (format) => {
    const head = systemTarHead(format);
    const stored = parseOctal(head, 148, 8);
    expect(stored).not.toBeNull();
    expect(headerChecksum(head)).toBe(stored);
  });

  it('equals the stored checksum of every header of the committed npm tarball', () => {
    const tar = fixture('acme-agent-3.1.0.tar');
    let headers = 0;
    for (let at = 0; at + 512 <= tar.length; ) {
      const block = tar.subarray(at, at + 512);
      if (block.every((b) => b === 0)) break;
      expect(headerChecksum(block), `header at ${at}`).toBe(parseOctal(block, 148, 8));
      const size = parseOctal(block, 124, 12)!;
      at += 512 + Math.ceil(size / 512) * 512;
      headers++;
    }
    expect(headers).toBe(4);
  });
});
