import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The examples run as a user would run them: `node examples/x.mjs`, importing the built package by name.
const root = fileURLToPath(new URL('..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'smf-examples-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const run = (script: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'examples', script), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('examples/prepublish-guard.mjs', () => {
  it('fails a dist that exposes first-party source, naming each file', () => {
    const r = run('prepublish-guard.mjs', 'fixtures/demo');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('prepublish-guard: fixtures/demo exposes 10 first-party source files (609 lines) through source maps:');
    expect(r.stderr).toContain('  cli.js.map: ../src/feature-flags.ts (52 lines)');
  });

  it('passes a dist whose maps carry only third-party content', () => {
    writeFileSync(join(temp, 'vendor.js.map'), JSON.stringify({ version: 3, sources: ['node_modules/x/i.js'], sourcesContent: ['x'], names: [], mappings: '' }));
    const r = run('prepublish-guard.mjs', temp);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`prepublish-guard: ${temp} is clean (1 maps, no first-party source content).\n`);
  });

  it('exits 2 on a directory that does not exist', () => {
    expect(run('prepublish-guard.mjs', join(temp, 'nope')).code).toBe(2);
  });
});

describe('examples/incident-response.mjs', () => {
  it('prints counts and every recoverable file with its hash', () => {
    const r = run('incident-response.mjs', 'fixtures/demo/cli.js.map');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const mapBytes = readFileSync(join(root, 'fixtures/demo/cli.js.map'));
    expect(lines.slice(0, 6)).toEqual([
      'target\tfixtures/demo/cli.js.map',
      'maps\t1',
      `map\t${createHash('sha256').update(mapBytes).digest('hex')}\t${mapBytes.length}\tcli.js.map`,
      'sources\t13\t(with content 13, first-party 10, third-party 3)',
      'lines\t712\t(first-party 609, third-party 103)',
      'bytes\t24453\t(first-party 21454, third-party 2999)',
    ]);
    const rows = lines.slice(7).map((l) => l.split('\t'));
    expect(rows).toHaveLength(13);
    const map = JSON.parse(mapBytes.toString('utf8')) as { sources: string[]; sourcesContent: string[] };
    for (const [hash, , bytes, party, , path] of rows) {
      const content = map.sourcesContent[map.sources.indexOf(path!)]!;
      expect([hash, Number(bytes), party]).toEqual([
        createHash('sha256').update(content).digest('hex'),
        Buffer.byteLength(content),
        path!.includes('node_modules/') ? 'third' : 'first',
      ]);
    }
  });
});
