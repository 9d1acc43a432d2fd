import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openNodeTarget, readEarly } from '../../src/input/node-vfs';
import { scanOpened } from '../../src/report/api';
import { formatJson, scanAny, scanSync } from '../../src/node';
import { encodeVlq } from '../helpers/vlq';

// A `.map` target of 4 to 16 MiB is read on the thread pool before the scan (src/node.ts, readEarly); the scan must
// give the report it gives when it reads the file itself.

const temp = mkdtempSync(join(tmpdir(), 'smf-early-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const MIB = 1024 * 1024;
const SOURCES = 120;
/** Lines per source: `line <k> of <s>` padded to 39 characters and a line feed, 40 bytes a line. */
const LINES = 1000;

/** A map of SOURCES sources of LINES lines each (40 bytes a line), every even line of each mapped. */
function bigMap(): string {
  const content = (s: number) => Array.from({ length: LINES }, (_, k) => `line ${k} of ${s}`.padEnd(39, '.')).join('\n') + '\n';
  const lines: string[] = [];
  let previousSource = 0;
  let previousLine = 0;
  for (let s = 0; s < SOURCES; s++) {
    for (let k = 0; k < LINES; k += 2) {
      // One segment per generated line: column 0, source s, original line k, column 0.
      lines.push(encodeVlq(0) + encodeVlq(s - previousSource) + encodeVlq(k - previousLine) + encodeVlq(0));
      previousSource = s;
      previousLine = k;
    }
  }
  const sources = Array.from({ length: SOURCES }, (_, s) => `src/file${s}.ts`);
  return JSON.stringify({ version: 3, sources, sourcesContent: sources.map((_, s) => content(s)), names: [], mappings: lines.join(';') });
}

const text = bigMap();
const mapPath = join(temp, 'big.js.map');
writeFileSync(mapPath, text);

describe('readEarly', () => {
  it('reads a .map of 4 to 16 MiB whole, running the other work once meanwhile', async () => {
    expect(text.length).toBeGreaterThan(4 * MIB);
    let calls = 0;
    const early = await readEarly(mapPath, 16 * MIB, () => calls++);
    expect(calls).toBe(1);
    expect(early?.path).toBe(mapPath);
    expect(Buffer.from(early!.bytes).equals(readFileSync(mapPath))).toBe(true);
  });

  it('passes on what the other work throws, once the read is over and the file closed', async () => {
    // Linux lists a process's open descriptors here.
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    await expect(
      readEarly(mapPath, 16 * MIB, () => {
        throw new Error('meanwhile failed');
      }),
    ).rejects.toThrow('meanwhile failed');
    expect(open()).toBe(before);
  });

  it('leaves everything else to the scan, without running the other work', async () => {
    const small = join(temp, 'small.js.map');
    writeFileSync(small, '{"version":3,"sources":[],"mappings":""}');
    const js = join(temp, 'big.js');
    writeFileSync(js, text);
    const folder = join(temp, 'folder.map');
    mkdirSync(folder);
    let calls = 0;
    const meanwhile = () => calls++;
    expect(await readEarly(small, 16 * MIB, meanwhile)).toBeNull();
    expect(await readEarly(js, 16 * MIB, meanwhile)).toBeNull();
    expect(await readEarly(folder, 16 * MIB, meanwhile)).toBeNull();
    expect(await readEarly(join(temp, 'missing.map'), 16 * MIB, meanwhile)).toBeNull();
    // From `wholeBelow` on, the scan reads the map by windows.
    expect(await readEarly(mapPath, text.length, meanwhile)).toBeNull();
    expect(calls).toBe(0);
  });

  it('gives the scan the report it makes reading the map itself, with the figures the map was built with', async () => {
    const early = await scanAny(mapPath);
    const itself = scanSync(mapPath);
    expect(formatJson(early)).toBe(formatJson(itself));
    const map = early.maps[0]!;
    expect(map.bytes).toBe(text.length);
    expect(map.sha256).toBe(itself.maps[0]!.sha256);
    expect(early.summary.sources.total).toBe(SOURCES);
    expect(early.summary.content.lines).toBe(SOURCES * LINES);
    expect(early.summary.content.bytes).toBe(SOURCES * LINES * 40);
    expect(early.summary.content.mappedLines).toBe((SOURCES * LINES) / 2);
  });

  it('makes the scan measure the bytes read early, not the file read again', () => {
    // Stand-in bytes for the same path: half the sources dropped, so the figures tell which bytes were measured.
    const half = JSON.parse(text) as { sources: string[]; sourcesContent: string[] };
    half.sources = half.sources.slice(0, SOURCES / 2);
    half.sourcesContent = half.sourcesContent.slice(0, SOURCES / 2);
    const bytes = new TextEncoder().encode(JSON.stringify(half));
    const report = scanOpened(openNodeTarget(mapPath, { path: mapPath, bytes }), {});
    expect(report.summary.sources.total).toBe(SOURCES / 2);
    expect(report.maps[0]!.bytes).toBe(bytes.length);
  });
});
