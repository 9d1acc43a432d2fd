import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJson, scanSync } from '../src/node';

// The command (src/cli/bin.cjs, built to dist/cli.cjs) runs the bundle from the V8 code cache the build made.
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
// Inside the package, so that the copies find node_modules as dist/ does.
mkdirSync(join(root, '.vitest-tmp'), { recursive: true });
const temp = mkdtempSync(join(root, '.vitest-tmp', 'code-cache-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A copy of dist/ (its .cjs files and the cache), for runs with a cache changed or missing. */
function copyOfDist(name: string): string {
  const dir = join(temp, name, 'dist');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dist).filter((f) => f.endsWith('.cjs') || f.endsWith('.cache'))) copyFileSync(join(dist, f), join(dir, f));
  return dir;
}

/** `scan fixtures/demo --format json` (first-party content: secretlint is imported lazily) with the cache reported. */
function scanDemo(dir: string) {
  const r = spawnSync(process.execPath, [join(dir, 'cli.cjs'), 'scan', 'fixtures/demo', '--format', 'json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SOURCEMAP_FORENSICS_CODE_CACHE: 'report' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the code cache of the command', () => {
  const expected = formatJson(scanSync('fixtures/demo'), { compact: true });

  it('is made by the build and used, lazily imported dependencies included', () => {
    expect(existsSync(join(dist, 'cli-main.cache'))).toBe(true);
    const r = scanDemo(dist);
    expect(r.stderr).toBe('code cache: used\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
  });

  it('is for a bundle of ASCII only, which V8 holds as one-byte text (one other character doubles it)', () => {
    const bundle = readFileSync(join(dist, 'cli-main.cjs'));
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(bundle.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it('is not needed: without it the bundle is compiled as usual', () => {
    const dir = copyOfDist('missing');
    rmSync(join(dir, 'cli-main.cache'));
    const r = scanDemo(dir);
    expect(r.stderr).toBe('code cache: none\n');
    expect(r.stdout).toBe(expected);
  });

  it('is refused when it is not V8 code for this bundle, and the scan goes on the same', () => {
    const dir = copyOfDist('corrupt');
    writeFileSync(join(dir, 'cli-main.cache'), Buffer.alloc(4096, 0x5a));
    const r = scanDemo(dir);
    expect(r.stderr).toBe('code cache: rejected\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
  });
});
