import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { directoryGroup, formatMarkdown } from '../../src/format/markdown';
import * as api from '../../src/index';
import { scan, scanSync } from '../../src/node';
import type { Detector, ExposureReport, Finding } from '../../src/node';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE_COMMAND = 'npx sourcemap-forensics scan fixtures/demo --format markdown';

const demo = (): ExposureReport => scanSync('fixtures/demo');

/** The lines of the section under `## title`, up to the next `##` heading. */
function sectionOf(markdown: string, title: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${title}`);
  if (start === -1) return [];
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end === -1 ? lines.length : end).filter((line) => line !== '');
}

/** Cells of a GFM table row, split as GFM does: on `|` not escaped by a backslash. */
function cells(row: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 1; i < row.length - 1; i++) {
    const ch = row[i]!;
    if (ch === '\\' && i + 1 < row.length - 1) {
      current += ch + row[i + 1]!;
      i++;
    } else if (ch === '|') {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current.trim());
  return out;
}

/** Every table of the document: each row must have as many cells as its header, whatever the text held. */
function expectWellFormedTables(markdown: string): number {
  let tables = 0;
  let width = -1;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      width = -1;
      continue;
    }
    expect(line.endsWith(' |'), line).toBe(true);
    if (width === -1) {
      width = cells(line).length;
      tables++;
    } else {
      expect(cells(line), line).toHaveLength(width);
    }
  }
  return tables;
}

describe('formatMarkdown: the demo fixture', () => {
  const md = formatMarkdown(demo());

  it('opens with the target and a bold verdict', () => {
    expect(md.split('\n').slice(0, 6)).toEqual([
      '# Source map exposure: fixtures/demo',
      '',
      '**EXPOSED: first-party original source can be recovered from the source maps (highest severity: critical).**',
      '',
      'Target: `fixtures/demo` (directory)',
      '',
    ]);
  });

  it('gives the headline numbers: 13 sources with content, 712 lines, 24,453 bytes, first-party 609 lines', () => {
    expect(sectionOf(md, 'Headline numbers')).toEqual([
      '| Maps | External | Inline | Index | Invalid | Missing | Orphan | Remote |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |',
      '| Recovered source | Distinct files | Summed over maps |',
      '| --- | ---: | ---: |',
      '| Files with recoverable source | 13 | 13 |',
      '| Lines | 712 | 712 |',
      '| Bytes | 24,453 (23.9 KiB) | 24,453 (23.9 KiB) |',
      '| First-party files | 10 | 10 |',
      '| First-party lines | 609 | 609 |',
      '| First-party bytes | 21,454 (21.0 KiB) | 21,454 (21.0 KiB) |',
      '| Third-party files | 3 | 3 |',
      '| Third-party lines | 103 | 103 |',
      '| Third-party bytes | 2,999 (2.9 KiB) | 2,999 (2.9 KiB) |',
      '| Mapped lines (reached the bundle) | — | 442 |',
      '| Never-mapped lines (types, comments, dead code) | — | 270 |',
      '- Archives opened: 0',
      '- Files scanned: 2; bytes read: 54,550 (53.3 KiB)',
    ]);
  });

  it('groups first-party files by directory, most lines first', () => {
    expect(sectionOf(md, 'Top exposed first-party directories')).toEqual([
      '| Directory | Files | Lines |',
      '| --- | ---: | ---: |',
      '| `__outside__/src` | 5 | 281 |',
      '| `__outside__/src/commands` | 3 | 192 |',
      '| `__outside__/src/api` | 1 | 81 |',
      '| `__outside__/src/util` | 1 | 55 |',
    ]);
  });

  it('lists the top first-party files with lines, bytes and a sha256 prefix', () => {
    const rows = sectionOf(md, 'Top exposed first-party files');
    expect(rows).toHaveLength(12);
    expect(rows.slice(0, 4)).toEqual([
      '| File | Lines | Bytes | SHA-256 |',
      '| --- | ---: | ---: | --- |',
      '| `__outside__/src/cli.ts` | 92 | 2,891 (2.8 KiB) | `69580aee3122` |',
      '| `__outside__/src/commands/deploy.ts` | 86 | 3,606 (3.5 KiB) | `6b599eb28d51` |',
    ]);
    expect(rows[11]).toBe('| `__outside__/src/version.ts` | 21 | 790 B | `2c69fba0389c` |');
    const report = demo();
    const cli = report.files.find((f) => f.path === '__outside__/src/cli.ts')!;
    expect(cli.sha256.startsWith('69580aee3122')).toBe(true);
    // Lines of the listed files add up to the first-party total.
    const listed = rows.slice(2).map((row) => Number(cells(row)[1]!.replace(/,/g, '')));
    expect(listed.reduce((a, b) => a + b, 0)).toBe(609);
  });

  it('names the third-party packages', () => {
    expect(sectionOf(md, 'Third-party packages')).toEqual([
      '| Package | Files | Lines |',
      '| --- | ---: | ---: |',
      '| `tiny-args` | 1 | 39 |',
      '| `@acme-oss/retry` | 1 | 34 |',
      '| `kleur-lite` | 1 | 30 |',
    ]);
  });

  it('lists the leak signals at source:line, and every finding', () => {
    expect(sectionOf(md, 'Leak signals')).toEqual([
      '| Severity | Code | Where | Message |',
      '| --- | --- | --- | --- |',
      '| medium | INTERNAL_URL_IN_SOURCE | `../src/api/client.ts:14` | Recovered source names the internal host api.internal.acme.example (1 occurrence, first at line 14). |',
      '| medium | INTERNAL_URL_IN_SOURCE | `../src/api/client.ts:19` | Recovered source names the internal host localhost (1 occurrence, first at line 19). |',
      '| low | COMMENTS_EXPOSED | `cli.js.map` | 122 comment lines of first-party source (20% of 609 lines) can be read, though the bundle had stripped them. |',
    ]);
    const all = sectionOf(md, 'All findings');
    expect(all).toHaveLength(2 + demo().findings.length);
    expect(all[2]).toBe(
      '| critical | FIRST_PARTY_SOURCE_EXPOSED | `cli.js.map` | 10 first-party source files (609 lines, 21454 bytes) can be recovered from sourcesContent. |',
    );
    expect(all[3]).toBe(
      '| medium | INTERNAL_URL_IN_SOURCE | `cli.js.map` → `../src/api/client.ts:14` | Recovered source names the internal host api.internal.acme.example (1 occurrence, first at line 14). |',
    );
  });

  it('says how to reproduce: the command, the tool version and the schemaVersion', () => {
    expect(sectionOf(md, 'How to reproduce')).toEqual([
      '```sh',
      '# sourcemap-forensics 0.1.0, report schemaVersion 1.0.0',
      'npx sourcemap-forensics scan fixtures/demo --format json',
      '```',
    ]);
    expect(sectionOf(formatMarkdown(demo(), { command: EXAMPLE_COMMAND }), 'How to reproduce')[2]).toBe(EXAMPLE_COMMAND);
    expect(md.endsWith('```\n')).toBe(true);
  });

  it('cuts the top tables at `top` and says what was left out', () => {
    const short = formatMarkdown(demo(), { top: 2 });
    expect(sectionOf(short, 'Top exposed first-party directories').slice(2)).toEqual([
      '| `__outside__/src` | 5 | 281 |',
      '| `__outside__/src/commands` | 3 | 192 |',
      '… and 2 more directories (2 files, 136 lines).',
    ]);
    expect(sectionOf(short, 'Top exposed first-party files').slice(4)).toEqual(['… and 8 more files (431 lines).']);
    expect(sectionOf(short, 'Third-party packages').slice(4)).toEqual(['… and 1 more package (1 file, 30 lines).']);
    expect(sectionOf(formatMarkdown(demo(), { top: 0 }), 'Third-party packages')).toEqual([
      '| Package | Files | Lines |',
      '| --- | ---: | ---: |',
      '… and 3 more packages (3 files, 103 lines).',
    ]);
  });

  it('is deterministic, holds no absolute path, and is well-formed', () => {
    expect(formatMarkdown(demo())).toBe(md);
    expect(formatMarkdown(JSON.parse(JSON.stringify(demo())) as ExposureReport)).toBe(md);
    expect(md).not.toContain(root);
    expect(md).not.toContain(process.cwd());
    expect(md).not.toMatch(/undefined|NaN|\[object/);
    expect(expectWellFormedTables(md)).toBe(7);
  });

  it('is exported by the main entry', () => {
    expect(api.formatMarkdown).toBe(formatMarkdown);
  });
});

describe('formatMarkdown: several reports', () => {
  it('gives one section per report, separated by ---', () => {
    const a = demo();
    const b = scanSync('fixtures/basic/inline');
    const both = formatMarkdown([a, b]);
    expect(both).toBe(`${formatMarkdown(a)}\n---\n\n${formatMarkdown(b)}`);
    expect(both.split('\n').filter((line) => line === '---')).toHaveLength(1);
    expect(both.split('\n').filter((line) => line.startsWith('# Source map exposure: '))).toEqual([
      '# Source map exposure: fixtures/demo',
      '# Source map exposure: fixtures/basic/inline',
    ]);
    expect(formatMarkdown([a])).toBe(formatMarkdown(a));
    expect(formatMarkdown([])).toBe('');
  });
});

describe('formatMarkdown: reports without summary.unique and files[]', () => {
  it('skips what needs them and keeps the rest', () => {
    const report = demo() as Partial<ExposureReport> & ExposureReport;
    delete (report as Partial<ExposureReport>).files;
    delete (report.summary as Partial<ExposureReport['summary']>).unique;
    const md = formatMarkdown(report);
    expect(sectionOf(md, 'Headline numbers').slice(3, 8)).toEqual([
      '| Recovered source | Summed over maps |',
      '| --- | ---: |',
      '| Files with recoverable source | 13 |',
      '| Lines | 712 |',
      '| Bytes | 24,453 (23.9 KiB) |',
    ]);
    expect(md).not.toContain('## Top exposed first-party directories');
    expect(md).not.toContain('## Top exposed first-party files');
    expect(md).not.toContain('## Third-party packages');
    expect(md).toContain('## Leak signals');
    expect(md).toContain('## All findings');
    expect(md).toContain('## How to reproduce');
    expect(md).not.toMatch(/undefined|NaN/);
    expectWellFormedTables(md);
  });
});

describe('formatMarkdown: hostile text', () => {
  const traversal = readFileSync(join(root, 'fixtures/hostile/maps/traversal.js.map'), 'utf8');

  it('renders the traversal corpus as it is: no raw control character, well-formed tables', () => {
    const md = formatMarkdown(scanSync('fixtures/hostile/maps/traversal.js.map'));
    // eslint-disable-next-line no-control-regex
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(expectWellFormedTables(md)).toBeGreaterThanOrEqual(5);
    expect(md).toContain('| `__outside__/tmp/pwned.ts` | 1 | 39 B |');
  });

  // The corpus plus entries that attack Markdown itself: pipes, backticks, a line break, a backslash before a pipe,
  // a bidirectional override. Each is given a line that a detector and the internal-URL signal point at.
  const map = JSON.parse(traversal) as { sources: string[]; sourcesContent: string[] };
  const hostile = ['../../srv/a|b`c``d.ts', 'src/x\n| injected | row |.ts', 'src/back\\|slash.ts', 'src/\u202Egnp.ts'];
  for (const source of hostile) {
    map.sources.push(source);
    map.sourcesContent.push('// canary\nfetch("http://10.0.0.7/v1");\n');
  }
  const canary: Detector = {
    name: 'canary',
    detect: (file) => (file.content.includes('// canary') ? [{ line: 1, column: 0, severity: 'high', message: 'canary | `found`', rule: 'canary' }] : []),
  };
  const report = scanSync(
    { files: [{ name: 'maps/traversal.js.map', data: JSON.stringify(map) }], name: 'drop | `x`\nzone' },
    { detectors: [canary] },
  );
  const md = formatMarkdown(report);

  it('keeps every table row to its columns and hides no character', () => {
    // Maps, recovered source, directories, files, leak signals, all findings (no third-party package here).
    expect(expectWellFormedTables(md)).toBe(6);
    // eslint-disable-next-line no-control-regex
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(md).not.toContain('\n| injected |');
  });

  it('escapes | and backticks in paths and code spans', () => {
    const where = sectionOf(md, 'Leak signals').map((row) => cells(row)[2]);
    // A backtick run inside takes a longer fence; a pipe is `\|`, which GFM turns back into `|` in the cell.
    expect(where).toContain('```../../srv/a\\|b`c``d.ts:1```');
    expect(where).toContain('`src/x\\n\\| injected \\| row \\|.ts:1`');
    // A backslash right before a pipe cannot be written in a code span inside a table: escaped prose instead.
    expect(where).toContain('src/back\\\\\\|slash.ts:1');
    expect(where).toContain('`src/\\u202egnp.ts:2`');
    const all = sectionOf(md, 'All findings').map((row) => cells(row)[2]);
    expect(all).toContain('`maps/traversal.js.map` → ```../../srv/a\\|b`c``d.ts:1```');
  });

  it('escapes messages and the target name', () => {
    expect(md.split('\n')[0]).toBe('# Source map exposure: drop \\| \\`x\\`\\nzone');
    expect(md).toContain('| high | DETECTOR_MATCH | ```../../srv/a\\|b`c``d.ts:1``` | canary: canary \\| \\`found\\` |');
    expect(md).toContain("npx sourcemap-forensics scan $'drop | `x`\\u000azone' --format json");
    expect(md).toContain('is a label, not a path that can be scanned again.');
  });
});

describe('formatMarkdown: secrets', () => {
  const AWS = 'AKIAQWERTYUIOPASDFGH';
  const SECRET = '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';
  const KEY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun';
  const content = [
    '// deploy credentials',
    `export const accessKeyId = "${AWS}";`,
    `export const secretAccessKey = "${SECRET}";`,
    'export const key = `-----BEGIN RSA PRIVATE KEY-----',
    KEY,
    '-----END RSA PRIVATE KEY-----`;',
    '',
  ].join('\n');
  const mapText = JSON.stringify({ version: 3, sources: ['src/deploy.ts'], sourcesContent: [content], names: [], mappings: 'AAAA' });

  it('never prints a secret found in recovered source', async () => {
    const report = await scan({ name: 'app.js.map', bytes: mapText });
    const md = formatMarkdown(report);
    // The scan does find them (secretlint for the secret, the private-key signal for the key)...
    const signals = sectionOf(md, 'Leak signals').map((row) => cells(row).slice(0, 3).join(' '));
    expect(signals).toContain('critical PRIVATE_KEY_IN_SOURCE `src/deploy.ts:4`');
    expect(signals).toContain('critical SECRET_IN_SOURCE `src/deploy.ts:3`');
    // ...and the Markdown names where, never what.
    for (const value of [AWS, SECRET, KEY]) expect(md).not.toContain(value);
    expectWellFormedTables(md);
  });

  it('shows of a SECRET_IN_SOURCE finding its message and rule, never its other args', () => {
    const report = scanSync({ name: 'app.js.map', bytes: mapText });
    const secret: Finding = {
      code: 'SECRET_IN_SOURCE',
      severity: 'critical',
      message: 'A secret (AWS Secret Access Key) is in recovered source at line 3.',
      location: { path: 'app.js.map', source: 'src/deploy.ts', line: 3, column: 31 },
      args: { rule: '@secretlint/secretlint-rule-aws', title: 'AWS Secret Access Key', line: 3, value: SECRET, match: AWS },
    };
    report.findings.unshift(secret);
    const md = formatMarkdown(report);
    for (const value of [AWS, SECRET, KEY]) expect(md).not.toContain(value);
    expect(sectionOf(md, 'Leak signals')).toContain(
      '| critical | SECRET_IN_SOURCE | `src/deploy.ts:3` | A secret (AWS Secret Access Key) is in recovered source at line 3. (rule: @secretlint/secretlint-rule-aws) |',
    );
    // A message that already names its rule does not get it twice.
    secret.message = 'A secret (AWS Secret Access Key, secretlint rule @secretlint/secretlint-rule-aws) is in recovered source at line 3.';
    expect(formatMarkdown(report).match(/secretlint-rule-aws/g)).toHaveLength(2);
  });
});

describe('directoryGroup', () => {
  it.each([
    ['__outside__/src/commands/chat.ts', '__outside__/src/commands'],
    ['__outside__/src/cli.ts', '__outside__/src'],
    ['webpack/app/src/components/Button/index.tsx', 'webpack/app/src/components'],
    ['webpack/src/pages/admin/users/list.tsx', 'webpack/src/pages'],
    ['__outside__/webpack/webpack-escape.ts', '__outside__/webpack'],
    ['packages/core/src/util/deep/x.ts', 'packages/core/src/util'],
    ['tools/build/steps/a/b.ts', 'tools/build'],
    ['lib/index.js', 'lib'],
    ['dist/x.ts', 'dist'],
    ['index.ts', '.'],
  ])('%s → %s', (path, group) => {
    expect(directoryGroup(path)).toBe(group);
  });
});

describe('examples/demo-report.md', () => {
  it('is what formatMarkdown gives for fixtures/demo now', () => {
    const committed = readFileSync(join(root, 'examples/demo-report.md'), 'utf8');
    expect(committed, 'examples/demo-report.md is stale: run npm run build && npm run examples').toBe(
      formatMarkdown(scanSync('fixtures/demo'), { command: EXAMPLE_COMMAND }),
    );
  });
});
