#!/usr/bin/env node
// Incident response: given a leaked map (or a file or directory holding maps), say exactly what leaked.
// Prints the headline counts, then one tab-separated line per recoverable file: sha256, lines, bytes, party, map, path.
// Usage: node examples/incident-response.mjs <leaked.js.map | bundle.js | dir>
import { isForensicsError, scan } from 'sourcemap-forensics/node';

const target = process.argv[2];
if (!target) {
  console.error('usage: node examples/incident-response.mjs <map | file | directory>');
  process.exit(2);
}
let report;
try {
  report = await scan(target);
} catch (error) {
  if (!isForensicsError(error)) throw error;
  console.error(`incident-response: ${error.message}`);
  process.exit(2);
}

const { sources, content, maps } = report.summary;
console.log(`target\t${report.target.name}`);
console.log(`maps\t${maps.total}`);
for (const map of report.maps) console.log(`map\t${map.sha256}\t${map.bytes}\t${map.path}`);
console.log(`sources\t${sources.total}\t(with content ${sources.withContent}, first-party ${sources.firstParty}, third-party ${sources.thirdParty})`);
console.log(`lines\t${content.lines}\t(first-party ${content.firstPartyLines}, third-party ${content.thirdPartyLines})`);
console.log(`bytes\t${content.bytes}\t(first-party ${content.firstPartyBytes}, third-party ${content.thirdPartyBytes})`);
console.log(['sha256', 'lines', 'bytes', 'party', 'map', 'path'].join('\t'));
for (const map of report.maps) {
  for (const file of map.files) {
    if (!file.hasContent) continue;
    const party = file.thirdParty ? 'third' : 'first';
    console.log([file.sha256, file.lines, file.bytes, party, map.path, file.path ?? `(unnamed #${file.index})`].join('\t'));
  }
}
