import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSources, formatJson, scanSync } from '../src/node';
import type { ExposureReport } from '../src/node';

// Every class of hostile input (fixtures/hostile, made by scripts/make-hostile.mjs, plus the bombs and damaged
// archives of fixtures/archives) goes through the API and the spawned CLI, both with --extract into a sandbox:
// exit codes 0/1/2 only, no stack trace, findings with the right codes, and nothing created outside the output.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli.cjs');
const sandboxes = mkdtempSync(join(tmpdir(), 'smf-hostile-'));
afterAll(() => rmSync(sandboxes, { recursive: true, force: true }));

interface Case {
  /** Fixture path relative to fixtures/. */
  file: string;
  /** Finding codes the report must contain. */
  codes: string[];
  /** Extra checks on the report. */
  check?: (report: ExposureReport) => void;
}

const CASES: Case[] = [
  { file: 'hostile/maps/not-json.js.map', codes: ['MAP_UNREADABLE'] },
  { file: 'hostile/maps/bad-vlq.js.map', codes: ['FIRST_PARTY_SOURCE_EXPOSED', 'MAP_SPEC_VIOLATION'], check: (r) => expect(r.maps[0]!.diagnostics[0]!.code).toBe('MAPPINGS_BAD_CHARACTER') },
  { file: 'hostile/maps/huge-vlq.js.map', codes: ['MAP_SPEC_VIOLATION'], check: (r) => expect(r.maps[0]!.diagnostics.map((d) => d.code)).toContain('MAPPINGS_VLQ_OVERFLOW') },
  {
    file: 'hostile/maps/index-range.js.map',
    codes: ['MAP_SPEC_VIOLATION'],
    // Source index 16 is relative, so it stays out of range for every later segment.
    check: (r) =>
      expect(r.maps[0]!.diagnostics.map((d) => `${d.code}@${d.offset}`)).toEqual([
        'MAPPINGS_SOURCE_INDEX_RANGE@5',
        'MAPPINGS_NAME_INDEX_RANGE@5',
        'MAPPINGS_SOURCE_INDEX_RANGE@12',
        'MAPPINGS_NAME_INDEX_RANGE@12',
        'MAPPINGS_SOURCE_INDEX_RANGE@18',
      ]),
  },
  { file: 'hostile/maps/mismatched.js.map', codes: ['FIRST_PARTY_SOURCE_EXPOSED'], check: (r) => expect(r.summary.sources).toMatchObject({ total: 3, withContent: 1 }) },
  { file: 'hostile/maps/extra-content.js.map', codes: ['FIRST_PARTY_SOURCE_EXPOSED'], check: (r) => expect(r.summary.content.lines).toBe(1) },
  { file: 'hostile/maps/non-string.js.map', codes: ['MAP_SPEC_VIOLATION'], check: (r) => expect(r.summary.sources).toMatchObject({ total: 5, withContent: 2 }) },
  {
    file: 'hostile/maps/proto.js.map',
    codes: ['FIRST_PARTY_SOURCE_EXPOSED'],
    check: (r) => expect(r.maps[0]!.files.map((f) => f.source)).toEqual(['__proto__', 'constructor', 'prototype', 'hasOwnProperty']),
  },
  { file: 'hostile/maps/deep.js.map', codes: ['FIRST_PARTY_SOURCE_EXPOSED'], check: (r) => expect(r.maps[0]!.valid).toBe(true) },
  { file: 'hostile/maps/invalid-utf8.js.map', codes: ['MAP_ENCODING_INVALID'] },
  {
    file: 'hostile/maps/many-errors.js.map',
    codes: ['MAP_SPEC_VIOLATION'],
    check: (r) => {
      expect(r.maps[0]!.diagnostics).toHaveLength(101);
      expect(r.maps[0]!.diagnostics.at(-1)!.code).toBe('TOO_MANY_DIAGNOSTICS');
    },
  },
  { file: 'hostile/maps/traversal.js.map', codes: ['FIRST_PARTY_SOURCE_EXPOSED', 'ABSOLUTE_SOURCE_PATHS'] },
  { file: 'hostile/generated/broken-data.js', codes: ['MAP_UNREADABLE'] },
  { file: 'hostile/generated/bad-json-data.js', codes: ['MAP_UNREADABLE'] },
  { file: 'hostile/generated/outside.js', codes: ['MAP_URL_OUTSIDE_TARGET'] },
  { file: 'hostile/generated/absolute.js', codes: ['MAP_URL_OUTSIDE_TARGET'] },
  { file: 'hostile/generated/encoded.js', codes: ['MAP_URL_OUTSIDE_TARGET'] },
  { file: 'hostile/generated/remote.js', codes: ['MAP_REMOTE'] },
  { file: 'hostile/archives/traversal.zip', codes: ['FIRST_PARTY_SOURCE_EXPOSED'], check: (r) => expect(r.maps).toHaveLength(4) },
  { file: 'hostile/archives/links.tar', codes: ['MAP_MISSING'], check: (r) => expect(r.maps.map((m) => m.path)).toEqual(['package/real.js.map']) },
  { file: 'hostile/archives/lying-sizes.zip', codes: ['ARCHIVE_CORRUPT', 'FIRST_PARTY_SOURCE_EXPOSED'] },
  { file: 'hostile/archives/bad-version.crx', codes: ['ARCHIVE_CORRUPT'] },
  { file: 'hostile/archives/nested6.zip', codes: ['ARCHIVE_LIMIT'], check: (r) => expect(r.maps).toHaveLength(3) },
  { file: 'archives/bomb.tgz', codes: ['ARCHIVE_LIMIT'], check: (r) => expect(r.summary.archives.inflatedBytes).toBeLessThan(40 * 1024 * 1024) },
  { file: 'archives/bomb.zip', codes: ['ARCHIVE_LIMIT'], check: (r) => expect(r.summary.archives.inflatedBytes).toBeLessThan(40 * 1024 * 1024) },
  { file: 'archives/truncated.tgz', codes: ['ARCHIVE_CORRUPT'] },
  { file: 'archives/bad-checksum.tar', codes: ['ARCHIVE_CORRUPT'] },
];

/** Every entry below `dir` with its type (and size for files), links included as links. */
function snapshot(dir: string, skip: string | null = null): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (path === skip) continue;
      const s = lstatSync(path);
      const rel = relative(dir, path);
      if (s.isSymbolicLink()) out.push(`link ${rel}`);
      else if (s.isDirectory()) {
        out.push(`dir ${rel}`);
        walk(path);
      } else out.push(`${s.isFile() ? 'file' : 'other'} ${rel} ${s.size}`);
    }
  };
  walk(dir);
  return out.sort();
}

/** Places the attack names aim at outside the sandbox; none may appear. */
const TARGETS = ['pwned.ts', 'pwned-encoded.ts', 'zip-pwned.ts', 'evil.js.map', 'webpack-escape.ts', 'fullwidth.ts'].map((f) => join(tmpdir(), f));
const before = new Map(TARGETS.map((t) => [t, existsSync(t)]));
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

/** A fresh sandbox with a canary file next to where the output goes. */
function sandbox(name: string): { dir: string; out: string } {
  const dir = join(sandboxes, name.replace(/[^\w.-]/g, '_'));
  mkdirSync(join(dir, 'canary'), { recursive: true });
  writeFileSync(join(dir, 'canary', 'keep.txt'), 'canary\n');
  return { dir, out: join(dir, 'out') };
}

/** The output holds only regular files and folders, all inside it. */
function expectContained(out: string): void {
  for (const entry of snapshot(out)) {
    expect(entry.startsWith('file ') || entry.startsWith('dir ')).toBe(true);
    const rel = entry.split(' ')[1]!;
    expect(rel.startsWith('..') || rel.includes(`${sep}..${sep}`)).toBe(false);
  }
}

describe('hostile input, through the API', () => {
  it.each(CASES)('$file', async ({ file, codes, check }) => {
    const path = join(root, 'fixtures', file);
    const report = scanSync(path);
    for (const code of codes) expect(report.findings.map((f) => f.code)).toContain(code);
    check?.(report);
    // Plain JSON: serialisable and stable.
    expect(JSON.parse(formatJson(report))).toEqual(JSON.parse(JSON.stringify(report)));

    const { dir, out } = sandbox(`api-${file}`);
    const outside = snapshot(dir, out);
    const { manifest } = await extractSources(path, out);
    expect(snapshot(dir, out)).toEqual(outside);
    expectContained(out);
    // Every source of every measured map is accounted for: written or skipped with a reason.
    expect(manifest.summary.written + manifest.summary.skipped).toBe(report.summary.sources.total);
    for (const w of manifest.written) expect(readFileSync(join(out, ...w.path.split('/'))).length).toBe(w.bytes);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps every traversal name inside, under __outside__, with the reason in the manifest', async () => {
    const { out } = sandbox('traversal-detail');
    const { manifest } = await extractSources(join(root, 'fixtures/hostile/maps/traversal.js.map'), out);
    const byIndex = new Map(manifest.written.map((w) => [w.index, w]));
    expect(byIndex.get(0)).toMatchObject({ path: '__outside__/tmp/pwned.ts', notes: ['parent-traversal'] });
    expect(byIndex.get(1)).toMatchObject({ path: '__outside__/pwned-encoded.ts', notes: ['decoded', 'parent-traversal'] });
    expect(byIndex.get(2)).toMatchObject({ path: '__outside__/etc/passwd', notes: ['absolute'] });
    expect(byIndex.get(3)).toMatchObject({ path: '__outside__/C/Windows/win.ini', notes: ['absolute'] });
    expect(byIndex.get(4)).toMatchObject({ path: '__outside__/server/share/unc.ts', notes: ['absolute'] });
    expect(byIndex.get(5)).toMatchObject({ path: 'nul_byte.ts', notes: ['invalid-characters'] });
    expect(byIndex.get(6)).toMatchObject({ path: '__outside__/fullwidth.ts', notes: ['normalized', 'parent-traversal'] });
    expect(byIndex.get(7)).toMatchObject({ path: '__outside__/webpack/webpack-escape.ts', notes: ['parent-traversal', 'scheme'] });
    expect(byIndex.get(8)).toMatchObject({ path: 'file/etc/shadow', notes: ['scheme'] });
    expect(byIndex.get(9)).toMatchObject({ path: 'CON_', notes: ['reserved-name'] });
    expect(byIndex.get(10)).toMatchObject({ path: 'aux_.ts', notes: ['reserved-name'] });
    expect(byIndex.get(11)).toMatchObject({ path: 'trailing__', notes: ['trailing-dot-or-space'] });
    expect(byIndex.get(12)!.notes).toEqual(['too-long']);
    expect(Buffer.byteLength(byIndex.get(12)!.path)).toBeLessThanOrEqual(200);
    // dup.ts, DUP.ts (other content, same name where case is ignored) and dup.ts again (other content again).
    expect(byIndex.get(13)).toMatchObject({ path: 'dup.ts', notes: [] });
    expect(byIndex.get(14)).toMatchObject({ path: 'DUP~2.ts', notes: ['renamed'] });
    expect(byIndex.get(15)).toMatchObject({ path: 'dup~3.ts', notes: ['renamed'] });
    expect(byIndex.get(16)).toMatchObject({ path: 'dir' });
    expect(manifest.skipped).toEqual([{ source: 'dir/inside.ts', map: 'traversal.js.map', index: 17, reason: 'path-conflict' }]);
    for (const t of TARGETS) expect(existsSync(t)).toBe(before.get(t));
  });

  it('never follows a link planted in the output folder', async () => {
    const { dir, out } = sandbox('planted-link');
    mkdirSync(out);
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(dir, 'canary'), join(out, '__outside__'));
    const outside = snapshot(dir, out);
    const { manifest } = await extractSources(join(root, 'fixtures/hostile/maps/traversal.js.map'), out, { force: true });
    expect(snapshot(dir, out)).toEqual(outside);
    expect(readdirSync(join(dir, 'canary'))).toEqual(['keep.txt']);
    expect(manifest.skipped.filter((s) => s.reason === 'unsafe-existing-path').map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 6, 7]);
  });

  it('refuses an output folder that is not empty, or is a link', async () => {
    const { dir, out } = sandbox('refusals');
    mkdirSync(out);
    writeFileSync(join(out, 'x'), 'x');
    await expect(extractSources(join(root, 'fixtures/demo'), out)).rejects.toMatchObject({ code: 'OUTPUT_NOT_EMPTY' });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(dir, 'canary'), join(dir, 'link-out'));
    await expect(extractSources(join(root, 'fixtures/demo'), join(dir, 'link-out'), { force: true })).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
  });
});

describe('hostile input, through the spawned CLI with --extract', () => {
  it.each(CASES)('$file', async ({ file, codes }) => {
    const path = join(root, 'fixtures', file);
    const { dir, out } = sandbox(`cli-${file}`);
    const outside = snapshot(dir, out);
    const r = spawnSync(process.execPath, [cli, 'scan', path, '--extract', out, '--format', 'json', '--fail-on', 'critical'], { encoding: 'utf8' });
    expect([0, 1, 2]).toContain(r.status);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('internal error');
    const report = JSON.parse(r.stdout) as ExposureReport;
    for (const code of codes) expect(report.findings.map((f) => f.code)).toContain(code);
    expect(r.status).toBe(report.summary.severity === 'critical' ? 1 : 0);
    expect(snapshot(dir, out)).toEqual(outside);
    expectContained(out);
    const { manifest } = await extractSources(path, join(dir, 'api-out'));
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('exits 2 with one line when the output folder is refused', () => {
    const { out } = sandbox('cli-refused');
    mkdirSync(out);
    writeFileSync(join(out, 'x'), 'x');
    const r = spawnSync(process.execPath, [cli, 'scan', join(root, 'fixtures/demo'), '--extract', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`sourcemap-forensics: the output folder "${out}" is not empty; choose an empty one or pass --force`]);
  });
});
