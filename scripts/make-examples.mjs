#!/usr/bin/env node
// Writes the committed example outputs from the fixtures, with the built package:
//   examples/demo-report.md   formatMarkdown of fixtures/demo, as `scan fixtures/demo --format markdown` prints it
// It imports ../dist/node.js, so build first:  npm run build && npm run examples
// test/format/markdown.test.ts fails when the committed file drifts from what the sources give now.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMarkdown, scanSync } from '../dist/node.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The fixture path is relative (as a user would type it) so the report, and the Markdown, hold no absolute path.
process.chdir(root);

const markdown = formatMarkdown(scanSync('fixtures/demo'), { command: 'npx sourcemap-forensics scan fixtures/demo --format markdown' });
writeFileSync(join(root, 'examples', 'demo-report.md'), markdown);
process.stdout.write(`wrote examples/demo-report.md (${Buffer.byteLength(markdown)} bytes)\n`);
