import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanSync } from '../../src/node';
import { packageOf } from '../../src/report/build';

const at = (path: string): string => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

describe('distinct files and unique totals', () => {
  const report = scanSync(at('chunks'));

  it('sums over maps as before, and counts each (path, sha256) once in summary.unique', () => {
    // By construction (scripts/make-fixtures.mjs, chunks/): 22 lines over three maps, 16 in five distinct files.
    expect(report.summary.content.lines).toBe(22);
    expect(report.summary.sources).toMatchObject({ total: 7, withContent: 7 });
    expect(report.summary.unique).toEqual({ files: 5, lines: 16, bytes: 343, firstPartyFiles: 4, firstPartyLines: 14, firstPartyBytes: 299 });
  });

  it('lists each distinct file with its origin, package and the maps that carry it', () => {
    expect(report.files.map((f) => [f.path, f.origin, f.package, f.lines, f.commentLines, f.maps.map((m) => `${m.map}#${m.index}`)])).toEqual([
      ['node_modules/lib/index.js', 'third-party', 'lib', 2, null, ['dist/app.js.map#2', 'dist/chunks/b.js.map#2']],
      ['src/a.ts', 'first-party', null, 3, 0, ['dist/app.js.map#0']],
      ['src/b.ts', 'first-party', null, 2, 0, ['dist/chunks/b.js.map#0']],
      ['src/shared.ts', 'first-party', null, 4, 1, ['dist/app.js.map#1', 'dist/chunks/b.js.map#1']],
      ['src/shared.ts', 'first-party', null, 5, 1, ['dist/chunks/c.js.map#0']],
    ]);
    // Same path, two contents: kept apart by sha256, sorted by it.
    expect(report.files[3]!.sha256 < report.files[4]!.sha256).toBe(true);
  });

  it('keeps files of maps in different folders apart: relative sources resolve against each map\'s folder', () => {
    const basic = scanSync(at('basic'));
    expect(basic.summary.unique).toEqual({ files: 16, lines: 60, bytes: 1324, firstPartyFiles: 12, firstPartyLines: 48, firstPartyBytes: 1052 });
    expect(basic.files.filter((f) => f.path.endsWith('/src/app.ts')).map((f) => f.path)).toEqual([
      'css/src/app.ts',
      'external/src/app.ts',
      'inline-percent/src/app.ts',
      'inline/src/app.ts',
    ]);
    // The same content everywhere: one sha256.
    expect(new Set(basic.files.filter((f) => f.path.endsWith('/src/app.ts')).map((f) => f.sha256)).size).toBe(1);
  });

  it.each([
    ['node_modules/react/index.js', 'react'],
    ['../node_modules/@scope/pkg/dist/a.js', '@scope/pkg'],
    ['webpack:///./node_modules/a/node_modules/b/x.js', 'b'],
    ['src/app.ts', null],
    [null, null],
    ['node_modules/@scope', '@scope'],
    ['node_modules/@scope/', '@scope/'],
    ['node_modules/', null],
    ['a/node_modules//x.js', null],
    ['node_modules/pkg', 'pkg'],
  ])('packageOf(%j) is %j', (source, name) => {
    expect(packageOf(source)).toBe(name);
  });

  it('packageOf is the first folder after the last node_modules/, two for a scope (seed 5)', () => {
    const reference = (source: string): string | null => {
      const at = source.lastIndexOf('node_modules/');
      if (at === -1) return null;
      const parts = source.slice(at + 'node_modules/'.length).split('/');
      if (parts[0]?.startsWith('@') && parts.length > 1) return `${parts[0]}/${parts[1]}`;
      return parts[0] || null;
    };
    const path = fc.array(fc.constantFrom('node_modules', '@s', 'a', '', 'x.js', '@'), { maxLength: 6 }).map((p) => p.join('/'));
    fc.assert(
      fc.property(path, (source) => {
        expect(packageOf(source)).toBe(reference(source));
      }),
      { seed: 5, numRuns: 2000 },
    );
  });
});
