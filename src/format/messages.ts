import type { Finding, FindingCode } from '../types';

type Args = Finding['args'];

const plural = (n: unknown, word: string): string => `${String(n)} ${word}${n === 1 ? '' : 's'}`;

/** English for each finding code, from its typed args. The one place where findings become prose. */
const RENDER: Readonly<Record<FindingCode, (args: Args) => string>> = {
  FIRST_PARTY_SOURCE_EXPOSED: (a) =>
    `${plural(a.files, 'first-party source file')} (${plural(a.lines, 'line')}, ${plural(a.bytes, 'byte')}) can be recovered from sourcesContent.`,
  THIRD_PARTY_SOURCE_EXPOSED: (a) =>
    `${plural(a.files, 'third-party source file')} (${plural(a.lines, 'line')}) can be recovered from sourcesContent; no first-party content.`,
  SOURCE_PATHS_EXPOSED: (a) => `The map carries no sourcesContent but names ${plural(a.sources, 'original source path')}.`,
  ABSOLUTE_SOURCE_PATHS: (a) =>
    `${plural(a.count, 'source')} name an absolute path${Number(a.homeDirectories) > 0 ? `, ${String(a.homeDirectories)} inside a home directory` : ''}, e.g. ${String(a.example)}.`,
  MAP_SPEC_VIOLATION: (a) =>
    `The map breaks ECMA-426 (${plural(a.errors, 'error')}, first: ${String(a.first)}); its content was measured anyway.`,
  MAP_UNREADABLE: (a) => `The map could not be measured: ${String(a.reason)}`,
  MAP_MISSING: (a) => `sourceMappingURL ${JSON.stringify(a.url)} names ${String(a.resolvedPath)}, which is not in the target.`,
  MAP_URL_OUTSIDE_TARGET: (a) => `sourceMappingURL ${JSON.stringify(a.url)} leaves the target; it was not read.`,
  MAP_REMOTE: (a) => `sourceMappingURL ${JSON.stringify(a.url)} is remote; it was listed, not fetched.`,
  MAP_ORPHAN: () => 'No generated file in the target references this map.',
  FILE_UNREADABLE: (a) => `The file could not be read: ${String(a.reason)}`,
  ARCHIVE_CORRUPT: (a) => `The archive is damaged: ${String(a.reason)}; what could be read was scanned.`,
  SECRET_IN_SOURCE: (a) => `A secret (${String(a.title)}, secretlint rule ${String(a.rule)}) is in recovered source at line ${String(a.line)}.`,
  PRIVATE_KEY_IN_SOURCE: (a) => `A private key block (${String(a.kind)}) is in recovered source at line ${String(a.line)}.`,
  INTERNAL_URL_IN_SOURCE: (a) =>
    `Recovered source names the internal host ${String(a.host)} (${plural(a.occurrences, 'occurrence')}, first at line ${String(a.line)}).`,
  COMMENTS_EXPOSED: (a) =>
    `${plural(a.commentLines, 'comment line')} of first-party source (${String(a.percent)}% of ${plural(a.lines, 'line')}) can be read, though the bundle had stripped them.`,
  DETECTOR_MATCH: (a) => `${String(a.detector)}: ${String(a.message)}`,
  MAP_ENCODING_INVALID: () => 'The map is not valid UTF-8; bad byte sequences were measured as U+FFFD.',
  MAP_LIMIT: (a) => `The map was not measured: ${String(a.actual)} is over ${String(a.limit)} (${String(a.value)}).`,
  ARCHIVE_LIMIT: (a) => `Limit ${String(a.limit)} (${String(a.value)}) reached: ${String(a.reason)}; the rest of the scan went on.`,
};

/** Renders a finding's message from its code and args. */
export function renderFindingMessage(code: FindingCode, args: Args): string {
  return RENDER[code](args);
}
