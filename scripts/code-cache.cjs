// Run by tsup after the CLI build (tsup.config.ts, onSuccess): installs the `sourcemap-forensics` command
// (src/cli/bin.cjs -> dist/cli.cjs) and makes dist/cli-main.cache, the V8 code cache of the CLI bundle as a scan of
// the committed demo fixtures leaves it (every function that scan ran, already compiled). The cache fits the Node
// version that made it; any other one refuses it and compiles the bundle as usual. A failure here only leaves no
// cache: the command works without one.
const { spawnSync } = require('node:child_process');
const { chmodSync, copyFileSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const bin = join(dist, 'cli.cjs');
const cache = join(dist, 'cli-main.cache');
copyFileSync(join(root, 'src', 'cli', 'bin.cjs'), bin);
chmodSync(bin, 0o755);
rmSync(cache, { force: true });
const run = spawnSync(process.execPath, [bin, 'scan', join(root, 'fixtures', 'demo'), '--format', 'json'], {
  cwd: root,
  stdio: 'ignore',
  env: { ...process.env, SOURCEMAP_FORENSICS_CODE_CACHE_OUT: cache },
});
const made = run.error === undefined && statSync(cache, { throwIfNoEntry: false }) !== undefined;
process.stdout.write(made ? `code cache: ${statSync(cache).size} bytes\n` : `code cache: not made (${run.error?.message ?? `exit ${run.status}`})\n`);
