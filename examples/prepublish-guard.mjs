#!/usr/bin/env node
// Release gate: refuse to publish when the build output exposes first-party source through source maps.
// Add it to package.json as  "prepublishOnly": "node examples/prepublish-guard.mjs dist"
// Exit 0: nothing first-party recoverable. Exit 1: listed files would ship. Exit 2: the directory cannot be read.
import { isForensicsError, scan } from 'sourcemap-forensics/node';

const dir = process.argv[2] ?? 'dist';
let report;
try {
  report = await scan(dir);
} catch (error) {
  if (!isForensicsError(error)) throw error;
  console.error(`prepublish-guard: ${error.message}`);
  process.exit(2);
}

// Third-party content (node_modules) is public already; first-party content is the leak.
const exposed = report.maps.flatMap((map) =>
  map.files.filter((file) => file.hasContent && !file.thirdParty).map((file) => ({ map: map.path, file })),
);
if (exposed.length > 0) {
  const lines = exposed.reduce((sum, { file }) => sum + file.lines, 0);
  console.error(`prepublish-guard: ${dir} exposes ${exposed.length} first-party source files (${lines} lines) through source maps:`);
  for (const { map, file } of exposed) console.error(`  ${map}: ${file.path ?? `(unnamed #${file.index})`} (${file.lines} lines)`);
  console.error('Build without sourcesContent, or keep the .map files out of the package ("files" / .npmignore).');
  process.exit(1);
}
console.log(`prepublish-guard: ${dir} is clean (${report.summary.maps.total} maps, no first-party source content).`);
