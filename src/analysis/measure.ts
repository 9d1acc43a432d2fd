import { readSourceMap, type SourceMapInput } from '../map/parse';
import type { Diagnostic } from '../map/diagnostics';
import type { ContentCounts, MapEntry, MapKind, SourceCounts, SourceEntry } from '../types';
import { sha256Hex } from '../util/sha256';
import { countLines, utf8Length } from '../util/text';
import { countCommentLines } from './comments';
import { isAbsoluteSourcePath, isHomeDirectoryPath } from './paths';

/** What measuring one map document gave. */
export interface Measurement {
  /** The measured map; null when nothing could be measured (not JSON, no sources). */
  entry: MapEntry | null;
  /** ECMA-426 accepts the map. */
  valid: boolean;
  /** Every validation problem. */
  diagnostics: Diagnostic[];
  /** The map's `sourcesContent`, aligned with `entry.files` (null where absent); shared, not copied. */
  contents: readonly (string | null)[];
  /** Set when the map was not measured because it has more sources than `maxSources`. */
  tooManySources?: number;
}

/**
 * Measures one map document: per-source figures under the report's counting rules, summed per map.
 * `generatedFiles` and `orphan` are left empty for the caller, which knows who references the map.
 */
export function measureMap(input: SourceMapInput, path: string, kind: MapKind, maxSources = Infinity): Measurement {
  const marks: (Uint8Array | null)[] = [];
  const lineCounts: number[] = [];
  const reading = readSourceMap(input, {
    lineMarks(content, index) {
      const lines = content === null ? 0 : countLines(content);
      lineCounts[index] = lines;
      return (marks[index] = lines > 0 ? new Uint8Array(lines) : null);
    },
  });
  const map = reading.map;
  if (map === null) return { entry: null, valid: false, diagnostics: reading.diagnostics, contents: [] };
  if (map.sources.length > maxSources) {
    return { entry: null, valid: reading.valid, diagnostics: reading.diagnostics, contents: [], tooManySources: map.sources.length };
  }

  const ignored = new Set(map.ignoreList);
  const files: SourceEntry[] = [];
  const count = map.sources.length;
  for (let i = 0; i < count; i++) {
    const source = map.sources[i] ?? null;
    const path = map.resolvedSources[i] ?? null;
    const content = map.sourcesContent[i] ?? null;
    const hasContent = content !== null;
    const lines = lineCounts[i] ?? 0;
    const thirdParty = source !== null && source.includes('node_modules/');
    files.push({
      index: i,
      source,
      path,
      hasContent,
      lines,
      bytes: hasContent ? utf8Length(content) : 0,
      sha256: hasContent ? sha256Hex(content) : null,
      mappedLines: countMarked(marks[i] ?? null),
      // First-party only: third-party comments are public already, and counting them costs time on big bundles.
      commentLines: hasContent && !thirdParty ? countCommentLines(content) : null,
      thirdParty,
      ignoreListed: ignored.has(i),
      absolutePath: path !== null && isAbsoluteSourcePath(path),
      homeDirectory: path !== null && isHomeDirectoryPath(path),
    });
  }

  // An already parsed map is measured as its JSON text, serialised once for both size and hash.
  const document = typeof input === 'string' || input instanceof Uint8Array ? input : JSON.stringify(input);
  const bytes = typeof document === 'string' ? utf8Length(document) : document.length;
  const entry: MapEntry = {
    path,
    kind,
    format: map.format,
    sections: map.format === 'index' ? map.sections.length : 0,
    generatedFiles: [],
    orphan: false,
    valid: reading.valid,
    diagnostics: reading.diagnostics,
    file: map.file,
    bytes,
    sha256: sha256Hex(document),
    sources: sumSources(files),
    content: sumContent(files),
    files,
  };
  return { entry, valid: reading.valid, diagnostics: reading.diagnostics, contents: map.sourcesContent };
}

function countMarked(marks: Uint8Array | null): number {
  if (marks === null) return 0;
  let n = 0;
  for (let i = 0; i < marks.length; i++) n += marks[i]!;
  return n;
}

/** Empty source counts. */
export function zeroSources(): SourceCounts {
  return { total: 0, withContent: 0, withoutContent: 0, firstParty: 0, thirdParty: 0, ignoreListed: 0, absolutePaths: 0 };
}

/** Empty content counts. */
export function zeroContent(): ContentCounts {
  return {
    lines: 0,
    bytes: 0,
    firstPartyLines: 0,
    firstPartyBytes: 0,
    thirdPartyLines: 0,
    thirdPartyBytes: 0,
    mappedLines: 0,
    unmappedLines: 0,
  };
}

function sumSources(files: readonly SourceEntry[]): SourceCounts {
  const s = zeroSources();
  for (const f of files) {
    s.total++;
    if (f.hasContent) s.withContent++;
    else s.withoutContent++;
    if (f.thirdParty) s.thirdParty++;
    else s.firstParty++;
    if (f.ignoreListed) s.ignoreListed++;
    if (f.absolutePath || f.homeDirectory) s.absolutePaths++;
  }
  return s;
}

function sumContent(files: readonly SourceEntry[]): ContentCounts {
  const c = zeroContent();
  for (const f of files) {
    c.lines += f.lines;
    c.bytes += f.bytes;
    c.mappedLines += f.mappedLines;
    if (f.thirdParty) {
      c.thirdPartyLines += f.lines;
      c.thirdPartyBytes += f.bytes;
    } else {
      c.firstPartyLines += f.lines;
      c.firstPartyBytes += f.bytes;
    }
  }
  c.unmappedLines = c.lines - c.mappedLines;
  return c;
}

/** Adds `b` into `a` field by field. */
export function addSources(a: SourceCounts, b: SourceCounts): void {
  for (const key of Object.keys(a) as (keyof SourceCounts)[]) a[key] += b[key];
}

/** Adds `b` into `a` field by field. */
export function addContent(a: ContentCounts, b: ContentCounts): void {
  for (const key of Object.keys(a) as (keyof ContentCounts)[]) a[key] += b[key];
}
