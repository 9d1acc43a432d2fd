import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeVlq } from '../helpers/vlq';

// The helper thread starts at 16 MiB by default; these maps are 4.8 MB (read before the module below is loaded).
process.env.SOURCEMAP_FORENSICS_ASSIST_MIN_MB = '4';
const { scanAny } = await import('../../src/node');
const { ASSIST_MIN_BYTES, assistStats } = await import('../../src/parallel/assist');
// Maps this small are parsed whole by default, where no thread helps: read them by pieces, as big ones are.
(await import('../../src/map/parse')).pieceReads.minBytes = 0;

// A map big enough for the helper thread, built so every figure is known: source s has LINES lines, the first
// MAPPED of them mapped; even sources are third-party (the helper may measure those), odd ones first-party.
const SOURCES = 400;
const LINES = 120;
const MAPPED = 70;
const temp = mkdtempSync(join(tmpdir(), 'smf-assist-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const vlq = encodeVlq;

function content(s: number): string {
  // Quotes, backslashes and non-ASCII, so the JSON entries carry escapes.
  const line = (k: number) => `export const v${s}_${k} = "s\\"${s}" + '${'é'.repeat(k % 7)}' + ${'x'.repeat(60)};`;
  return Array.from({ length: LINES }, (_, k) => line(k)).join('\n') + '\n';
}

function bigMap(edit: (map: { version: number; sources: string[]; sourcesContent: string[]; mappings: string; names: string[] }) => void = () => {}) {
  const segments: string[] = [];
  let prevSource = 0;
  let prevLine = 0;
  for (let s = 0; s < SOURCES; s++) {
    for (let k = 0; k < MAPPED; k++) {
      segments.push(vlq(0) + vlq(s - prevSource) + vlq(k - prevLine) + vlq(0));
      prevSource = s;
      prevLine = k;
    }
  }
  const map = {
    version: 3,
    sources: Array.from({ length: SOURCES }, (_, s) => (s % 2 === 0 ? `../node_modules/lib${s}/index.js` : `../src/file${s}.ts`)),
    sourcesContent: Array.from({ length: SOURCES }, (_, s) => content(s)),
    mappings: segments.join(';'),
    names: [] as string[],
  };
  edit(map);
  return JSON.stringify(map);
}

async function both(name: string, text: string) {
  const file = join(temp, name);
  writeFileSync(file, text);
  const before = { ...assistStats };
  const assisted = await scanAny(file, { jobs: 2 });
  const used = { maps: assistStats.maps - before.maps, hashes: assistStats.hashes - before.hashes, mappings: assistStats.mappings - before.mappings };
  const alone = await scanAny(file, { jobs: 1 });
  return { assisted, alone, used };
}

describe('a big map with the helper thread gives the same report as without it', () => {
  it('measures a well-formed map exactly, with the helper hashing it and scanning its mappings', async () => {
    const text = bigMap();
    expect(Buffer.byteLength(text)).toBeGreaterThan(ASSIST_MIN_BYTES);
    const { assisted, alone, used } = await both('good.js.map', text);
    expect(used).toEqual({ maps: 1, hashes: 1, mappings: 1 });
    expect(JSON.stringify(assisted)).toBe(JSON.stringify(alone));
    const map = assisted.maps[0]!;
    expect(map.valid).toBe(true);
    expect(map.content.lines).toBe(SOURCES * LINES);
    expect(map.content.mappedLines).toBe(SOURCES * MAPPED);
    expect(map.content.thirdPartyLines).toBe((SOURCES / 2) * LINES);
    expect(map.files[7]!.lines).toBe(LINES);
    expect(map.files[8]!.bytes).toBe(Buffer.byteLength(content(8)));
  });

  it('reports the same mappings diagnostics: a bad character, and more errors than are kept', async () => {
    const bad = await both('bad-character.js.map', bigMap((m) => (m.mappings = `${m.mappings.slice(0, 5001)}!${m.mappings.slice(5001)}`)));
    expect(bad.used.mappings).toBe(1);
    expect(JSON.stringify(bad.assisted)).toBe(JSON.stringify(bad.alone));
    expect(bad.assisted.maps[0]!.diagnostics).toEqual([
      { code: 'MAPPINGS_BAD_CHARACTER', severity: 'error', message: 'Character "!" at offset 5001 is not a base64 digit, "," or ";".', pointer: '/mappings', offset: 5001 },
    ]);
    // Source 9999 does not exist, and every later segment is relative to it: the helper's list is capped and counted.
    const many = await both('bad-index.js.map', bigMap((m) => (m.mappings = `AAAA,${vlq(1)}${vlq(9999)}AA;${m.mappings}`)));
    expect(JSON.stringify(many.assisted)).toBe(JSON.stringify(many.alone));
    const codes = many.assisted.maps[0]!.diagnostics.map((d) => d.code);
    expect(codes.length).toBe(101);
    expect(codes[0]).toBe('MAPPINGS_SOURCE_INDEX_RANGE');
    expect(codes[100]).toBe('TOO_MANY_DIAGNOSTICS');
    expect(many.assisted.maps[0]!.diagnostics[100]!.message).toBe(`${SOURCES * MAPPED + 1 - 100} more diagnostics were not kept (at most 100 per map).`);
  });

  it('reads entries bigger than the 1 MiB read window (a 2.5 MB source among small ones) exactly', async () => {
    const big = `${'// a long first-party line, repeated to pass the read window\n'.repeat(40_000)}`;
    const { assisted, alone } = await both('big-entry.js.map', bigMap((m) => (m.sourcesContent[201] = big)));
    expect(JSON.stringify(assisted)).toBe(JSON.stringify(alone));
    const file = assisted.maps[0]!.files[201]!;
    expect(file.lines).toBe(40_000);
    expect(file.bytes).toBe(Buffer.byteLength(big));
    expect(file.mappedLines).toBe(MAPPED);
    expect(assisted.maps[0]!.content.lines).toBe((SOURCES - 1) * LINES + 40_000);
  });

  it('falls back to the whole text when the last content entry (the helper takes it first) is not valid JSON', async () => {
    const text = bigMap().replace(/"\]\s*,\s*"mappings"/, (tail) => `\\x${tail}`);
    const { assisted, alone } = await both('bad-escape.js.map', text);
    expect(JSON.stringify(assisted)).toBe(JSON.stringify(alone));
    expect(assisted.maps).toEqual([]);
    expect(assisted.invalidMaps[0]!.diagnostics[0]!.code).toBe('MAP_NOT_JSON');
  });
});
