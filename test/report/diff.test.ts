import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffReports, formatDiffText, scanSync } from '../../src/node';

const at = (path: string): string => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

describe('diffReports between two releases (fixtures/releases)', () => {
  const v1 = scanSync(at('releases/v1'));
  const v2 = scanSync(at('releases/v2'));
  const diff = diffReports(v1, v2);

  it('lists files newly exposed, no longer exposed and changed, with line counts', () => {
    expect(diff.summary).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1, addedLines: 2, addedFirstPartyLines: 2, removedLines: 1 });
    expect(diff.added.map((f) => [f.path, f.lines, f.origin])).toEqual([['src/c.ts', 2, 'first-party']]);
    expect(diff.removed.map((f) => [f.path, f.lines])).toEqual([['src/b.ts', 1]]);
    expect(diff.changed.map((c) => [c.path, c.from.lines, c.to.lines, c.from.sha256 !== c.to.sha256])).toEqual([['src/a.ts', 3, 4, true]]);
    expect([diff.from.name, diff.to.name]).toEqual([at('releases/v1'), at('releases/v2')]);
  });

  it('is empty between a report and itself, and symmetric in reverse', () => {
    expect(diffReports(v1, v1).summary).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 3, addedLines: 0, addedFirstPartyLines: 0, removedLines: 0 });
    const back = diffReports(v2, v1);
    expect([back.added.map((f) => f.path), back.removed.map((f) => f.path), back.changed.map((c) => c.path)]).toEqual([['src/b.ts'], ['src/c.ts'], ['src/a.ts']]);
  });

  it('says when the leak started: nothing exposed before, everything after', () => {
    const clean = scanSync({ files: [{ name: 'cli.js', data: 'x();\n' }] });
    const leak = diffReports(clean, v1);
    expect(leak.summary).toMatchObject({ added: 3, addedFirstPartyLines: 5, removed: 0 });
  });

  it('renders as text', () => {
    expect(formatDiffText(diff).split('\n').slice(1)).toEqual([
      '1 added (2 lines, 2 first-party), 1 removed (1 lines), 1 changed, 1 unchanged',
      '  + src/c.ts  (2 lines, first-party)',
      '  - src/b.ts  (1 lines)',
      '  ~ src/a.ts  (3 -> 4 lines)',
      '',
    ]);
  });

  it('refuses something that is not a report with files', () => {
    expect(() => diffReports({} as never, v2)).toThrowError(/the first report has no "files" list/);
  });
});
