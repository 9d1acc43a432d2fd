import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJson, formatText, scanPackage, scanSync } from '../src/node';

// The CLI is tested as shipped: the built binary, spawned, compared with the library's result.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli.cjs');
const temp = mkdtempSync(join(tmpdir(), 'smf-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A directory with generated code and no map: nothing to report.
const clean = join(temp, 'clean');
mkdirSync(clean);
writeFileSync(join(clean, 'a.js'), 'a();\n');

describe('sourcemap-forensics scan', () => {
  it('prints the text summary the library formats', () => {
    const r = run('scan', 'fixtures/demo');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(formatText(scanSync('fixtures/demo')));
    expect(r.stdout.split('\n')[1]).toBe('EXPOSED: first-party original source can be recovered from source maps [critical]');
  });

  it('prints the library report as JSON', () => {
    const r = run('scan', 'fixtures/demo', '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatJson(scanSync('fixtures/demo'), { compact: true }));
  });

  it('indents the JSON on a terminal (run under script(1), which gives the command a pseudo-terminal)', () => {
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${cli}" scan fixtures/basic/inline --format json`, '/dev/null'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    // The terminal turns each line feed into CR LF.
    const printed = r.stdout.replaceAll('\r\n', '\n');
    expect(printed).toBe(formatJson(scanSync('fixtures/basic/inline')));
    expect(printed.split('\n').length).toBeGreaterThan(100);
  });

  it('prints a JSON array, one report per target, for several targets', () => {
    const r = run('scan', 'fixtures/basic/external', 'fixtures/discovery', '--format', 'json');
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.stdout) as { target: { name: string } }[];
    expect(reports.map((x) => x.target.name)).toEqual(['fixtures/basic/external', 'fixtures/discovery']);
  });

  it('writes --output and nothing on stdout', () => {
    const out = join(temp, 'report.json');
    const r = run('scan', 'fixtures/basic/inline', '--format', 'json', '--output', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(formatJson(scanSync('fixtures/basic/inline'), { compact: true }));
  });

  it('prints nothing with --quiet but keeps the exit code', () => {
    const r = run('scan', 'fixtures/demo', '--quiet', '--fail-on', 'critical');
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', '']);
  });

  it.each([
    ['critical', 'fixtures/demo', 1],
    ['high', 'fixtures/demo', 1],
    ['low', 'fixtures/discovery', 1],
    ['low', clean, 0],
  ])('--fail-on %s on %s exits %i', (level, target, code) => {
    expect(run('scan', target, '--fail-on', level).code).toBe(code);
  });

  it('exits 0 with --fail-on when no finding reaches the level', () => {
    writeFileSync(join(temp, 'third.js.map'), JSON.stringify({ version: 3, sources: ['node_modules/x/i.js'], sourcesContent: ['x'], names: [], mappings: '' }));
    expect(run('scan', join(temp, 'third.js.map'), '--fail-on', 'medium').code).toBe(0);
    expect(run('scan', join(temp, 'third.js.map'), '--fail-on', 'low').code).toBe(1);
  });

  it.each([
    [[], 'missing command'],
    [['scan'], 'scan needs at least one target'],
    [['list', 'x'], 'unknown command "list"'],
    [['scan', 'fixtures/demo', '--format', 'xml'], '--format must be text, json, markdown or sarif'],
    [['diff', 'fixtures/demo'], 'diff takes two report files'],
    [['scan', 'fixtures/demo', '--policy', 'no-such-policy.json'], 'cannot read --policy "no-such-policy.json"'],
    [['scan', 'fixtures/demo', '--fail-on', 'severe'], '--fail-on must be one of'],
    [['scan', 'fixtures/demo', '--colour'], "Unknown option '--colour'"],
  ])('usage error %j exits 2 with one line naming the problem', (args, message) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports an unreadable target, scans the others, and exits 2', () => {
    const r = run('scan', 'fixtures/does-not-exist', 'fixtures/basic/external', '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sourcemap-forensics: cannot read target "fixtures/does-not-exist": ENOENT, no such file or directory\n');
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });

  it('prints help and version', () => {
    expect(run('--help').stdout).toContain('Usage: sourcemap-forensics scan <target...>');
    expect(run('--version')).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`, stderr: '' });
  });

  it('shows no progress when stderr is not a terminal', () => {
    expect(run('scan', 'fixtures/discovery').stderr).toBe('');
  });

  it('scans an archive told by its content, not its name', () => {
    const renamed = join(temp, 'package.bin');
    writeFileSync(renamed, readFileSync(join(root, 'fixtures/archives/acme-agent-3.1.0.tgz')));
    const r = run('scan', renamed, '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatJson(scanSync(renamed), { compact: true }));
    expect(JSON.parse(r.stdout).target).toEqual({ kind: 'archive', name: renamed, format: 'tgz' });
  });

  it('scans what npm would publish with --publishable', async () => {
    const r = run('scan', '--publishable', 'fixtures/packages/acme-agent', '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatJson(await scanPackage('fixtures/packages/acme-agent'), { compact: true }));
    expect(run('scan', '--publishable', 'fixtures/packages/acme-agent-clean', '--fail-on', 'low').code).toBe(0);
    expect(run('scan', '--publishable', 'fixtures/packages/acme-agent', '--fail-on', 'critical').code).toBe(1);
  });

  it('passes limit flags to the scan', () => {
    const r = run('scan', 'fixtures/archives/deep.zip', '--max-depth', '1', '--format', 'json');
    expect(JSON.parse(r.stdout).maps.map((m: { path: string }) => m.path)).toEqual(['level1.js.map']);
    expect(run('scan', 'fixtures/archives/deep.zip', '--max-depth', 'x').stderr).toContain('--max-depth must be a whole number, got "x"');
  });

  it('diffs two reports: text and JSON', () => {
    const v1 = join(temp, 'v1.json');
    const v2 = join(temp, 'v2.json');
    expect(run('scan', 'fixtures/releases/v1', '--format', 'json', '--output', v1).code).toBe(0);
    expect(run('scan', 'fixtures/releases/v2', '--format', 'json', '--output', v2).code).toBe(0);
    const text = run('diff', v1, v2);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').slice(1, 5)).toEqual([
      '1 added (2 lines, 2 first-party), 1 removed (1 lines), 1 changed, 1 unchanged',
      '  + src/c.ts  (2 lines, first-party)',
      '  - src/b.ts  (1 lines)',
      '  ~ src/a.ts  (3 -> 4 lines)',
    ]);
    const json = run('diff', v1, v2, '--format', 'json').stdout;
    expect(JSON.parse(json).summary).toMatchObject({ added: 1, removed: 1, changed: 1 });
    // Off a terminal, on one line.
    expect(json.indexOf('\n')).toBe(json.length - 1);
  });

  it('gates on a policy file: exit 1 with each violation on stderr, 0 when allowed', () => {
    const strict = join(temp, 'strict.json');
    const open = join(temp, 'open.json');
    writeFileSync(strict, JSON.stringify({ maxFirstPartyFiles: 3 }));
    writeFileSync(open, JSON.stringify({ allowPaths: ['src/**'] }));
    const r = run('scan', 'fixtures/chunks', '--policy', strict, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[1]).toBe(
      '  first-party-content  dist/app.js.map  src/a.ts: src/a.ts (3 lines) is exposed by dist/app.js.map; 4 first-party files are exposed, the policy allows 3.',
    );
    expect(run('scan', 'fixtures/chunks', '--policy', open, '--quiet')).toEqual({ code: 0, stdout: '', stderr: '' });
    writeFileSync(open, JSON.stringify({ allowPath: [] }));
    expect(run('scan', 'fixtures/chunks', '--policy', open).stderr).toContain('unknown policy key "allowPath"');
  });

  it('says CLEAN for a target without maps', () => {
    const r = run('scan', clean);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('CLEAN: no source map found');
  });
});
