#!/usr/bin/env node
// Generates fixtures/hostile/: one small file per class of hostile input the scanner and the extractor must
// survive (see test/hostile.test.ts for what each must yield). Deterministic; about 0.5 MB on disk.
//   node scripts/make-hostile.mjs [--out DIR]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, zipSync } from 'fflate';
import { tar } from './lib/tar-writer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = join(outArg === -1 ? join(root, 'fixtures') : resolve(process.argv[outArg + 1]), 'hostile');
rmSync(out, { recursive: true, force: true });
const MTIME = new Date('1985-10-26T08:15:00Z');
const enc = (s) => new TextEncoder().encode(s);
const write = (path, data) => {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), data);
};
const map = (fields) => JSON.stringify({ version: 3, names: [], mappings: 'AAAA', ...fields });
const zip = (files) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [typeof v === 'string' ? enc(v) : v, { mtime: MTIME }]])));

// --- maps ---------------------------------------------------------------------------------------------------
write('maps/not-json.js.map', '{"version": 3, "sources": [');
write('maps/bad-vlq.js.map', map({ sources: ['a.ts'], sourcesContent: ['bad vlq\n'], mappings: 'AAAA,$$$' }));
write('maps/huge-vlq.js.map', map({ sources: ['a.ts'], sourcesContent: ['huge\n'], mappings: `AA${'g'.repeat(40)}AA;${'+'.repeat(1000)}B` }));
write('maps/index-range.js.map', map({ sources: ['a.ts'], sourcesContent: ['range\n'], names: [], mappings: 'AAAA,AgBAAA,AAAAC,KAAA' }));
write('maps/mismatched.js.map', map({ sources: ['a.ts', 'b.ts', 'c.ts'], sourcesContent: ['only a\n'] }));
write('maps/extra-content.js.map', map({ sources: ['a.ts'], sourcesContent: ['a\n', 'never counted\n', 'nor this\n'] }));
write('maps/non-string.js.map', map({ sources: [1, {}, null, ['x'], 'ok.ts'], sourcesContent: [[], 5, 'unnamed but leaked\n', { a: 1 }, 'ok\n'], names: [7] }));
// Keys that pollute prototypes when copied carelessly, as map fields and as source names.
write(
  'maps/proto.js.map',
  `{"version":3,"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"sources":["__proto__","constructor","prototype","hasOwnProperty"],"sourcesContent":["p\\n","c\\n","pr\\n","h\\n"],"names":["__proto__"],"mappings":"AAAAA"}`,
);
// 100,000 levels of nesting in an unknown field.
write('maps/deep.js.map', `{"version":3,"sources":["a.ts"],"sourcesContent":["deep\\n"],"mappings":"AAAA","x":${'['.repeat(100000)}${']'.repeat(100000)}}`);
// Invalid UTF-8 (a lone continuation byte, an overlong form, a surrogate) inside a content string.
write('maps/invalid-utf8.js.map', new Uint8Array([...enc('{"version":3,"sources":["a.ts"],"sourcesContent":["bad'), 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, ...enc(' bytes\\n"],"mappings":"AAAA"}')]));
write('maps/many-errors.js.map', map({ sources: ['a.ts'], sourcesContent: ['x\n'], mappings: 'AAAAAA,'.repeat(50000) }));
// Every kind of name that must not take a write outside the output folder, plus names no file system takes.
const traversal = [
  '../../../../../../tmp/pwned.ts',
  '..%2f..%2f..%2f..%2fpwned-encoded.ts',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '\\\\server\\share\\unc.ts',
  'nul\u0000byte.ts',
  '．．／．．／．．／fullwidth.ts',
  'webpack:///../../../../webpack-escape.ts',
  'file:///etc/shadow',
  'CON',
  'aux.ts',
  'trailing. ',
  `${'x'.repeat(300)}.ts`,
  'dup.ts',
  'DUP.ts',
  'dup.ts',
  'dir',
  'dir/inside.ts',
];
write('maps/traversal.js.map', map({ sources: traversal, sourcesContent: traversal.map((s, i) => `// ${i}: ${JSON.stringify(s)}\n${i === 15 ? 'second dup\n' : ''}`) }));

// --- generated files -----------------------------------------------------------------------------------------
write('generated/broken-data.js', 'a();\n//# sourceMappingURL=data:application/json;base64,!!!!\n');
write('generated/bad-json-data.js', `b();\n//# sourceMappingURL=data:application/json;base64,${Buffer.from('{not json').toString('base64')}\n`);
write('generated/outside.js', 'c();\n//# sourceMappingURL=../../../../../../etc/passwd\n');
write('generated/absolute.js', 'd();\n//# sourceMappingURL=/etc/passwd\n');
write('generated/encoded.js', 'e();\n//# sourceMappingURL=..%2f..%2f..%2f..%2fetc%2fpasswd\n');
write('generated/remote.js', 'f();\n//# sourceMappingURL=http://169.254.169.254/latest/meta-data\n');

// --- archives ------------------------------------------------------------------------------------------------
const leak = map({ sources: ['../../../../../../tmp/zip-pwned.ts'], sourcesContent: ['zip\n'] });
write('archives/traversal.zip', zip({ '../../../../tmp/evil.js.map': leak, '/abs/evil2.js.map': leak, 'C:\\evil3.js.map': leak, 'ok/../../evil4.js.map': leak }));
write(
  'archives/links.tar',
  tar([
    { name: 'package/link.js.map', type: '2', linkname: '../../../../etc/passwd' },
    { name: 'package/hard.js.map', type: '1', linkname: '/etc/passwd' },
    { name: 'package/uses-link.js', data: 'x();\n//# sourceMappingURL=link.js.map\n' },
    { name: 'package/real.js.map', data: map({ sources: ['real.ts'], sourcesContent: ['real\n'] }) },
  ]),
);
// A zip whose central directory lies: the map's declared sizes are 10 bytes, the real data is larger.
{
  const bytes = zipSync({ 'lie.js.map': [enc(map({ sources: ['lie.ts'], sourcesContent: ['x'.repeat(5000)] })), { mtime: MTIME, level: 9 }] });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = bytes.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x02014b50) {
      view.setUint32(i + 24, 10, true); // uncompressed size in the central directory
      break;
    }
  }
  write('archives/lying-sizes.zip', bytes);
}
write('archives/bad-version.crx', new Uint8Array([...enc('Cr24'), 9, 0, 0, 0, 0, 0, 0, 0, ...zip({ 'a.js.map': leak })]));
// Six archives deep: the default depth of 3 stops at the fourth.
let nested = gzipSync(tar([{ name: 'package/deepest.js.map', data: map({ sources: ['deepest.ts'], sourcesContent: ['6\n'] }) }]), { mtime: MTIME });
for (let level = 5; level >= 1; level--) nested = zip({ [`level${level}.js.map`]: map({ sources: [`l${level}.ts`], sourcesContent: [`${level}\n`] }), [`inner/level${level + 1}.${level === 5 ? 'tgz' : 'zip'}`]: nested });
write('archives/nested6.zip', nested);

console.log(`hostile fixtures written to ${out}`);
