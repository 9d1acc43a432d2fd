#!/usr/bin/env node
// Archive benchmark: wall time and peak memory of `sourcemap-forensics scan` on the largest input of each format.
// Inputs are generated once into bench/.data/archives/ (about 1.3 GB on disk): a 300 MB npm-style package whose
// dist/ holds a 60 MB map with full sourcesContent, in .tgz, .tar, .zip, .crx, nested in a zip; and a 1 GiB
// gzip bomb. Needs the system tar and gzip (generation only).
//   node bench/archives.mjs [--runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import { makeBenchData } from '../scripts/make-bench-data.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'bench', '.data', 'archives');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PRELOAD = path.join(ROOT, 'bench', 'maxrss.cjs');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg === -1 ? 3 : Number(process.argv[runsArg + 1]);

function generate() {
  // Added after the first layout; made on its own when an older data set lacks it.
  const mapGz = path.join(DATA, 'cli.js.map.gz');
  if (fs.existsSync(path.join(DATA, 'done'))) {
    if (!fs.existsSync(mapGz)) execFileSync('sh', ['-c', `gzip -6 -c "${path.join(DATA, 'pkg/package/dist/cli.js.map')}" > "${mapGz}"`]);
    return;
  }
  fs.rmSync(DATA, { recursive: true, force: true });
  const pkg = path.join(DATA, 'pkg', 'package');
  fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  fs.mkdirSync(path.join(pkg, 'assets'), { recursive: true });
  // A 60 MB map: the large bench map with its sources repeated under a second prefix until it is big enough.
  const map = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/.data/large.js.map'), 'utf8'));
  const extra = Math.ceil(map.sources.length * 0.4);
  map.sources.push(...map.sources.slice(0, extra).map((s) => `copy/${s}`));
  map.sourcesContent.push(...map.sourcesContent.slice(0, extra));
  fs.writeFileSync(path.join(pkg, 'dist/cli.js.map'), JSON.stringify(map));
  fs.copyFileSync(path.join(ROOT, 'bench/.data/large.js'), path.join(pkg, 'dist/cli.js'));
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"big","version":"1.0.0"}\n');
  // 240 MB of incompressible assets (xorshift), so the package is about 300 MB packed or not.
  let x = 0x9e3779b9;
  for (let n = 0; n < 24; n++) {
    const blob = new Uint32Array((10 * 1024 * 1024) / 4);
    for (let i = 0; i < blob.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      blob[i] = x >>> 0;
    }
    fs.writeFileSync(path.join(pkg, `assets/blob-${n}.bin`), new Uint8Array(blob.buffer));
  }
  execFileSync('tar', ['-cf', path.join(DATA, 'package.tar'), '-C', path.join(DATA, 'pkg'), 'package']);
  execFileSync('sh', ['-c', `gzip -1 -c "${path.join(DATA, 'package.tar')}" > "${path.join(DATA, 'package.tgz')}"`]);
  const files = {};
  const walk = (dir, rel) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
      else files[`${rel}${e.name}`] = [fs.readFileSync(path.join(dir, e.name)), { level: e.name.endsWith('.bin') ? 0 : 1 }];
    }
  };
  walk(pkg, 'package/');
  const zip = zipSync(files);
  fs.writeFileSync(path.join(DATA, 'package.zip'), zip);
  const le32 = (n) => Buffer.from(Uint32Array.of(n).buffer);
  fs.writeFileSync(path.join(DATA, 'package.crx'), Buffer.concat([Buffer.from('Cr24'), le32(3), le32(16), Buffer.alloc(16, 7), zip]));
  execFileSync('sh', ['-c', `gzip -6 -c "${path.join(pkg, 'dist/cli.js.map')}" > "${mapGz}"`]);
  fs.writeFileSync(path.join(DATA, 'nested.zip'), zipSync({ 'release/package.tgz': [fs.readFileSync(path.join(DATA, 'package.tgz')), { level: 0 }] }));
  // 1 GiB gzip bomb: one tar entry of zeros, streamed through gzip so it never sits in memory.
  const header = Buffer.alloc(512);
  header.write('package/huge.js', 0);
  header.write('0000644\0', 100);
  header.write(`${(1024 ** 3).toString(8).padStart(11, '0')}\0`, 124);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const gz = zlib.createGzip({ level: 9 });
  const out = fs.createWriteStream(path.join(DATA, 'bomb.tgz'));
  gz.pipe(out);
  gz.write(header);
  const zeros = Buffer.alloc(16 * 1024 * 1024);
  for (let i = 0; i < 64; i++) gz.write(zeros);
  gz.end(Buffer.alloc(1024));
  return new Promise((resolve) => out.on('close', () => resolve(fs.writeFileSync(path.join(DATA, 'done'), ''))));
}

function measure(file) {
  const rss = path.join(os.tmpdir(), `smf-archive-bench-${process.pid}`);
  const report = `${rss}.json`;
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-r', PRELOAD, CLI, 'scan', file, '--format', 'json', '--output', report], {
      env: { ...process.env, BENCH_MAXRSS_FILE: rss },
      stdio: 'ignore',
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`scan of ${file} exited ${r.status}`);
    samples.push({ ms, mib: Number(fs.readFileSync(rss, 'utf8')) / 1024 });
  }
  const summary = JSON.parse(fs.readFileSync(report, 'utf8')).summary;
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { ms: med(samples.map((s) => s.ms)), mib: med(samples.map((s) => s.mib)), summary };
}

if (!fs.existsSync(CLI)) {
  console.error('dist/cli.js missing: run npm run build');
  process.exit(2);
}
// Generate in a child process: a child forked from a parent that held the data would inherit its peak RSS.
if (process.argv.includes('--generate')) {
  await makeBenchData();
  await generate();
  process.exit(0);
}
const gen = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate'], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}; median of ${RUNS} runs`);
console.log('input                 size MB   wall ms   peak MiB   maps  sources   lines     inflated MB  limit findings');
for (const name of ['package.tgz', 'package.tar', 'package.zip', 'package.crx', 'nested.zip', 'cli.js.map.gz', 'bomb.tgz']) {
  const file = path.join(DATA, name);
  const { ms, mib, summary } = measure(file);
  const size = fs.statSync(file).size / 1e6;
  console.log(
    `${name.padEnd(20)} ${size.toFixed(1).padStart(8)} ${ms.toFixed(0).padStart(9)} ${mib.toFixed(0).padStart(10)} ${String(summary.maps.total).padStart(6)} ${String(summary.sources.total).padStart(8)} ${String(summary.content.lines).padStart(8)} ${(summary.archives.inflatedBytes / 1e6).toFixed(1).padStart(14)}  ${summary.severity}`,
  );
}
