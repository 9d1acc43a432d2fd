import { readMapFile, readSourceMap, type MapFile, type MapReading, type ReadOptions, type SourceMapInput } from '../map/parse';
import type { ContentFigures, MapAssistant } from '../map/assist';
import type { Diagnostic } from '../map/diagnostics';
import type { ContentCounts, MapEntry, MapKind, SourceCounts, SourceEntry } from '../types';
import { createSha256, sha256Hex } from '../util/sha256';
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
  /** The contents `keep` asked for, aligned with `entry.files` (null elsewhere); shared, not copied. */
  contents: readonly (string | null)[];
  /** Set when the map was not measured because it has more sources than `maxSources`. */
  tooManySources?: number;
}

/** Which contents a measurement hands back: every one, or first-party ones only. */
export type KeepContent = 'all' | 'first-party';

/** What {@link measureMap} does with each source's content while it is in memory. */
export interface ContentVisitor {
  /**
   * Called once per source with content, in source order, before the next one is read. `file` is final except
   * `mappedLines`. A map that ends up unmeasured (`entry: null`) may have been visited in part: drop what was seen.
   */
  visit?(file: SourceEntry, content: string): void;
  /** Which contents to hand back in `Measurement.contents` (each one kept costs its memory until the caller drops it). */
  keep?: KeepContent;
  /**
   * `visit` does nothing with third-party files (they carry no built-in signals): they are not visited at all, and
   * with an `assistant` another thread may measure some of them.
   */
  thirdPartyOnlyMeasured?: boolean;
  /** Another thread that hashes the map and scans its mappings while this one reads the contents. */
  assistant?: MapAssistant;
  /** Told how many bytes of dead strings each content read left behind (see `ReadOptions.reclaim`). */
  reclaim?: (bytes: number) => void;
}

/**
 * Measures one map document: per-source figures under the report's counting rules, summed per map.
 * `generatedFiles` and `orphan` are left empty for the caller, which knows who references the map.
 * Contents are read one at a time (see {@link ContentVisitor}), so a map's contents are never all in memory at once.
 */
export function measureMap(input: SourceMapInput | MapFile, path: string, kind: MapKind, maxSources = Infinity, visitor: ContentVisitor = {}): Measurement {
  const marks: (Uint8Array | null)[] = [];
  const files: SourceEntry[] = [];
  const contents: (string | null)[] = [];
  const { visit, keep } = visitor;
  const offload = keep !== 'all' && visitor.thirdPartyOnlyMeasured === true;
  const mapFile = isMapFile(input) ? input : null;
  const assisted = mapFile !== null ? (visitor.assistant?.open(mapFile) ?? null) : null;
  let fileHash: string | null = null;
  const arena = new MarkArena();
  /** Keeps a source's figures and gives the mark array its mapped lines go into. */
  const record = (file: SourceEntry, content: string | null): Uint8Array | null => {
    files[file.index] = file;
    contents[file.index] = content;
    return (marks[file.index] = file.lines > 0 ? arena.take(file.lines) : null);
  };
  const options: ReadOptions = {
    retainContent: false,
    maxSources,
    assisted,
    ...(visitor.reclaim ? { reclaim: visitor.reclaim } : {}),
    lineMarks(content, index, source) {
      const file = measureSource(index, source, content);
      // A visitor that does nothing with third-party files is not called for them (thousands in a big bundle).
      if (content !== null && !(file.thirdParty && visitor.thirdPartyOnlyMeasured === true)) visit?.(file, content);
      const kept = content !== null && (keep === 'all' || (keep === 'first-party' && !file.thirdParty));
      return record(file, kept ? content : null);
    },
    ...(offload
      ? { offload: isThirdPartySource, measured: (figures: ContentFigures, index: number, source: string) => record(measuredSource(index, source, figures), null) }
      : {}),
  };
  let reading: MapReading;
  try {
    if (mapFile !== null) {
      const hash = assisted !== null ? null : createSha256();
      reading = readMapFile(mapFile, options, hash !== null ? (chunk) => hash.update(chunk) : undefined);
      if (hash !== null) fileHash = hash.digest();
    } else {
      reading = readSourceMap(input as SourceMapInput, options);
    }
  } finally {
    mapFile?.close?.();
  }
  const map = reading.map;
  if (map === null) return { entry: null, valid: false, diagnostics: reading.diagnostics, contents: [] };
  if (map.sources.length > maxSources) {
    return { entry: null, valid: reading.valid, diagnostics: reading.diagnostics, contents: [], tooManySources: map.sources.length };
  }

  const ignored = new Set(map.ignoreList);
  const count = map.sources.length;
  for (let i = 0; i < count; i++) {
    const file = files[i]!;
    // Paths are known only once every section's sourceRoot has been applied.
    const path = map.resolvedSources[i] ?? null;
    file.path = path;
    file.mappedLines = countMarked(marks[i] ?? null);
    file.ignoreListed = ignored.has(i);
    file.absolutePath = path !== null && isAbsoluteSourcePath(path);
    file.homeDirectory = path !== null && isHomeDirectoryPath(path);
  }

  // An already parsed map is measured as its JSON text, serialised once for both size and hash.
  const document = mapFile !== null ? null : typeof input === 'string' || input instanceof Uint8Array ? input : JSON.stringify(input);
  const bytes = document === null ? mapFile!.size : typeof document === 'string' ? utf8Length(document) : document.length;
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
    sha256: document !== null ? sha256Hex(document) : (assisted?.sha256() ?? fileHash ?? rehash(mapFile!)),
    sources: sumSources(files),
    content: sumContent(files),
    files,
  };
  return { entry, valid: reading.valid, diagnostics: reading.diagnostics, contents };
}

/** The hash of a map file the helper thread could not hash after all: read once more. */
function rehash(file: MapFile): string {
  try {
    return sha256Hex(file.read(0, file.size));
  } finally {
    file.close?.();
  }
}

/** A map file read on demand rather than bytes: what a file source looks like (parsed JSON never has functions). */
function isMapFile(input: SourceMapInput | MapFile): input is MapFile {
  return typeof input === 'object' && input !== null && !(input instanceof Uint8Array) && typeof (input as MapFile).read === 'function';
}

/** A third-party source measured by another thread: its figures, without the content. */
function measuredSource(index: number, source: string, figures: ContentFigures): SourceEntry {
  const file = measureSource(index, source, null);
  file.hasContent = true;
  file.lines = figures.lines;
  file.bytes = figures.bytes;
  file.sha256 = figures.sha256;
  return file;
}

/** The report's rule for third-party code: anything under a `node_modules/` folder. */
function isThirdPartySource(source: string): boolean {
  return source.includes('node_modules/');
}

/** One source's figures from its content; path-derived fields and `mappedLines` are filled once the map is read. */
function measureSource(index: number, source: string | null, content: string | null): SourceEntry {
  const hasContent = content !== null;
  const thirdParty = source !== null && isThirdPartySource(source);
  return {
    index,
    source,
    path: null,
    hasContent,
    lines: hasContent ? countLines(content) : 0,
    bytes: hasContent ? utf8Length(content) : 0,
    sha256: hasContent ? sha256Hex(content) : null,
    mappedLines: 0,
    // First-party only: third-party comments are public already, and counting them costs time on big bundles.
    commentLines: hasContent && !thirdParty ? countCommentLines(content) : null,
    thirdParty,
    ignoreListed: false,
    absolutePath: false,
    homeDirectory: false,
  };
}

/**
 * The mark arrays of one map, cut from shared buffers: an ArrayBuffer each cost 1.6 ms of a 1,670-source map. Each
 * array starts on a word and owns the padding up to the next one, which nothing writes (see {@link countMarked}).
 */
class MarkArena {
  private buffer: ArrayBuffer | null = null;
  private used = 0;

  /** A zeroed array of `length` marks. */
  take(length: number): Uint8Array {
    const size = (length + 3) & ~3;
    if (size > MARK_CHUNK / 4) return new Uint8Array(new ArrayBuffer(size), 0, length);
    if (this.buffer === null || this.used + size > MARK_CHUNK) {
      this.buffer = new ArrayBuffer(MARK_CHUNK);
      this.used = 0;
    }
    const marks = new Uint8Array(this.buffer, this.used, length);
    this.used += size;
    return marks;
  }
}

/** Bytes of each shared mark buffer; longer sources get a buffer of their own. */
const MARK_CHUNK = 64 * 1024;

/** Marks set (each is 0 or 1) in an array from {@link MarkArena}, four at a time: its padding is 0. */
function countMarked(marks: Uint8Array | null): number {
  if (marks === null) return 0;
  const words = new Uint32Array(marks.buffer, marks.byteOffset, (marks.length + 3) >> 2);
  let n = 0;
  // Multiplying by 0x01010101 adds the four bytes into the top one (at most 4: no carry).
  for (let i = 0; i < words.length; i++) n += Math.imul(words[i]!, 0x01010101) >>> 24;
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
