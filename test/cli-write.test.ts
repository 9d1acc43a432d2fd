import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeText } from '../src/cli/write';

const temp = mkdtempSync(join(tmpdir(), 'smf-write-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('writeText (the CLI --output writer)', () => {
  it('writes a text longer than one slice byte for byte, with a surrogate pair across the slice boundary', () => {
    // 65,535 ASCII characters put the pair's high half last in the first 65,536-character slice.
    const text = `${'a'.repeat(65535)}\u{1F600}${'é'.repeat(70000)}\n`;
    const file = join(temp, 'pair.txt');
    writeText(file, text);
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(65535 + 4 + 140000 + 1);
    expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(bytes.subarray(65535, 65539).toString('hex')).toBe('f09f9880');
  });

  it('truncates a longer file it replaces and writes an empty text as an empty file', () => {
    const file = join(temp, 'old.txt');
    writeFileSync(file, 'x'.repeat(1000));
    writeText(file, 'short\n');
    expect(readFileSync(file, 'utf8')).toBe('short\n');
    writeText(file, '');
    expect(readFileSync(file).length).toBe(0);
  });
});
