#!/usr/bin/env node
// Generates the benchmark source maps in bench/.data/ (git-ignored):
//   large.js.map  (>= 40 MB, ~2.9k sources)  monaco-editor (+ workers) + rxjs + lodash-es + date-fns
//   medium.js.map (~4.5 MB, ~1.7k sources)   rxjs + lodash-es + date-fns (+ locales)
//   small.js.map  (~115 KB, ~100 sources)    a handful of lodash-es functions
//   many/         ~300 bundles with their maps, one per module of lodash-es, date-fns and rxjs (makeManyData)
// Real bundles rather than synthetic maps, so the benchmark sees realistic
// mappings density, source-path shapes (../../node_modules/...) and sourcesContent.
// Inputs are pinned devDependencies in node_modules, so this runs offline and is
// reproducible. Usage: node scripts/make-bench-data.mjs [--force] [--many]
import { build, version as esbuildVersion } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'bench', '.data');
const MANIFEST = path.join(DATA, 'manifest.json');

// Entry files are written into bench/.data/ so that bare specifiers resolve
// against the repo's node_modules and the map's `sources` are short relative paths.
// vite is deliberately not used: its client bundle imports the virtual module
// "@vite/env" and relies on dev-server defines, so it does not bundle standalone.
export const ENTRIES = {
  large: [
    // The full ESM API: editor core, all basic languages, LSP client.
    "export * as monaco from 'monaco-editor';",
    // Workers pull in typescriptServices (~9 MB) and lib.d.ts texts (~3 MB); without
    // them the map is only ~20 MB.
    "export * as tsWorker from 'monaco-editor/language/typescript/ts.worker.js';",
    "export * as cssWorker from 'monaco-editor/language/css/css.worker.js';",
    "export * as htmlWorker from 'monaco-editor/language/html/html.worker.js';",
    "export * as jsonWorker from 'monaco-editor/language/json/json.worker.js';",
    "export * as editorWorker from 'monaco-editor/editor/editor.worker.js';",
    // Many small modules: pushes the source count into the thousands.
    "export * as rxjs from 'rxjs';",
    "export * as rxOperators from 'rxjs/operators';",
    "export * as rxAjax from 'rxjs/ajax';",
    "export * as rxWebSocket from 'rxjs/webSocket';",
    "export * as rxTesting from 'rxjs/testing';",
    "export * as lodash from 'lodash-es';",
    "export * as dateFns from 'date-fns';",
    "export * as dateFnsLocales from 'date-fns/locale';",
  ],
  medium: [
    // ~4.5 MB: the three pure-JS libraries; locales double date-fns' share.
    "export * as rxjs from 'rxjs';",
    "export * as rxOperators from 'rxjs/operators';",
    "export * as lodash from 'lodash-es';",
    "export * as dateFns from 'date-fns';",
    "export * as dateFnsLocales from 'date-fns/locale';",
  ],
  small: [
    // ~115 KB: tree-shaking keeps only these functions and their internal helpers.
    "export { debounce, throttle, chunk, uniq, pick } from 'lodash-es';",
  ],
};

const PACKAGES = ['monaco-editor', 'rxjs', 'lodash-es', 'date-fns'];

const OPTIONS = {
  bundle: true,
  minify: true, // production-shaped output: one long line, dense VLQ mappings
  format: 'esm',
  // 'browser' (not 'neutral'): neutral ignores package.json "main", which lodash-es needs,
  // and monaco targets browsers anyway.
  platform: 'browser',
  sourcemap: 'external', // map in its own file, as shipped by most build tools
  sourcesContent: true, // full original sources: the worst case for size and for a scanner
  // monaco's ESM imports .css/.ttf; their content is irrelevant to a JS source map.
  loader: { '.css': 'empty', '.ttf': 'empty' },
  logLevel: 'warning',
};

function pkgVersion(name) {
  // Read directly: some "exports" maps (monaco-editor's) do not expose ./package.json.
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Everything that determines the output; a mismatch triggers regeneration. */
function inputsKey() {
  const packages = Object.fromEntries(PACKAGES.map((p) => [p, pkgVersion(p)]));
  const { logLevel, ...options } = OPTIONS;
  return { esbuild: esbuildVersion, packages, options, entries: ENTRIES };
}

function describe(name) {
  const file = path.join(DATA, `${name}.js.map`);
  const bytes = fs.statSync(file).size;
  const sources = JSON.parse(fs.readFileSync(file, 'utf8')).sources.length;
  return `${name.padEnd(6)} ${(bytes / 1e6).toFixed(2).padStart(7)} MB  ${String(sources).padStart(5)} sources  ${path.relative(ROOT, file)}`;
}

/** Ensures bench/.data/{large,medium,small}.js.map exist and match the current inputs. */
export async function makeBenchData({ force = false, quiet = false } = {}) {
  const log = quiet ? () => {} : (s) => console.log(s);
  const key = inputsKey();
  const names = Object.keys(ENTRIES);
  const upToDate =
    !force &&
    fs.existsSync(MANIFEST) &&
    names.every((n) => fs.existsSync(path.join(DATA, `${n}.js.map`))) &&
    JSON.stringify(JSON.parse(fs.readFileSync(MANIFEST, 'utf8')).inputs) === JSON.stringify(key);
  if (upToDate) {
    log('bench data up to date (use --force to regenerate)');
    return;
  }
  fs.mkdirSync(DATA, { recursive: true });
  fs.rmSync(MANIFEST, { force: true }); // an interrupted run must not look complete
  const t0 = performance.now();
  for (const name of names) {
    const entry = path.join(DATA, `${name}.entry.js`);
    fs.writeFileSync(entry, ENTRIES[name].join('\n') + '\n');
    const t = performance.now();
    // absWorkingDir pins path resolution to the repo, whatever the caller's cwd.
    await build({ ...OPTIONS, absWorkingDir: ROOT, entryPoints: [entry], outfile: path.join(DATA, `${name}.js`) });
    log(`${describe(name)}  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  fs.writeFileSync(MANIFEST, JSON.stringify({ inputs: key, generatedAt: new Date().toISOString() }, null, 2) + '\n');
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------------------------------------
// many/: a release folder of a few hundred separately bundled modules, each `x.js` + `x.js.map`
// (minified, linked map with sourcesContent): what a multi-entry build or a CDN ships. One entry
// per module (every third lodash-es function, every other date-fns function and rxjs export), so
// the maps are real and of varied sizes (a few hundred bytes to 220 KB). The entry files are
// first-party sources of each map, so the secrets pass has something to check in every one.
const MANY = path.join(DATA, 'many');
const MANY_SRC = path.join(DATA, 'many-src');
const MANY_MANIFEST = path.join(DATA, 'many.manifest.json');

/** A first-party module around library exports: a few lines of our own code in every map. */
const chunk = (names, importOf) =>
  [
    ...names.map(importOf),
    '',
    '// Counts how often the app calls into the library (first-party code, with a comment).',
    'let calls = 0;',
    '',
    ...names.map((n) => `/** ${n}, counted. */\nexport const ${n}Counted = (...args) => (calls++, typeof ${n} === 'function' ? ${n}(...args) : ${n});`),
    '',
    'export const callCount = () => calls;',
    '',
  ].join('\n');

/** The entry modules of many/: `[name, source]`, about 300 (every `step`th export of each library), in a fixed order. */
export function manyEntries() {
  const req = createRequire(path.join(ROOT, 'package.json'));
  // Modules that export a function of their own name (lodash-es: as default), in name order.
  const functions = (pkg, exported) =>
    fs
      .readdirSync(path.join(ROOT, 'node_modules', pkg))
      .filter((f) => /^[a-z][A-Za-z0-9]*\.js$/.test(f) && exported(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, f), 'utf8'), f.slice(0, -3)))
      .sort()
      .map((f) => f.slice(0, -3));
  // rxjs: the exports of its main entry (each pulls in its share of the core); names unique ignoring case.
  const seen = new Set();
  const rxjs = Object.keys(req('rxjs'))
    .sort()
    .filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
  const libraries = [
    ['lodash', functions('lodash-es', (text, name) => text.includes(`export default ${name};`)), 3, (n) => `import ${n} from 'lodash-es/${n}.js';`],
    ['date-fns', functions('date-fns', (text, name) => text.includes(`export function ${name}(`)), 2, (n) => `import { ${n} } from 'date-fns/${n}';`],
    ['rxjs', rxjs, 2, (n) => `import { ${n} } from 'rxjs';`],
  ];
  const entries = [];
  for (const [lib, names, step, importOf] of libraries) {
    for (let i = 0; i < names.length; i += step) entries.push([`${lib}/${names[i]}`, chunk([names[i]], importOf)]);
  }
  return entries;
}

function manyKey() {
  const { logLevel, ...options } = OPTIONS;
  const packages = Object.fromEntries(['rxjs', 'lodash-es', 'date-fns'].map((p) => [p, pkgVersion(p)]));
  return { esbuild: esbuildVersion, packages, options: { ...options, sourcemap: 'linked' }, entries: manyEntries() };
}

/** Ensures bench/.data/many/ holds the bundles and maps of {@link manyEntries}; returns { maps, bytes }. */
export async function makeManyData({ force = false, quiet = false } = {}) {
  const log = quiet ? () => {} : (s) => console.log(s);
  const key = manyKey();
  const upToDate =
    !force && fs.existsSync(MANY_MANIFEST) && JSON.stringify(JSON.parse(fs.readFileSync(MANY_MANIFEST, 'utf8')).inputs) === JSON.stringify(key);
  if (!upToDate) {
    fs.rmSync(MANY_MANIFEST, { force: true });
    fs.rmSync(MANY, { recursive: true, force: true });
    fs.rmSync(MANY_SRC, { recursive: true, force: true });
    const t0 = performance.now();
    const entryPoints = {};
    for (const [name, source] of manyEntries()) {
      const file = path.join(MANY_SRC, `${name}.js`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `// Entry of the many/ benchmark folder: ${name}.\n${source}`);
      entryPoints[name] = file;
    }
    // linked: each bundle ends with its sourceMappingURL comment, so the maps are referenced, not orphans.
    await build({ ...OPTIONS, sourcemap: 'linked', absWorkingDir: ROOT, entryPoints, outdir: MANY });
    fs.writeFileSync(MANY_MANIFEST, JSON.stringify({ inputs: key, generatedAt: new Date().toISOString() }, null, 2) + '\n');
    log(`many/ generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const stats = manyStats();
  log(`many   ${(stats.bytes / 1e6).toFixed(2).padStart(7)} MB  ${String(stats.maps).padStart(5)} maps     ${path.relative(ROOT, MANY)}/ (${(stats.totalBytes / 1e6).toFixed(2)} MB with bundles)`);
  return stats;
}

/** The maps of many/: how many, their bytes, and the bytes of every file (maps and bundles). */
export function manyStats() {
  let maps = 0;
  let bytes = 0;
  let totalBytes = 0;
  for (const entry of fs.readdirSync(MANY, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const size = fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
    totalBytes += size;
    if (entry.name.endsWith('.map')) {
      maps++;
      bytes += size;
    }
  }
  return { dir: MANY, maps, bytes, totalBytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const force = process.argv.includes('--force');
  if (process.argv.includes('--many')) await makeManyData({ force });
  else {
    await makeBenchData({ force });
    await makeManyData({ force });
  }
}
