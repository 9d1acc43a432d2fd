#!/usr/bin/env node
// Archive benchmark: wall time and peak memory of `sourcemap-forensics scan` on the largest input of each format,
// each as a ratio to a reference measured in the same run: the same scan of the package's map alone, unpacked.
// Inputs are generated once into bench/.data/archives/ (about 1.3 GB on disk): a 300 MB npm-style package whose
// dist/ holds a 68 MB map with full sourcesContent, in .tgz, .tar, .zip, .crx, nested in a zip; and a 1 GiB
// gzip bomb. Needs the system tar and gzip (generation only).
//   node bench/archives.mjs [--runs N] [--check] [--cli FILE]
// Runs alternate between the reference and every archive; medians are shown. With --check, exits 1 when an
// archive's peak RSS passes RSS_TARGET times the reference's (an archive should cost little more than its largest
// map). Time ratios are printed for information: inflating 270 MB takes time the map alone does not.
// --cli times another build of the CLI (e.g. one made from an earlier commit) instead of dist/cli.cjs.
// Exit codes: 0 ok; 1 --check and a ratio over its target; 2 usage or the CLI missing; 3 a scan failed.
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
const PRELOAD = path.join(ROOT, 'bench', 'maxrss.cjs');
/** Peak RSS of an archive scan over that of the map alone, at most (what --check enforces). */
const RSS_TARGET = 1.1;
const MAP = path.join(DATA, 'pkg', 'package', 'dist', 'cli.js.map');
const INPUTS = ['package.tgz', 'package.tar', 'package.zip', 'package.crx', 'nested.zip', 'cli.js.map.gz', 'bomb.tgz'];

function parseArgs(argv) {
  const opts = { runs: 3, check: false, generate: false, cli: path.join(ROOT, 'dist', 'cli.cjs') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if (a === '--generate') opts.generate = true;
    else if (a === '--cli') {
      opts.cli = path.resolve(argv[++i] ?? '');
      if (argv[i] === undefined) usage('--cli needs a file');
    }
    else if (a === '--runs') {
      opts.runs = Number(argv[++i]);
      if (!Number.isInteger(opts.runs) || opts.runs < 1) usage('--runs needs a positive integer');
    } else usage(`unknown argument: ${a}`);
  }
  return opts;
}

function usage(message) {
  console.error(`${message}\nusage: node bench/archives.mjs [--runs N] [--check] [--cli FILE]`);
  process.exit(2);
}

const OPTS = parseArgs(process.argv.slice(2));
const CLI = OPTS.cli;

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

/** One whole `scan --format json` process: wall time, peak RSS and the report's summary. */
function measureOnce(file) {
  const rss = path.join(os.tmpdir(), `smf-archive-bench-${process.pid}`);
  const report = `${rss}.json`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', PRELOAD, CLI, 'scan', file, '--format', 'json', '--output', report], {
    env: { ...process.env, BENCH_MAXRSS_FILE: rss },
    stdio: 'ignore',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    console.error(`scan of ${file} exited ${r.status ?? r.signal}`);
    process.exit(3);
  }
  const mib = Number(fs.readFileSync(rss, 'utf8')) / 1024;
  const summary = JSON.parse(fs.readFileSync(report, 'utf8')).summary;
  fs.rmSync(rss, { force: true });
  fs.rmSync(report, { force: true });
  return { ms, mib, summary };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (!fs.existsSync(CLI)) {
  console.error(`${path.relative(ROOT, CLI)} missing: run npm run build`);
  process.exit(2);
}
// Generate in a child process: a child forked from a parent that held the data would inherit its peak RSS.
if (OPTS.generate) {
  await makeBenchData();
  await generate();
  process.exit(0);
}
const gen = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate'], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);

// Alternating: each run measures the reference, then every archive, so drift in the machine's load hits all alike.
const files = [MAP, ...INPUTS.map((name) => path.join(DATA, name))];
const samples = new Map(files.map((file) => [file, []]));
for (let run = 0; run < OPTS.runs; run++) for (const file of files) samples.get(file).push(measureOnce(file));
const result = (file) => {
  const s = samples.get(file);
  return { ms: median(s.map((x) => x.ms)), mib: median(s.map((x) => x.mib)), summary: s[0].summary };
};
const ref = result(MAP);

console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}; median of ${OPTS.runs} runs, alternating`);
console.log(`reference: the map alone, ${(fs.statSync(MAP).size / 1e6).toFixed(1)} MB: ${ref.ms.toFixed(0)} ms, ${ref.mib.toFixed(0)} MiB peak RSS`);
console.log(`peak RSS target: ${RSS_TARGET.toFixed(2)}x the reference${OPTS.check ? ' (checked)' : ''}`);
console.log('');
console.log('input              size MB   wall ms  time x   peak MiB   RSS x   maps  sources    lines  inflated MB  severity');
let over = 0;
for (const name of INPUTS) {
  const file = path.join(DATA, name);
  const { ms, mib, summary } = result(file);
  const size = fs.statSync(file).size / 1e6;
  const rssRatio = mib / ref.mib;
  const bad = rssRatio > RSS_TARGET;
  if (bad) over++;
  console.log(
    [
      name.padEnd(17),
      size.toFixed(1).padStart(8),
      ms.toFixed(0).padStart(9),
      `${(ms / ref.ms).toFixed(2)}x`.padStart(7),
      mib.toFixed(0).padStart(10),
      `${rssRatio.toFixed(2)}x`.padStart(7) + (bad ? '!' : ' '),
      String(summary.maps.total).padStart(5),
      String(summary.sources.total).padStart(8),
      String(summary.content.lines).padStart(8),
      (summary.archives.inflatedBytes / 1e6).toFixed(1).padStart(12),
      ` ${summary.severity}`,
    ].join(' '),
  );
}
if (over > 0) {
  console.log(`\n${over} input(s) over ${RSS_TARGET}x the reference's peak RSS (marked !)`);
  if (OPTS.check) process.exit(1);
}
