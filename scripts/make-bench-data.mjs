#!/usr/bin/env node
// Generates the benchmark source maps in bench/.data/ (git-ignored):
//   large.js.map  (>= 40 MB, ~2.9k sources)  monaco-editor (+ workers) + rxjs + lodash-es + date-fns
//   medium.js.map (~4.5 MB, ~1.7k sources)   rxjs + lodash-es + date-fns (+ locales)
//   small.js.map  (~115 KB, ~100 sources)    a handful of lodash-es functions
// Real bundles rather than synthetic maps, so the benchmark sees realistic
// mappings density, source-path shapes (../../node_modules/...) and sourcesContent.
// Inputs are pinned devDependencies in node_modules, so this runs offline and is
// reproducible. Usage: node scripts/make-bench-data.mjs [--force]
import { build, version as esbuildVersion } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
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

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await makeBenchData({ force: process.argv.includes('--force') });
}
