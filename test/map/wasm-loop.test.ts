/**
 * The mappings suites again, with every mappings pass on the WebAssembly loop (by default only passes over 4 KiB use
 * it) and calls of it cut every 3 bytes, so that each resumes mid-line. They must give exactly what they give on the
 * TypeScript loop. Plus what only this loop does: a bit per line when line counts are only bounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticCollector } from '../../src/map/diagnostics';
import { mappingsLoop, scanMappingBytes, scanMappingsAhead, warmMappingsLoop } from '../../src/map/mappings';
import { encodeVlq } from '../helpers/vlq';

mappingsLoop.wasmMinBytes = 0;
mappingsLoop.wasmSlice = 3;

await import('./mappings.test');
await import('./conformance.test');
await import('./piecewise.test');

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** One pass, on the loop `wasm` says, with marks of the given lengths (null: no content). */
function pass(text: string, sources: number, names: number, lengths: (number | null)[], wasm: boolean) {
  const marks = lengths.map((n) => (n === null ? null : new Uint8Array(n)));
  const diagnostics = new DiagnosticCollector();
  mappingsLoop.wasm = wasm;
  try {
    const bytes = utf8(`xx${text}yy`);
    const summary = scanMappingBytes(bytes, 2, bytes.length - 2, sources, names, diagnostics, '/mappings', marks);
    return { summary, diagnostics: diagnostics.finish(), marks: marks.map((m) => (m === null ? null : [...m])) };
  } finally {
    mappingsLoop.wasm = true;
  }
}

const vlq = encodeVlq;

/** Mappings text from segments of 0 to 6 fields, mostly small values, some huge, with stray and wrong characters. */
const segment = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 4, maxLength: 5 }).map((vs) => vs.map(vlq).join('')) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), { minLength: 1, maxLength: 6 }).map((vs) => vs.map(vlq).join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', 'B', 'gggggggggA', '//////B', 'A!', 'é', '\\', 'AAAAAAB', 'AAAAg', 'D') },
);
const mappings = fc.array(fc.tuple(segment, fc.constantFrom(',', ';', ';;')), { maxLength: 40 }).map((parts) => parts.map(([s, sep]) => s + sep).join(''));
const lengths = fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }), { minLength: 0, maxLength: 5 });

describe('the WebAssembly loop gives what the TypeScript loop gives (seed 7)', () => {
  it('on random and hostile mappings, with marks of random lengths', () => {
    fc.assert(
      fc.property(mappings, lengths, fc.integer({ min: 0, max: 3 }), (text, marks, names) => {
        expect(pass(text, marks.length, names, marks, true)).toStrictEqual(pass(text, marks.length, names, marks, false));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it('on sums past 32 bits, which the TypeScript loop keeps exact', () => {
    const text = `${vlq(1_500_000_000)}AAA,${vlq(1_500_000_000)}AAA;A${vlq(1_500_000_000)}AA,A${vlq(1_500_000_000)}AA`;
    const wasm = pass(text, 1, 0, [4], true);
    expect(wasm).toStrictEqual(pass(text, 1, 0, [4], false));
    expect(wasm.summary).toEqual({ segments: 4, lastLine: 1, lastColumn: 0, stopped: false });
  });
});

describe('scanMappingsAhead with line bounds marks a bit per line', () => {
  it('gives the marks of the unbounded pass, below each bound (seed 11)', () => {
    fc.assert(
      fc.property(mappings, fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 5 }), (text, bounds) => {
        const bytes = utf8(text);
        const bounded = scanMappingsAhead(bytes, 0, bytes.length, bounds.length, 2, '/m', 1 << 20, Int32Array.from(bounds));
        mappingsLoop.wasm = false;
        const free = scanMappingsAhead(bytes, 0, bytes.length, bounds.length, 2, '/m', 1 << 20);
        mappingsLoop.wasm = true;
        expect(bounded!.summary).toStrictEqual(free!.summary);
        expect(bounded!.diagnostics).toStrictEqual(free!.diagnostics);
        const cut = (marks: (Uint8Array | null)[]) => marks.map((m, s) => [...(m ?? [])].slice(0, bounds[s]).join('').replace(/0+$/, ''));
        expect(cut(bounded!.marks)).toStrictEqual(cut(free!.marks));
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it('keeps a mapped line 1000 of a source bounded at 1001, in an array cut at its last mark', () => {
    const text = `AA${vlq(1000)}A,ACAA`;
    const bytes = utf8(text);
    const result = scanMappingsAhead(bytes, 0, bytes.length, 2, 0, '/m', 1 << 20, Int32Array.from([1001, 0]))!;
    expect(result.marks[0]!.length).toBe(1001);
    expect(result.marks[0]![1000]).toBe(1);
    expect(result.marks[1]).toBeNull();
  });
});

describe('the committed WebAssembly bytes', () => {
  it('are what scripts/make-wasm.mjs assembles from the .wat files', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = new URL('../../scripts/make-wasm.mjs', import.meta.url);
    const out = execFileSync(process.execPath, [script.pathname, '--check'], { encoding: 'utf8' });
    expect(out).toContain('src/map/mappings-wasm.ts matches src/map/mappings.wat');
    expect(out).toContain('src/util/sha256-wasm.ts matches src/util/sha256.wat');
  });
});

describe('warmMappingsLoop', () => {
  it('runs the loop once per process, over 1,639 made-up segments it takes whole', () => {
    // Each segment moves the column by 1 in source 0: the last one is at column 1,639 of line 0.
    expect(warmMappingsLoop()).toEqual({ segments: 1639, lastLine: 0, lastColumn: 1639, stopped: false });
    expect(warmMappingsLoop()).toBeNull();
  });
});
