import { ForensicsError } from '../errors';
import { strictUtf8Decoder, utf8Decoder } from '../util/text';
import { expectBulkHashing } from '../util/sha256';
import { DiagnosticCollector, type Diagnostic, type ValidationResult } from './diagnostics';
import { scanMappingBytes, scanMappings } from './mappings';
import { ParsedMap, type MapSection } from './parsed-map';
import { splitMapWindows, type MapSplit } from './split';
import type { AssistedMap, ContentFigures, ContentShare } from './assist';

/** A source map as text, UTF-8 bytes, or an already parsed JSON value. */
export type SourceMapInput = string | Uint8Array | object;

/** Index maps nested deeper than this are not followed (a hostile map could nest thousands deep). */
const MAX_SECTION_DEPTH = 16;

/** Options of {@link readSourceMap}. */
export interface ReadOptions {
  /**
   * Called once per flattened source before its section's mappings are decoded; a returned array gets
   * `1` at each original line (0-based) that a mapping segment points at. Used to count mapped lines in the same pass.
   */
  lineMarks?: (content: string | null, index: number, source: string | null) => Uint8Array | null;
  /**
   * Keep each `sourcesContent` string on the returned map (default). With `false`, contents are only seen by
   * `lineMarks` and the map keeps nulls, empty `mappings` and no `names` (sections still count them): a map given as
   * bytes, of `pieceReads.minBytes` or more, is then read piece by piece, never holding its whole text or all its
   * contents at once. For measuring; lookups need the default.
   */
  retainContent?: boolean;
  /** Past this many flattened sources `lineMarks` is no longer called (the caller refuses such maps anyway). */
  maxSources?: number;
  /** Another thread's work on these bytes (piecewise reads only): the mappings pass is handed to it. */
  assisted?: AssistedMap | null;
  /**
   * Sources whose content this thread does not need (it is only measured): with `assisted`, the other thread may
   * measure some of them, and `measured` is called for those instead of `lineMarks`.
   */
  offload?: (source: string) => boolean;
  /** Like `lineMarks`, for an entry measured by the other thread. */
  measured?: (figures: ContentFigures, index: number, source: string) => Uint8Array | null;
  /** Told how many bytes of strings each piecewise content left behind once it is dropped (a host may collect them). */
  reclaim?: (bytes: number) => void;
}

/**
 * A map file read on demand: scanned by windows to find its pieces, then read piece by piece, so its bytes are never
 * all held while its contents are read. What `read` returns may be reused by the next call.
 */
export interface MapFile {
  /** Bytes in the file. */
  readonly size: number;
  /** `length` bytes from `offset`. */
  read(offset: number, length: number): Uint8Array;
  /** Where it is on disk, for a helper thread that reads it too. */
  readonly path?: string;
  /** Releases what reading holds (a descriptor, a buffer); reading may start again after. */
  close?(): void;
  /**
   * `read` returns views of one reused buffer. Such a file is split by windows of `window` bytes; any other is read
   * whole once to be split (windows would each allocate).
   */
  readonly reusesBuffer?: boolean;
  /** Bytes per read when a file that reuses its buffer is scanned (default 1 MiB); tests use tiny ones. */
  readonly window?: number;
}

/** Where a map's big values lie, and how to read them (see `ReadOptions.retainContent`). */
interface Pieces {
  split: MapSplit;
  /** Bytes `from..to` of the map. */
  read(from: number, to: number): Uint8Array;
  /** How many `names` the split counted when it cut them out of the parsed rest; -1 when they were parsed there. */
  names: number;
  /** Bytes of strings left dead by finding the pieces, reported (see `ReadOptions.reclaim`) before the first content is read. */
  dead?: number;
}

/**
 * @internal Maps under `minBytes` are parsed whole even when `retainContent` is false: one `JSON.parse` of a 4.4 MB
 * map costs 26 ms less than reading it by pieces (the split's search for every quote, a decode and a parse per
 * entry), and holding its text and contents at once costs at most about three times 16 MiB. Past it, pieces keep
 * memory near one content at a time (a 43.6 MB map: 110 MiB peak RSS by pieces, 225 MiB whole). Tests set it to 0.
 */
export const pieceReads = { minBytes: 16 * 1024 * 1024 };

/** Strings longer than this are allocated where only a full collection frees them (V8's large-object space). */
export const LARGE_STRING = 128 * 1024;

/** An entry of a split map failed `JSON.parse`: the whole text is parsed instead, for `JSON.parse`'s own error. */
class WholeTextNeeded extends Error {}

/** Result of {@link readSourceMap}: the leniently parsed map (when it has sources at all) and every diagnostic. */
export interface MapReading {
  /** The map, measured leniently; null when it is not JSON, not an object, or has no `sources`/`sourcesContent`/`sections` at all. */
  map: ParsedMap | null;
  /** No diagnostic of severity `error`. */
  valid: boolean;
  /** Every problem, capped (see `MAX_DIAGNOSTICS`). */
  diagnostics: Diagnostic[];
}

/**
 * Parses a source map as strictly as ECMA-426 allows. Throws `ForensicsError` (`INVALID_SOURCE_MAP`,
 * with `diagnostics`) when the map is invalid; warnings are kept on the returned map.
 */
export function parseSourceMap(input: SourceMapInput): ParsedMap {
  let reading: MapReading;
  try {
    reading = readSourceMap(input);
  } catch (error) {
    // Only an object input with throwing getters (or an engine limit) gets here.
    throw new ForensicsError('INVALID_SOURCE_MAP', `invalid source map: it could not be read (${errorText(error)})`, [unreadable(error)]);
  }
  if (!reading.valid || reading.map === null) {
    const first = reading.diagnostics.find((d) => d.severity === 'error');
    throw new ForensicsError(
      'INVALID_SOURCE_MAP',
      `invalid source map: ${first ? `${first.message}${first.pointer ? ` (at ${first.pointer})` : ''}` : 'no sources'}`,
      reading.diagnostics,
    );
  }
  return reading.map;
}

/** Checks a source map against ECMA-426. Never throws, whatever the input. */
export function validateSourceMap(input: unknown): ValidationResult {
  try {
    const reading = readSourceMap(input as SourceMapInput);
    return { valid: reading.valid, diagnostics: reading.diagnostics };
  } catch (error) {
    // Only reachable on an object input with throwing getters or on engine limits; report rather than throw.
    return { valid: false, diagnostics: [unreadable(error)] };
  }
}

function unreadable(error: unknown): Diagnostic {
  return { code: 'MAP_NOT_JSON', severity: 'error', message: `The map could not be read: ${errorText(error)}.`, pointer: '' };
}

/** Text of a thrown value, even one whose `toString` throws. */
function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an exception that cannot be printed';
  }
}

/**
 * Reads a map leniently: everything measurable is kept even when ECMA-426 rejects the map, so a deliberately
 * broken map still shows what it exposes. `valid` says whether a conforming consumer would load it.
 */
export function readSourceMap(input: SourceMapInput, options: ReadOptions = {}): MapReading {
  if (options.retainContent === false && input instanceof Uint8Array && input.length >= pieceReads.minBytes) {
    try {
      const prepared = preparePieces(input.length, (from, to) => input.subarray(from, to), input.length);
      if (prepared !== null) return readWhole(prepared.json, options, prepared.pieces, prepared.invalid);
    } catch (error) {
      if (!(error instanceof WholeTextNeeded)) throw error;
    }
  }
  return readWhole(input, options, null);
}

/**
 * @internal {@link readSourceMap} of a map file with `retainContent: false` (`whole` sees every byte, in order, e.g.
 * to hash them). Under `pieceReads.minBytes` it is parsed whole; otherwise scanned by windows to find its pieces (or
 * split whole, when its reads allocate: see `MapFile.reusesBuffer`), then read piece by piece. The whole file is
 * held past that only when its shape needs the whole-text read.
 */
export function readMapFile(file: MapFile, options: ReadOptions, whole?: (chunk: Uint8Array) => void): MapReading {
  const read = (from: number, to: number): Uint8Array => file.read(from, to - from);
  if (file.size < pieceReads.minBytes) {
    const bytes = file.read(0, file.size);
    whole?.(bytes);
    return readWhole(bytes, { ...options, retainContent: false }, null);
  }
  expectBulkHashing();
  try {
    let prepared: Prepared | null;
    if (file.reusesBuffer === true) {
      const window = file.window ?? SCAN_WINDOW;
      if (whole !== undefined) for (let at = 0; at < file.size; at += window) whole(file.read(at, Math.min(window, file.size - at)));
      prepared = preparePieces(file.size, read, window);
    } else {
      prepared = prepareWhole(file, whole, read);
      // Its bytes (and the rest's text) are dead; reported when the first content is read, once the other thread
      // has its work.
      if (prepared !== null) prepared.pieces.dead = 2 * file.size;
    }
    if (prepared !== null) return readWhole(prepared.json, { ...options, retainContent: false }, prepared.pieces, prepared.invalid);
  } catch (error) {
    if (!(error instanceof WholeTextNeeded)) throw error;
  }
  return readWhole(file.read(0, file.size), { ...options, retainContent: false }, null);
}

/**
 * A file whose every read allocates (an archive entry read again) is read whole once, in a frame of its own, to be
 * split: read by windows, it left a heap of 1 MiB buffers that the allocator kept (about 20 MiB more at the peak of a
 * 68 MB map in a tar).
 */
function prepareWhole(file: MapFile, whole: ((chunk: Uint8Array) => void) | undefined, read: Pieces['read']): Prepared | null {
  const bytes = file.read(0, file.size);
  whole?.(bytes);
  return preparePieces(file.size, read, file.size, (offset, length) => bytes.subarray(offset, offset + length));
}

/** Bytes a map file is scanned by when it does not say (see `MapFile.window`). */
const SCAN_WINDOW = 1024 * 1024;

interface Prepared {
  json: Record<string, unknown>;
  pieces: Pieces;
  invalid: boolean;
}

/**
 * Splits a map of `size` bytes (scanned `window` bytes at a time, through `scan` when given) and parses the rest;
 * null when its shape needs the whole-text read.
 */
function preparePieces(size: number, read: Pieces['read'], window: number, scan = (offset: number, length: number) => read(offset, offset + length)): Prepared | null {
  const split = splitMapWindows(scan, size, window);
  if (split === null) return null;
  const start = split.textStart;
  // The text without the two big values, which become `[]` and `""`, nor `names` when its strings are plain (`[]`).
  const cuts: [number, number, string][] = [];
  if (split.contentStart >= 0) cuts.push([split.contentStart, split.contentEnd, '[]']);
  if (split.mappingsStart >= 0) cuts.push([split.mappingsStart, split.mappingsEnd, '']);
  let names = -1;
  if (split.namesStart >= 0 && plainStrings(read(split.namesStart, split.namesEnd))) {
    cuts.push([split.namesStart, split.namesEnd, '[]']);
    names = split.namesCount;
  }
  cuts.sort((a, b) => a[0] - b[0]);
  let text = '';
  let at = start;
  let invalid = false;
  for (const [from, to, replacement] of cuts) {
    const piece = decodePiece(read(at, from), 0, from - at);
    invalid ||= piece.invalid;
    text += piece.text + replacement;
    at = to;
  }
  // The BOM and anti-XSSI line are not parsed, but invalid UTF-8 there still counts.
  if (start > 0 && decodePiece(read(0, start), 0, start).invalid) invalid = true;
  const tail = decodePiece(read(at, size), 0, size - at);
  invalid ||= tail.invalid;
  text += tail.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(json) || Object.hasOwn(json, 'sections')) return null;
  return { json, pieces: { split, read, names }, invalid };
}

/**
 * Whether a list of JSON string tokens (the split found their bounds) is one `JSON.parse` would read as it stands:
 * printable ASCII and valid escapes only. Anything else (non-ASCII too, for its UTF-8 check) is left to `JSON.parse`.
 */
function plainStrings(bytes: Uint8Array): boolean {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c > 0x7e) return false;
    if (c !== 0x5c) continue;
    const e = bytes[++i];
    if (e === 0x75) {
      for (let k = 1; k <= 4; k++) if (!isHexDigit(bytes[i + k])) return false;
      i += 4;
    } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
      return false;
    }
  }
  return true;
}

function isHexDigit(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

/**
 * The most lines each of the first `count` sources can have, from its content entry's size: every line but the last
 * ends with an escaped line feed (at least two bytes), so a `to - from` byte string token has at most
 * `(to - from - 2) / 2 + 1`; 0 without content.
 */
function lineBounds(entries: Int32Array, count: number): Int32Array {
  const bounds = new Int32Array(count);
  for (let i = 0; i < count && 2 * i < entries.length; i++) {
    const from = entries[2 * i]!;
    if (from >= 0) bounds[i] = ((entries[2 * i + 1]! - from - 2) >> 1) + 1;
  }
  return bounds;
}

/** @internal Decodes `bytes[from..to)`, saying whether it held invalid UTF-8 (pieces end at ASCII, so no sequence is cut). */
export function decodePiece(bytes: Uint8Array, from: number, to: number): { text: string; invalid: boolean } {
  const piece = bytes.subarray(from, to);
  const text = utf8Decoder.decode(piece);
  return { text, invalid: text.includes('\uFFFD') && !isStrictUtf8(piece) };
}

function readWhole(input: SourceMapInput, options: ReadOptions, pieces: Pieces | null, invalidUtf8 = false): MapReading {
  const diagnostics = new DiagnosticCollector();
  const json = toJson(input, diagnostics);
  if (json === undefined) return { map: null, valid: false, diagnostics: diagnostics.finish() };
  if (!isObject(json)) {
    diagnostics.add('MAP_NOT_OBJECT', 'error', `The map is ${describe(json)}, not a JSON object.`, '');
    return { map: null, valid: false, diagnostics: diagnostics.finish() };
  }
  const builder = new Builder(diagnostics, options, pieces);
  let format: 'regular' | 'index';
  let sourceRoot: string | null = null;
  if (Object.hasOwn(json, 'sections')) {
    format = 'index';
    builder.index(json, '', 0, 0, 0);
  } else {
    format = 'regular';
    sourceRoot = builder.regular(json, '', 0, 0, true);
  }
  // The whole-text read finds invalid UTF-8 before anything else; a piecewise one only once every piece is decoded.
  if (invalidUtf8 || builder.invalidUtf8) diagnostics.addFirst('INVALID_UTF8', 'warning', INVALID_UTF8_MESSAGE, '');
  const file = optionalString(json, 'file', '', diagnostics);
  const list = diagnostics.finish();
  if (!builder.measurable) return { map: null, valid: false, diagnostics: list };
  const map = new ParsedMap({
    format,
    file,
    sourceRoot,
    sources: builder.sources,
    resolvedSources: builder.resolvedSources,
    sourcesContent: builder.sourcesContent,
    names: builder.names,
    ignoreList: builder.ignoreList,
    sections: builder.sections,
    diagnostics: list,
  });
  return { map, valid: diagnostics.errors === 0, diagnostics: list };
}

/** Joins `sourceRoot` as a directory with a `sources` entry (ECMA-426 DecodeSourceMapSources, without URL resolution). */
export function joinSourceRoot(sourceRoot: string | null, source: string | null): string | null {
  if (source === null) return null;
  // An empty root is common (tsc, webpack) and means "no root"; the spec's literal rule would prefix "/".
  if (sourceRoot === null || sourceRoot === '') return source;
  return sourceRoot.endsWith('/') ? sourceRoot + source : `${sourceRoot}/${source}`;
}

/** Accumulates the flattened entries of a map's sections. */
class Builder {
  readonly sources: (string | null)[] = [];
  readonly resolvedSources: (string | null)[] = [];
  readonly sourcesContent: (string | null)[] = [];
  readonly names: string[] = [];
  /** Names seen over all sections; `names` holds them only when contents are retained (measuring needs the count). */
  private nameTotal = 0;
  readonly ignoreList: number[] = [];
  readonly sections: MapSection[] = [];
  /** Something had a `sources`, `sourcesContent` or `sections` list to measure. */
  measurable = false;
  /** Generated position of the previous section's start and of its last mapping, for order and overlap checks. */
  private previousOffset: [number, number] | null = null;
  private previousLast: [number, number] | null = null;

  /** A content entry of a piecewise read held invalid UTF-8. */
  invalidUtf8 = false;
  private readonly lineMarks: ReadOptions['lineMarks'];
  private readonly retain: boolean;
  private readonly maxSources: number;
  private readonly assisted: AssistedMap | null;
  private readonly offload: ReadOptions['offload'];
  private readonly measured: ReadOptions['measured'];
  private readonly reclaim: ReadOptions['reclaim'];
  /** Strings the previous piecewise content left behind, reported when the next one is read (it is dead by then). */
  private dead = 0;

  constructor(
    private readonly diagnostics: DiagnosticCollector,
    options: ReadOptions,
    /** Set for a piecewise read: the top-level map's contents and mappings are read from these bytes. */
    private readonly pieces: Pieces | null,
  ) {
    this.lineMarks = options.lineMarks;
    this.retain = options.retainContent !== false;
    this.maxSources = options.maxSources ?? Infinity;
    this.assisted = pieces !== null ? (options.assisted ?? null) : null;
    this.offload = options.offload;
    this.measured = options.measured;
    this.reclaim = options.reclaim;
    this.dead = pieces?.dead ?? 0;
  }

  /** Entry `i` of a piecewise read's `sourcesContent`. */
  private pieceContent(pieces: Pieces, i: number): string | null {
    const from = pieces.split.entries[2 * i]!;
    if (from < 0) return null;
    const to = pieces.split.entries[2 * i + 1]!;
    if (this.reclaim !== undefined && this.dead > 0) this.reclaim(this.dead);
    // The decoded text and the parsed string, both about the size of the entry; only big ones outlive the young
    // generation's cheap collections.
    this.dead = to - from > LARGE_STRING ? 2 * (to - from) : 0;
    const piece = decodePiece(pieces.read(from, to), 0, to - from);
    if (piece.invalid) this.invalidUtf8 = true;
    try {
      return JSON.parse(piece.text) as string;
    } catch {
      throw new WholeTextNeeded();
    }
  }

  /**
   * After a pass over the raw `mappings` bytes stopped early. A control character there makes the whole text
   * invalid JSON, which only the whole-text read reports; invalid UTF-8 gets the map's warning, as there.
   */
  private checkMappingBytes(pieces: Pieces): void {
    const { mappingsStart, mappingsEnd } = pieces.split;
    const bytes = pieces.read(mappingsStart, mappingsEnd);
    let ascii = true;
    for (let k = 0; k < bytes.length; k++) {
      const c = bytes[k]!;
      if (c < 0x20) throw new WholeTextNeeded();
      if (c >= 0x80) ascii = false;
    }
    if (!ascii && !isStrictUtf8(bytes)) this.invalidUtf8 = true;
  }

  /** Decodes one regular map placed at `line:column`; returns its `sourceRoot`. */
  regular(json: Record<string, unknown>, pointer: string, line: number, column: number, topLevel: boolean): string | null {
    const d = this.diagnostics;
    checkVersion(json, pointer, d);
    // The top-level `file` is checked by the caller, for both formats.
    if (!topLevel) optionalString(json, 'file', pointer, d);
    const sourceRoot = optionalString(json, 'sourceRoot', pointer, d);

    let mappings = '';
    if (!Object.hasOwn(json, 'mappings')) {
      d.add('FIELD_MISSING', 'error', 'The map has no "mappings" field.', pointer);
    } else if (typeof json.mappings !== 'string') {
      d.add('FIELD_TYPE', 'error', `"mappings" is ${describe(json.mappings)}, not a string.`, `${pointer}/mappings`);
    } else {
      mappings = json.mappings;
    }

    const pieces = topLevel ? this.pieces : null;
    const rawContent = json.sourcesContent;
    let contentList: unknown[] = [];
    // A piecewise read knows the entries' count and reads each one when its turn comes.
    let contentCount = pieces !== null && pieces.split.contentStart >= 0 ? pieces.split.entries.length / 2 : -1;
    if (contentCount >= 0) {
      // `[]` stood in for the list.
    } else if (rawContent !== undefined && Object.hasOwn(json, 'sourcesContent')) {
      if (Array.isArray(rawContent)) contentList = rawContent;
      else d.add('FIELD_TYPE', 'error', `"sourcesContent" is ${describe(rawContent)}, not an array.`, `${pointer}/sourcesContent`);
    }
    if (contentCount < 0) contentCount = contentList.length;

    let sourceList: unknown[];
    const rawSources = Object.hasOwn(json, 'sources') ? json.sources : undefined;
    if (Array.isArray(rawSources)) {
      sourceList = rawSources;
    } else {
      if (rawSources === undefined) d.add('FIELD_MISSING', 'error', 'The map has no "sources" field.', pointer);
      else d.add('FIELD_TYPE', 'error', `"sources" is ${describe(rawSources)}, not an array.`, `${pointer}/sources`);
      // Content can still leak without names: measure it as unnamed sources.
      sourceList = new Array<unknown>(contentCount).fill(null);
    }
    if (Array.isArray(rawSources) || contentCount > 0) this.measurable = true;

    const base = this.sources.length;
    const count = sourceList.length;
    const marks: (Uint8Array | null)[] = new Array<Uint8Array | null>(count).fill(null);
    // Past maxSources the caller refuses the map: its contents need not be read at all.
    const marking = this.lineMarks !== undefined && base + count <= this.maxSources;
    // The other thread scans `mappings` while this one reads the contents; counts are those the scan below would use.
    const assisted = pieces !== null && pieces.split.mappingsStart >= 0 && marking ? this.assisted : null;
    let share: ContentShare | null = null;
    let take: Uint8Array | null = null;
    if (assisted !== null) {
      const nameCount = pieces!.names >= 0 ? pieces!.names : Object.hasOwn(json, 'names') && Array.isArray(json.names) ? json.names.length : 0;
      assisted.startMappings(pieces!.split.mappingsStart, pieces!.split.mappingsEnd, count, nameCount, `${pointer}/mappings`, lineBounds(pieces!.split.entries, count));
      const offload = this.offload;
      if (offload !== undefined && this.measured !== undefined) {
        const entries = pieces!.split.entries;
        take = new Uint8Array(Math.min(count, contentCount));
        let any = false;
        for (let i = 0; i < take.length; i++) {
          const source = sourceList[i];
          if (entries[2 * i]! >= 0 && typeof source === 'string' && offload(source)) {
            take[i] = 1;
            any = true;
          }
        }
        if (any) share = assisted.shareContents(entries, take);
      }
    }
    /** Entries the other thread took, measured once this loop is done. */
    const elsewhere: number[] = [];
    for (let i = 0; i < count; i++) {
      let source = sourceList[i];
      if (source !== null && typeof source !== 'string') {
        d.add('SOURCES_ENTRY_TYPE', 'error', `"sources[${i}]" is ${describe(source)}, not a string or null.`, `${pointer}/sources/${i}`);
        source = null;
      }
      let content: unknown;
      let taken = false;
      if (i >= contentCount) content = null;
      else if (pieces === null || contentList.length > 0) content = contentList[i];
      else if (share !== null && take![i] === 1 && !share.claim(i)) {
        elsewhere.push(i);
        taken = true;
        content = null;
      } else content = this.pieceContent(pieces, i);
      if (content !== null && typeof content !== 'string') {
        d.add(
          'SOURCES_CONTENT_ENTRY_TYPE',
          'error',
          `"sourcesContent[${i}]" is ${describe(content)}, not a string or null.`,
          `${pointer}/sourcesContent/${i}`,
        );
        content = null;
      }
      this.sources.push(source as string | null);
      this.resolvedSources.push(joinSourceRoot(sourceRoot, source as string | null));
      this.sourcesContent.push(this.retain ? (content as string | null) : null);
      if (marking && !taken) marks[i] = this.lineMarks!(content as string | null, base + i, source as string | null);
    }
    for (const i of elsewhere) {
      const source = this.sources[base + i] as string;
      const figures = share!.result(i);
      if (figures !== null) {
        if (figures.invalidUtf8) this.invalidUtf8 = true;
        marks[i] = this.measured!(figures, base + i, source);
      } else {
        marks[i] = this.lineMarks!(this.pieceContent(pieces!, i), base + i, source);
      }
    }
    // Extra entries are ignored but are still JSON the whole-text read would parse (and UTF-8 it would check).
    if (pieces !== null && contentList.length === 0) for (let i = count; i < contentCount; i++) this.pieceContent(pieces, i);
    if (contentCount > count) {
      d.add(
        'SOURCES_CONTENT_EXTRA',
        'warning',
        `"sourcesContent" has ${contentCount} entries for ${count} sources; the extra ${contentCount - count} are ignored.`,
        `${pointer}/sourcesContent`,
      );
    }

    const nameBase = this.nameTotal;
    if (pieces !== null && pieces.names >= 0) {
      // Plain strings, counted by the split and not parsed (a measuring read keeps no names).
      this.nameTotal += pieces.names;
    } else if (Object.hasOwn(json, 'names') && json.names !== undefined) {
      const names = json.names;
      if (!Array.isArray(names)) {
        d.add('FIELD_TYPE', 'error', `"names" is ${describe(names)}, not an array.`, `${pointer}/names`);
      } else {
        for (let i = 0; i < names.length; i++) {
          const name = names[i];
          if (typeof name !== 'string') d.add('NAMES_ENTRY_TYPE', 'error', `"names[${i}]" is ${describe(name)}, not a string.`, `${pointer}/names/${i}`);
          if (this.retain) this.names.push(typeof name === 'string' ? name : '');
        }
        this.nameTotal += names.length;
      }
    }
    const nameCount = this.nameTotal - nameBase;

    this.readIgnoreList(json, pointer, base, count);

    const marked = this.lineMarks ? marks : null;
    const done = assisted?.mappings() ?? null;
    let summary;
    if (done !== null) {
      summary = done.summary;
      d.absorb(done.diagnostics, done.dropped);
      for (let i = 0; i < count; i++) {
        const mine = marks[i];
        const theirs = done.marks[i];
        if (mine != null && theirs != null) mine.set(theirs.length > mine.length ? theirs.subarray(0, mine.length) : theirs);
      }
    } else if (pieces !== null && pieces.split.mappingsStart >= 0) {
      const { mappingsStart, mappingsEnd } = pieces.split;
      summary = scanMappingBytes(pieces.read(mappingsStart, mappingsEnd), 0, mappingsEnd - mappingsStart, count, nameCount, d, `${pointer}/mappings`, marked);
    } else {
      summary = scanMappings(mappings, count, nameCount, d, `${pointer}/mappings`, marked);
    }
    // The split checked only for escapes: what else stops a pass over raw bytes is looked at now (it is rare).
    if (summary.stopped && pieces !== null && pieces.split.mappingsStart >= 0) this.checkMappingBytes(pieces);
    this.sections.push({ line, column, sourceOffset: base, sourceCount: count, nameOffset: nameBase, nameCount, mappings: this.retain ? mappings : '' });
    if (summary.lastLine >= 0) {
      const lastLine = line + summary.lastLine;
      const lastColumn = summary.lastLine === 0 ? column + summary.lastColumn : summary.lastColumn;
      this.previousLast = [lastLine, lastColumn];
    }
    return sourceRoot;
  }

  /** Decodes an index map placed at `line:column`, flattening nested index maps. */
  index(json: Record<string, unknown>, pointer: string, line: number, column: number, depth: number): void {
    const d = this.diagnostics;
    checkVersion(json, pointer, d);
    if (depth > 0) optionalString(json, 'file', pointer, d);
    if (Object.hasOwn(json, 'mappings')) {
      d.add('INDEX_MAP_WITH_MAPPINGS', 'error', 'An index map has "mappings" next to "sections".', `${pointer}/mappings`);
    }
    const sections = json.sections;
    if (!Array.isArray(sections)) {
      d.add('FIELD_TYPE', 'error', `"sections" is ${describe(sections)}, not an array.`, `${pointer}/sections`);
      return;
    }
    this.measurable = true;
    for (let i = 0; i < sections.length; i++) {
      const at = `${pointer}/sections/${i}`;
      const section = sections[i];
      if (!isObject(section)) {
        d.add('SECTION_INVALID', 'error', `Section ${i} is ${describe(section)}, not an object.`, at);
        continue;
      }
      const [offsetLine, offsetColumn] = readOffset(section, at, d);
      const absLine = line + offsetLine;
      const absColumn = offsetLine === 0 ? column + offsetColumn : offsetColumn;

      const map = Object.hasOwn(section, 'map') ? section.map : undefined;
      if (map === undefined && Object.hasOwn(section, 'url')) {
        d.add('SECTION_URL_UNSUPPORTED', 'error', `Section ${i} refers to its map by "url", which ECMA-426 does not allow.`, `${at}/url`);
        continue;
      }
      if (!isObject(map)) {
        d.add('SECTION_INVALID', 'error', `Section ${i} has ${map === undefined ? 'no "map"' : `a "map" that is ${describe(map)}`}; it needs a map object.`, `${at}/map`);
        continue;
      }

      const previous = this.previousOffset;
      if (previous !== null && compare(absLine, absColumn, previous[0], previous[1]) < 0) {
        d.add('SECTION_ORDER', 'error', `Section ${i} starts at ${absLine}:${absColumn}, before the previous section (${previous[0]}:${previous[1]}).`, `${at}/offset`);
      } else if (this.previousLast !== null && compare(absLine, absColumn, this.previousLast[0], this.previousLast[1]) <= 0) {
        d.add(
          'SECTION_OVERLAP',
          'error',
          `Section ${i} starts at ${absLine}:${absColumn}, but the previous section maps up to ${this.previousLast[0]}:${this.previousLast[1]}.`,
          `${at}/offset`,
        );
      }
      this.previousOffset = [absLine, absColumn];

      if (Object.hasOwn(map, 'sections')) {
        if (depth + 1 >= MAX_SECTION_DEPTH) {
          d.add('SECTION_NESTED_INDEX_MAP', 'error', `Section ${i} nests index maps deeper than ${MAX_SECTION_DEPTH} levels; not followed.`, `${at}/map`);
          continue;
        }
        // ECMA-426 sections hold regular maps only; nested index maps are flattened anyway so their content is measured.
        d.add('SECTION_NESTED_INDEX_MAP', 'error', `Section ${i} holds an index map; ECMA-426 allows only regular maps in sections.`, `${at}/map`);
        this.index(map, `${at}/map`, absLine, absColumn, depth + 1);
      } else {
        this.regular(map, `${at}/map`, absLine, absColumn, false);
      }
    }
  }

  private readIgnoreList(json: Record<string, unknown>, pointer: string, base: number, count: number): void {
    const key = Object.hasOwn(json, 'ignoreList') ? 'ignoreList' : Object.hasOwn(json, 'x_google_ignoreList') ? 'x_google_ignoreList' : null;
    if (key === null) return;
    const list = json[key];
    const d = this.diagnostics;
    if (!Array.isArray(list)) {
      d.add('FIELD_TYPE', 'error', `"${key}" is ${describe(list)}, not an array.`, `${pointer}/${key}`);
      return;
    }
    const seen = new Set<number>();
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (typeof item !== 'number' || !Number.isInteger(item) || item < 0) {
        d.add('IGNORE_LIST_ENTRY_TYPE', 'error', `"${key}[${i}]" is ${describe(item)}, not a non-negative integer.`, `${pointer}/${key}/${i}`);
      } else if (item >= count) {
        d.add('IGNORE_LIST_OUT_OF_RANGE', 'error', `"${key}[${i}]" is ${item}, but "sources" has ${count} entries.`, `${pointer}/${key}/${i}`);
      } else if (!seen.has(item)) {
        seen.add(item);
        this.ignoreList.push(base + item);
      }
    }
    this.ignoreList.sort((a, b) => a - b);
  }
}

function toJson(input: SourceMapInput, d: DiagnosticCollector): unknown {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) {
    text = utf8Decoder.decode(input);
    // Replacement characters can be genuine; only a strict decode tells. indexOf keeps the common case one fast scan.
    if (text.includes('\uFFFD') && !isStrictUtf8(input)) d.add('INVALID_UTF8', 'warning', INVALID_UTF8_MESSAGE, '');
  }
  else if (input !== null && typeof input === 'object') return input;
  else {
    d.add('MAP_NOT_JSON', 'error', `The map is ${describe(input)}, not JSON text, bytes or an object.`, '');
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // The `)]}'` first line is an anti-XSSI prefix some servers add; ECMA-426 says to drop it.
  if (text.startsWith(")]}'")) {
    const lf = text.indexOf('\n');
    const cr = text.indexOf('\r');
    const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    text = end === -1 ? '' : text.slice(end + 1);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    d.add('MAP_NOT_JSON', 'error', `The map is not valid JSON: ${truncate(detail, 200)}.`, '');
    return undefined;
  }
}

const INVALID_UTF8_MESSAGE = 'The map is not valid UTF-8; invalid byte sequences were read as U+FFFD.';

function isStrictUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8Decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function checkVersion(json: Record<string, unknown>, pointer: string, d: DiagnosticCollector): void {
  if (!Object.hasOwn(json, 'version')) d.add('FIELD_MISSING', 'error', 'The map has no "version" field; it must be 3.', pointer);
  else if (json.version !== 3) d.add('VERSION_INVALID', 'error', `"version" is ${describe(json.version)}; it must be the number 3.`, `${pointer}/version`);
}

function optionalString(json: Record<string, unknown>, key: string, pointer: string, d: DiagnosticCollector): string | null {
  if (!Object.hasOwn(json, key)) return null;
  const value = json[key];
  if (typeof value === 'string') return value;
  d.add('FIELD_TYPE', 'error', `"${key}" is ${describe(value)}, not a string.`, `${pointer}/${key}`);
  return null;
}

function readOffset(section: Record<string, unknown>, at: string, d: DiagnosticCollector): [number, number] {
  const offset = Object.hasOwn(section, 'offset') ? section.offset : undefined;
  if (!isObject(offset)) {
    d.add('SECTION_OFFSET', 'error', `Section offset is ${offset === undefined ? 'missing' : describe(offset)}; it needs {"line", "column"}.`, `${at}/offset`);
    return [0, 0];
  }
  const read = (key: 'line' | 'column'): number => {
    const value = Object.hasOwn(offset, key) ? offset[key] : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    d.add('SECTION_OFFSET', 'error', `Section offset "${key}" is ${value === undefined ? 'missing' : describe(value)}; it must be a non-negative integer.`, `${at}/offset/${key}`);
    return 0;
  };
  return [read('line'), read('column')];
}

function compare(lineA: number, columnA: number, lineB: number, columnB: number): number {
  return lineA !== lineB ? lineA - lineB : columnA - columnB;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short description of a JSON value for messages, never echoing more than a few characters of it. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(truncate(value, 40))}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
