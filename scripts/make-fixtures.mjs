#!/usr/bin/env node
// Generates every committed fixture under fixtures/ from inputs written here or in fixtures/inputs/,
// with magic-string (maps whose mappings are known line by line) and esbuild (a real bundle).
// Deterministic: the same inputs and the locked tool versions give byte-identical files.
//   node scripts/make-fixtures.mjs            regenerate fixtures/
//   node scripts/make-fixtures.mjs --out DIR  write to DIR instead (the drift test compares the two)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { gunzipSync, gzipSync, zipSync } from 'fflate';
import MagicString, { Bundle } from 'magic-string';
import { tar } from './lib/tar-writer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = outArg === -1 ? join(root, 'fixtures') : resolve(process.argv[outArg + 1]);
const generated = ['demo', 'basic', 'discovery', 'index-map', 'packages', 'archives', 'chunks', 'leaks', 'releases'];

const write = (path, data) => {
  const file = join(out, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
};
const json = (value) => `${JSON.stringify(value)}\n`;
const base64 = (text) => Buffer.from(text, 'utf8').toString('base64');

for (const dir of generated) rmSync(join(out, dir), { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// basic/: one map, five representations. Its truth, by construction (see test/fixtures.test.ts):
//   src/app.ts         10 lines, 204 bytes (203 UTF-16 units), first-party; lines 4-6 removed -> 5 mapped (1, 2, 8, 9, 10)
//   src/util.ts         2 lines (no final newline), 59 bytes, first-party, 2 mapped
//   node_modules/left-pad/index.js  3 lines, 68 bytes, third-party, ignore-listed, 3 mapped
//   src/empty.ts        ""   -> has content, 0 lines, 0 bytes
//   /home/alice/work/secret.ts  null content, absolute path in a home directory
const BASIC_SOURCES = {
  'src/app.ts': [
    '// Entry point of the fixture app.',
    "import { pad } from 'left-pad';",
    '',
    'export interface Options {',
    '  width: number;',
    '}',
    '',
    'export function main(options: Options): string {',
    "  return pad('café', options.width);",
    '}',
    '',
  ].join('\n'),
  'src/util.ts': 'export const answer = 42;\nexport const greeting = "hi →";',
  'node_modules/left-pad/index.js': 'export function pad(text, width) {\n  return text.padStart(width);\n}\n',
};

/** One basic source as magic-string would bundle it: app.ts loses its interface (lines 4-6), type-only text. */
function basicSource(filename, code) {
  const s = new MagicString(code);
  if (filename === 'src/app.ts') {
    const start = code.indexOf('export interface');
    s.remove(start, code.indexOf('}\n', start) + 2);
  }
  return { filename, content: s };
}

function basicMap(file) {
  const bundle = new Bundle({ separator: '\n' });
  for (const [filename, code] of Object.entries(BASIC_SOURCES)) bundle.addSource(basicSource(filename, code));
  const map = bundle.generateMap({ file, includeContent: true, hires: true });
  const result = JSON.parse(map.toString());
  result.sources.push('src/empty.ts', '/home/alice/work/secret.ts');
  result.sourcesContent.push('', null);
  result.ignoreList = [result.sources.indexOf('node_modules/left-pad/index.js')];
  return { code: bundle.toString(), map: result };
}

{
  const { code, map } = basicMap('app.js');
  write('basic/external/app.js', `${code}\n//# sourceMappingURL=app.js.map\n`);
  write('basic/external/app.js.map', json(map));
  write('basic/inline/app.js', `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${base64(JSON.stringify(map))}\n`);
  write('basic/inline-percent/app.js', `${code}\n//# sourceMappingURL=data:application/json,${encodeURIComponent(JSON.stringify(map))}\n`);
  const css = basicMap('style.css');
  write('basic/css/style.css', `.app { color: red; }\n/*# sourceMappingURL=style.css.map */\n`);
  write('basic/css/style.css.map', json(css.map));
}

// ---------------------------------------------------------------------------------------------
// index-map/: the basic map split into an index map of two sections (app+util | left-pad, empty, secret).
{
  const first = new Bundle({ separator: '\n' });
  const second = new Bundle({ separator: '\n' });
  for (const [filename, code] of Object.entries(BASIC_SOURCES)) {
    (filename.startsWith('node_modules/') ? second : first).addSource(basicSource(filename, code));
  }
  const a = JSON.parse(first.generateMap({ includeContent: true, hires: true }).toString());
  const b = JSON.parse(second.generateMap({ includeContent: true, hires: true }).toString());
  b.sources.push('src/empty.ts', '/home/alice/work/secret.ts');
  b.sourcesContent.push('', null);
  b.ignoreList = [0];
  const firstLines = first.toString().split('\n').length;
  const code = `${first.toString()}\n${second.toString()}`;
  const index = { version: 3, file: 'app.js', sections: [{ offset: { line: 0, column: 0 }, map: a }, { offset: { line: firstLines, column: 0 }, map: b }] };
  write('index-map/app.js', `${code}\n//# sourceMappingURL=app.js.map\n`);
  write('index-map/app.js.map', json(index));
}

// ---------------------------------------------------------------------------------------------
// discovery/: every way a reference can go, one file each.
{
  const small = (name, content) => ({
    version: 3,
    file: name,
    sources: [`src/${name.replace(/\.(js|css)$/, '.ts')}`],
    sourcesContent: [content],
    names: [],
    mappings: 'AAAA',
  });
  write('discovery/ok.js', 'ok();\n//# sourceMappingURL=ok.js.map\n');
  write('discovery/ok.js.map', json(small('ok.js', 'ok();\n')));
  write('discovery/shared-a.js', 'a();\n//# sourceMappingURL=shared.js.map\n');
  write('discovery/shared-b.js', 'b();\n//@ sourceMappingURL=shared.js.map\n');
  write('discovery/shared.js.map', json(small('shared.js', 'a();\nb();\n')));
  write('discovery/lib/nested.mjs', 'n();\n//# sourceMappingURL=../maps/nested.mjs.map?v=3#x\n');
  write('discovery/maps/nested.mjs.map', json(small('nested.mjs', 'n();\n')));
  write('discovery/orphan.js.map', json(small('orphan.js', 'orphan();\n')));
  write('discovery/missing.js', 'm();\n//# sourceMappingURL=missing.js.map\n');
  write('discovery/remote.js', 'r();\n//# sourceMappingURL=https://cdn.example.com/remote.js.map\n');
  write('discovery/file-url.cjs', 'f();\n//# sourceMappingURL=file:///etc/remote.js.map\n');
  write('discovery/outside.js', 'o();\n//# sourceMappingURL=../../../../etc/passwd\n');
  write('discovery/encoded.js', 'e();\n//# sourceMappingURL=..%2f..%2f..%2fetc%2fpasswd\n');
  write('discovery/absolute.js', 'x();\n//# sourceMappingURL=/etc/passwd\n');
  write('discovery/broken.js', 'b();\n//# sourceMappingURL=broken.js.map\n');
  write('discovery/broken.js.map', '{"version": 3, "sources": [\n');
  write('discovery/invalid.js', 'i();\n//# sourceMappingURL=invalid.js.map\n');
  write('discovery/invalid.js.map', json({ ...small('invalid.js', 'i();\nsecret();\n'), mappings: 'AAAA,$$' }));
  write('discovery/bad-data.js', 'd();\n//# sourceMappingURL=data:application/json;base64,@@@@\n');
  write('discovery/not-last.js', '//# sourceMappingURL=ok.js.map\nlater();\n');
  write('discovery/style.css', '.a{}\n// sourceMappingURL is not a CSS comment:\n//# sourceMappingURL=ok.js.map\n');
  write('discovery/inline.css', `.b{}\n/*# sourceMappingURL=data:application/json;base64,${base64(JSON.stringify(small('inline.css', '.b {}\n')))} */\n`);
  write('discovery/readme.txt', '//# sourceMappingURL=ok.js.map\n');
}

// ---------------------------------------------------------------------------------------------
// demo/: the embedded default of `npm start`. A published-package layout whose cli.js.map carries a small
// first-party TypeScript app and its node_modules dependencies: the March 2026 leak pattern in miniature.
{
  const app = join(root, 'fixtures/inputs/demo-app');
  const result = await build({
    absWorkingDir: app,
    entryPoints: ['src/cli.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Always the committed location (nothing is written there: write is false), so `sources` do not depend on --out.
    outfile: join(root, 'fixtures/demo/cli.js'),
    sourcemap: true,
    sourcesContent: true,
    legalComments: 'none',
    write: false,
    logLevel: 'error',
  });
  for (const file of result.outputFiles) {
    let text = file.text;
    if (file.path.endsWith('.map')) {
      // Paths as a package built from its own root would have them (../src/cli.ts), not this repo's layout.
      const map = JSON.parse(text);
      map.sources = map.sources.map((s) => s.replace(/^\.\.\/inputs\/demo-app\//, '../'));
      text = json(map);
    }
    write(`demo/${file.path.slice(file.path.lastIndexOf('/') + 1)}`, text);
  }
  write(
    'demo/package.json',
    `${JSON.stringify({ name: 'acme-agent', version: '3.1.0', type: 'module', bin: { 'acme-agent': 'cli.js' }, files: ['cli.js', 'cli.js.map'] }, null, 2)}\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// packages/: projects about to be published. acme-agent ships dist/ with its map ("files": ["dist/"]): the leak.
// acme-agent-clean publishes only dist/*.js, so its map stays home (and cli.js points at a map that is missing).
const demoJs = readFileSync(join(out, 'demo/cli.js'));
const demoMap = readFileSync(join(out, 'demo/cli.js.map'));
{
  const pkg = (name, files) => `${JSON.stringify({ name, version: '3.1.0', type: 'module', bin: { 'acme-agent': 'dist/cli.js' }, files }, null, 2)}\n`;
  for (const [dir, files] of [
    ['acme-agent', ['dist/']],
    ['acme-agent-clean', ['dist/*.js']],
  ]) {
    write(`packages/${dir}/package.json`, pkg(dir, files));
    write(`packages/${dir}/README.md`, '# acme-agent\n\nThe Acme deployment agent.\n');
    write(`packages/${dir}/dist/cli.js`, demoJs);
    write(`packages/${dir}/dist/cli.js.map`, demoMap);
    // Sources and tests live next to dist/ but are not published.
    write(`packages/${dir}/src/cli.ts`, readFileSync(join(root, 'fixtures/inputs/demo-app/src/cli.ts')));
    write(`packages/${dir}/test/cli.test.js`, 'import "../dist/cli.js";\n//# sourceMappingURL=cli.test.js.map\n');
    write(`packages/${dir}/test/cli.test.js.map`, json({ version: 3, sources: ['cli.test.ts'], sourcesContent: ['test()\n'], names: [], mappings: 'AAAA' }));
  }
}

// ---------------------------------------------------------------------------------------------
// archives/: the acme-agent package in every container the scanner reads. Each holds the demo map, so each
// must report the demo's figures. The .tgz is real `npm pack` output; the rest are built here deterministically.
{
  const MTIME = new Date('1985-10-26T08:15:00Z');
  mkdirSync(join(out, 'archives'), { recursive: true });
  execFileSync('npm', ['pack', join(out, 'packages/acme-agent'), '--pack-destination', join(out, 'archives'), '--silent'], { stdio: 'pipe' });
  const tgz = readFileSync(join(out, 'archives/acme-agent-3.1.0.tgz'));
  write('archives/acme-agent-3.1.0.tar', gunzipSync(tgz));
  const packageFiles = {
    'package/package.json': readFileSync(join(out, 'packages/acme-agent/package.json')),
    'package/README.md': readFileSync(join(out, 'packages/acme-agent/README.md')),
    'package/dist/cli.js': demoJs,
    'package/dist/cli.js.map': demoMap,
  };
  const bytes = (v) => (typeof v === 'string' ? new TextEncoder().encode(v) : new Uint8Array(v));
  const zip = (files) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [bytes(v), { mtime: MTIME }]])), { level: 6 });
  const packageZip = zip(packageFiles);
  write('archives/acme-agent.zip', packageZip);
  write(
    'archives/acme-agent.vsix',
    zip({
      '[Content_Types].xml': '<?xml version="1.0" encoding="utf-8"?><Types/>\n',
      'extension.vsixmanifest': '<PackageManifest Version="2.0.0"/>\n',
      'extension/package.json': packageFiles['package/package.json'],
      'extension/dist/cli.js': demoJs,
      'extension/dist/cli.js.map': demoMap,
    }),
  );
  write('archives/acme-agent.jar', zip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', 'static/cli.js': demoJs, 'static/cli.js.map': demoMap }));
  write('archives/acme-agent.xpi', zip({ 'manifest.json': '{"manifest_version": 2}\n', 'cli.js': demoJs, 'cli.js.map': demoMap }));
  write('archives/acme_agent-3.1.0-py3-none-any.whl', zip({ 'acme_agent/static/cli.js': demoJs, 'acme_agent/static/cli.js.map': demoMap, 'acme_agent-3.1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\n' }));
  const le32 = (n) => Uint8Array.of(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255);
  const cat = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
  const extension = zip({ 'manifest.json': '{"manifest_version": 3}\n', 'cli.js': demoJs, 'cli.js.map': demoMap });
  // CRX3: "Cr24", version 3, header length, a (here fake) protobuf header, then the zip.
  const crx3Header = new Uint8Array(32).fill(7);
  write('archives/acme-agent.crx', cat('Cr24', le32(3), le32(crx3Header.length), crx3Header, extension));
  // CRX2: "Cr24", version 2, key length, signature length, key, signature, then the zip.
  write('archives/acme-agent-crx2.crx', cat('Cr24', le32(2), le32(16), le32(8), new Uint8Array(16).fill(1), new Uint8Array(8).fill(2), extension));
  write('archives/cli.js.map.gz', gzipSync(demoMap, { level: 9, mtime: MTIME }));

  // Nested: the npm tarball inside a zip; and four levels deep, where the fourth is past the default depth of 3.
  write('archives/nested.zip', zip({ 'release/acme-agent-3.1.0.tgz': tgz, 'docs/readme.txt': 'release notes\n' }));
  const small = (name, content) => json({ version: 3, file: name, sources: [`src/${name}.ts`], sourcesContent: [content], names: [], mappings: 'AAAA' });
  const level4 = gzipSync(tar([{ name: 'package/level4.js.map', data: small('level4', 'four\n') }]), { mtime: MTIME });
  const level3 = zip({ 'level3.js.map': small('level3', 'three\n'), 'inner/level4.tgz': level4 });
  const level2 = zip({ 'level2.js.map': small('level2', 'two\n'), 'inner/level3.zip': level3 });
  write('archives/deep.zip', zip({ 'level1.js.map': small('level1', 'one\n'), 'inner/level2.zip': level2 }));

  // Tar edge cases, by construction: a later duplicate wins; PAX path, GNU long name, ustar prefix and PAX size are
  // honoured; links and directories are not files.
  const long = (c) => `package/${c.repeat(120)}`;
  write(
    'archives/edge-cases.tar',
    tar([
      { name: 'package/dir', type: '5' },
      { name: 'package/dup.js.map', data: small('dup-first', 'first\n') },
      { name: `${long('x')}/pax.js.map`, data: small('pax', 'p\n'), pax: true },
      { name: `${long('y')}/gnu.js.map`, data: small('gnu', 'g\n'), longName: true },
      { name: 'prefix.js.map', prefix: `package/${'z'.repeat(100)}`, data: small('prefix', 'u\n') },
      { name: 'package/sized.js.map', data: small('sized', 's1\ns2\n'), paxSize: Buffer.byteLength(small('sized', 's1\ns2\n')) },
      { name: 'package/link.js.map', type: '2', linkname: 'dup.js.map' },
      { name: 'package/hard.js.map', type: '1', linkname: 'package/dup.js.map' },
      { name: 'package/dup.js.map', data: small('dup-second', 'second\nline\n') },
    ]),
  );

  // Hostile: gzip and zip bombs (64 MiB of zeros, ratio ~1000), a truncated tarball, a broken header checksum.
  const zeros = new Uint8Array(64 * 1024 * 1024);
  write('archives/bomb.tgz', gzipSync(tar([{ name: 'package/ok.js.map', data: small('ok', 'ok\n') }, { name: 'package/huge.js', data: zeros }]), { level: 9, mtime: MTIME }));
  write('archives/bomb.zip', zipSync({ 'ok.js.map': [bytes(small('ok', 'ok\n')), { mtime: MTIME }], 'huge.js': [zeros, { mtime: MTIME, level: 9 }] }));
  write('archives/truncated.tgz', tgz.subarray(0, Math.floor(tgz.length * 0.6)));
  const broken = tar([
    { name: 'package/first.js.map', data: small('first', 'one\n') },
    { name: 'package/second.js.map', data: small('second', 'two\n') },
  ]);
  broken[1024 + 148] ^= 1; // the second header's checksum
  write('archives/bad-checksum.tar', broken);
}

// ---------------------------------------------------------------------------------------------
// chunks/: a bundle split into chunks whose maps repeat sources. By construction (lines):
//   src/a.ts 3, src/b.ts 2, src/shared.ts 4 (in app and b), src/shared.ts 5 (another version, in c),
//   node_modules/lib/index.js 2 (in app and b). Sums over maps: 3+4+2 + 2+4+2 + 5 = 22 lines;
//   distinct (path, sha256): a 3, b 2, shared 4, shared' 5, lib 2 = 16 lines, 5 files, 4 first-party (14 lines).
{
  const shared = 'export const shared = 1;\n// used by every chunk\nexport const twice = 2;\nexport const thrice = 3;\n';
  const sharedV2 = `${shared}export const added = 4;\n`;
  const lib = 'module.exports = 1;\nmodule.exports.two = 2;\n';
  const chunk = (name, sources) =>
    json({ version: 3, file: name, sources: sources.map(([s]) => s), sourcesContent: sources.map(([, c]) => c), names: [], mappings: 'AAAA' });
  write('chunks/dist/app.js', 'app();\n//# sourceMappingURL=app.js.map\n');
  write('chunks/dist/app.js.map', chunk('app.js', [['../src/a.ts', 'const a = 1;\nconst b = 2;\nexport { a, b };\n'], ['../src/shared.ts', shared], ['../node_modules/lib/index.js', lib]]));
  write('chunks/dist/chunks/b.js', 'b();\n//# sourceMappingURL=b.js.map\n');
  write('chunks/dist/chunks/b.js.map', chunk('b.js', [['../../src/b.ts', 'export const b = 2;\nexport default b;\n'], ['../../src/shared.ts', shared], ['../../node_modules/lib/index.js', lib]]));
  write('chunks/dist/chunks/c.js', 'c();\n//# sourceMappingURL=c.js.map\n');
  write('chunks/dist/chunks/c.js.map', chunk('c.js', [['../../src/shared.ts', sharedV2]]));
}

// ---------------------------------------------------------------------------------------------
// leaks/: planted test secrets and signals at known lines of first-party source (all fake, made to match the
// detectors' formats): config.ts line 4 a GitHub token, line 7 a Slack token, line 10 a private key header,
// line 15 an internal URL; vendor code with a token that must not be reported (third-party).
{
  const ghp = `ghp_${'FAKE0TOKEN0FOR0SOURCEMAP0FORENSICS'.padEnd(36, '0')}`;
  const slack = ['xoxb', '123456789012', '1234567890123', 'FakeTokenForTests00000000'].join('-');
  const config = [
    '// Configuration of the internal build.',
    '// NOTE: rotate these before launch.',
    'export const settings = {',
    `  githubToken: '${ghp}',`,
    '  retries: 3,',
    '  // the bot that posts deploy notices',
    `  slackToken: '${slack}',`,
    '};',
    'export const signingKey = `',
    '-----BEGIN RSA PRIVATE KEY-----',
    'RkFLRSBLRVkgRk9SIFRFU1RTIE9OTFkgLSBOT1QgQSBSRUFMIEtFWQ==',
    '-----END RSA PRIVATE KEY-----',
    '`;',
    '/* where the admin console lives */',
    "export const admin = 'http://10.0.12.7:8080/admin';",
    '',
  ].join('\n');
  const vendor = `module.exports = { token: '${ghp}' };\n`;
  write('leaks/app.js', 'app();\n//# sourceMappingURL=app.js.map\n');
  write('leaks/app.js.map', json({ version: 3, file: 'app.js', sources: ['src/config.ts', 'node_modules/vendor/index.js'], sourcesContent: [config, vendor], names: [], mappings: 'AAAA' }));
}

// ---------------------------------------------------------------------------------------------
// releases/: two releases of one package, for diffs. v1 -> v2: src/a.ts changed (3 -> 4 lines), src/b.ts removed,
// src/c.ts added, src/same.ts unchanged.
{
  const release = (name, sources) => json({ version: 3, file: 'cli.js', sources: Object.keys(sources), sourcesContent: Object.values(sources), names: [], mappings: 'AAAA' });
  write('releases/v1/cli.js.map', release('v1', { 'src/a.ts': 'a1\na2\na3\n', 'src/b.ts': 'b1\n', 'src/same.ts': 's\n' }));
  write('releases/v2/cli.js.map', release('v2', { 'src/a.ts': 'a1\na2\na3\na4\n', 'src/c.ts': 'c1\nc2\n', 'src/same.ts': 's\n' }));
}

console.log(`fixtures written to ${out}`);
