#!/usr/bin/env node
'use strict';
// The `sourcemap-forensics` command: runs the CLI bundle (cli-main.cjs) from the V8 code cache made when the package
// was built (scripts/code-cache.cjs), so a short scan does not spend a tenth of its time compiling the bundle.
// A cache V8 refuses (another Node version, other flags) or a missing one only means the bundle is compiled as usual.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');

const file = join(__dirname, 'cli-main.cjs');
let cachedData;
try {
  cachedData = readFileSync(join(__dirname, 'cli-main.cache'));
} catch {
  cachedData = undefined;
}
// CommonJS's own wrapper, written out: loading node:module for it costs about a millisecond. The bundle is ASCII
// (a test checks), so reading it as latin1 gives the same text without a UTF-8 decode.
const wrapped = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'latin1')}\n});`;
const script = new vm.Script(wrapped, { filename: file, cachedData });
// A script compiled from a code cache cannot run import() in Node 20: the bundle's lazily loaded dependencies
// (secretlint, npm-packlist, semver) are imported here instead (src/runtime/load.ts), resolved from dist/ as before.
globalThis[Symbol.for('sourcemap-forensics.import')] = (specifier) => import(specifier);
if (process.env.SOURCEMAP_FORENSICS_CODE_CACHE === 'report') {
  process.stderr.write(`code cache: ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
}
// The build's training run asks for the cache of everything it compiled, written when it ends.
const produce = process.env.SOURCEMAP_FORENSICS_CODE_CACHE_OUT;
if (produce) process.once('exit', () => require('node:fs').writeFileSync(produce, script.createCachedData()));
// The bundle sits beside this file and requires only built-ins, so this file's `require` serves it.
const cli = { exports: {}, filename: file };
script.runInThisContext().call(cli.exports, cli.exports, require, cli, file, __dirname);
