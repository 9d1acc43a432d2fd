import { secretLintProfiler } from '@secretlint/profiler';
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/signals/secrets';

// A GitHub token shape secretlint's preset reports (fake: the right prefix and length, nothing else).
const TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}123456`;

describe('findSecrets', () => {
  it('finds the same secret in each of many files, and leaves secretlint profiler lists empty after each', async () => {
    const candidates = Array.from({ length: 60 }, (_, i) => ({
      map: 'dist/app.js.map',
      source: `src/file${i}.ts`,
      content: `${'const x = 1;\n'.repeat(i % 5)}export const token = "${TOKEN}";\n`,
    }));
    const found = await findSecrets(candidates);
    expect(found.length).toBe(60);
    expect(found.map((f) => f.location.line)).toEqual(candidates.map((_, i) => (i % 5) + 1));
    expect(new Set(found.map((f) => f.args.rule))).toEqual(new Set(['github']));
    // Its observer walks every entry it keeps at each mark: kept for 60 files (about 18 marks each), that walk is
    // quadratic. The observer runs on a later turn of the event loop, so give it one before looking: at most the
    // last file's marks may be left.
    await new Promise((resolve) => setImmediate(resolve));
    const profiler = secretLintProfiler as unknown as { entries: unknown[]; measures: unknown[] };
    expect(profiler.entries.length).toBeLessThanOrEqual(18);
    expect(profiler.measures.length).toBeLessThanOrEqual(18);
  });

  it('returns nothing without loading secretlint when there is nothing to check', async () => {
    expect(await findSecrets([])).toEqual([]);
  });
});
