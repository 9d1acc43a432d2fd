#!/usr/bin/env node
// Generates every committed fixture under fixtures/ from inputs written here or in fixtures/inputs/,
// with magic-string (maps whose mappings are known line by line) and esbuild (a real bundle).
// Deterministic: the same inputs and the locked tool versions give byte-identical files.
//   node scripts/make-fixtures.mjs            regenerate fixtures/
//   node scripts/make-fixtures.mjs --out DIR  write to DIR instead (the drift test compares the two)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import MagicString, { Bundle } from 'magic-string';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = outArg === -1 ? join(root, 'fixtures') : resolve(process.argv[outArg + 1]);
const generated = ['demo', 'basic', 'discovery', 'index-map'];

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

console.log(`fixtures written to ${out}`);
