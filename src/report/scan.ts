import { measureMap, type ContentVisitor, type KeepContent, type Measurement } from '../analysis/measure';
import type { MapAssistant } from '../map/assist';
import type { SourceEntry } from '../types';
import type { MapFile, SourceMapInput } from '../map/parse';
import { openArchive, type ArchiveVfs, type NestedArchive, type OpenedArchive, type ReportedArchiveFormat } from '../input/archive/open';
import { memorySource, type ByteSource } from '../input/archive/bytes';
import { detectArchive, SNIFF_BYTES, type ArchiveFormat } from '../input/archive/detect';
import { Budget, CorruptError, LimitError } from '../input/archive/limits';
import { decodeDataUrl } from '../input/data-url';
import { resolveMapUrl, type MapReference } from '../input/resolve';
import { extractSourceMappingUrl, type CommentSyntax } from '../input/source-mapping-url';
import { comparePaths, type Vfs } from '../input/vfs';
import type { ExposureReport, InvalidMap, MapEntry, MissingMap, RemoteMap, ReportTarget } from '../types';
import { findInternalUrls, findPrivateKeys } from '../analysis/signals';
import { buildReport, type ScanProblem, type SignalFinding } from './build';
import type { ResolvedScanOptions } from './options';

/** Extensions whose files may carry a `sourceMappingURL` comment, with their comment syntax. */
const GENERATED: Readonly<Record<string, CommentSyntax>> = {
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'js',
  '.ts': 'js',
  '.mts': 'js',
  '.cts': 'js',
  '.tsx': 'js',
  '.css': 'css',
};

function extension(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 ? path.slice(dot).toLowerCase() : '';
}

/** Files the scan reads by name: maps and generated files. Everything else is only sniffed for archive magic. */
export function isScanRelevant(path: string): boolean {
  const ext = extension(path);
  return ext === '.map' || GENERATED[ext] !== undefined;
}

/** What a target opened to: a file view, or an archive to open inside the scan (where limits apply). */
export type ScanInput =
  | { kind: 'vfs'; vfs: Vfs }
  | { kind: 'archive'; source: ByteSource; format: ArchiveFormat; name: string };

/**
 * Hooks into a scan: the site scanner says where generated files point (instead of their comments), and the
 * extractor sees each measured map's contents while they are in memory.
 */
export interface ReferenceHooks {
  /** Called once per measured map with the contents `keepContent` asked for (aligned with `entry.files`, null elsewhere). */
  onMap?(entry: MapEntry, contents: readonly (string | null)[]): void;
  /** Which sources' contents `onMap` gets; without it, none (contents are read one at a time and dropped). */
  keepContent?: KeepContent;
  /** Another thread for big maps' hash and mappings pass (the Node entry's worker). */
  assistant?: MapAssistant;
  /** Told how many bytes of dead strings each content read left behind (the Node entry collects them). */
  reclaim?: (bytes: number) => void;
  /** A `SourceMap` response header for this file, which wins over its comment. */
  headerUrl?(path: string): string | null;
  /** Resolves a URL found in this file; `undefined` falls back to the file-system rules. */
  resolve?(url: string, path: string): MapReference | undefined;
  /** An external map of the target's own file view already read and measured elsewhere (a worker); `undefined`: read and measure it here. */
  premeasured?(path: string): Premeasured | undefined;
}

/** One map file read and measured elsewhere, as {@link ReferenceHooks.premeasured} hands it over. */
export interface Premeasured {
  /** Bytes of the file. */
  size: number;
  /** What `measureMap` gave; absent when `size` is over `maxMapBytes`. `contents` is what `onMap` will see. */
  measurement?: Measurement;
  /** The leak signals found in its sources (as {@link measureAndDetect} finds them). */
  signals: SignalFinding[];
}

interface Context {
  options: ResolvedScanOptions;
  hooks: ReferenceHooks;
  budget: Budget;
  measured: MapEntry[];
  unmeasured: InvalidMap[];
  missing: MissingMap[];
  remote: RemoteMap[];
  problems: ScanProblem[];
  signals: SignalFinding[];
  filesScanned: number;
  bytesScanned: number;
  filesTotal: number;
  filesDone: number;
}

/**
 * Scans a target: finds maps (external `.map` files, `sourceMappingURL` comments, inline `data:` URLs) in it and
 * in the archives it holds (to `maxDepth`), measures each map once, and builds the report. Synchronous; the only
 * I/O is through the Vfs and ByteSource it is given.
 */
export function scanInput(input: ScanInput, target: ReportTarget, options: ResolvedScanOptions, hooks: ReferenceHooks = {}): ExposureReport {
  const ctx: Context = {
    options,
    hooks,
    budget: new Budget(options.limits),
    measured: [],
    unmeasured: [],
    missing: [],
    remote: [],
    problems: [],
    signals: [],
    filesScanned: 0,
    bytesScanned: 0,
    filesTotal: 0,
    filesDone: 0,
  };
  ctx.budget.tick = () => progress(ctx);
  if (input.kind === 'vfs') scanLayer(ctx, input.vfs, '', 0, options.orphans);
  else {
    ctx.bytesScanned += input.source.size;
    try {
      const format = scanArchive(ctx, input.source, input.format, input.name, '', 1);
      target = { ...target, format: format ?? (input.format === 'gzip' ? 'tgz' : input.format) };
    } finally {
      input.source.close?.();
    }
  }
  progress(ctx);
  const report = buildReport({
    target,
    measured: ctx.measured,
    unmeasured: ctx.unmeasured,
    missing: ctx.missing,
    remote: ctx.remote,
    problems: ctx.problems,
    filesScanned: ctx.filesScanned,
    bytesScanned: ctx.bytesScanned,
    archives: { total: ctx.budget.archives, entries: ctx.budget.entries, inflatedBytes: ctx.budget.inflated },
    signals: ctx.signals,
  });
  return report;
}

function progress(ctx: Context): void {
  ctx.options.onProgress?.({
    filesDone: ctx.filesDone,
    filesTotal: ctx.filesTotal,
    bytesRead: ctx.bytesScanned,
    archiveEntries: ctx.budget.entries,
    bytesInflated: ctx.budget.inflated,
  });
}

/** Records a limit or corruption as a finding; anything else is a bug and propagates. */
function problem(ctx: Context, path: string, error: unknown): void {
  if (error instanceof LimitError) {
    ctx.problems.push({ code: 'ARCHIVE_LIMIT', path, args: { limit: error.limit, value: error.value, reason: error.message } });
  } else if (error instanceof CorruptError) {
    ctx.problems.push({ code: 'ARCHIVE_CORRUPT', path, args: { reason: error.message } });
  } else {
    ctx.problems.push({ code: 'FILE_UNREADABLE', path, args: { reason: error instanceof Error ? error.message : String(error) } });
  }
}

/**
 * Opens and scans one archive, from its bytes or with `open` (a nested archive streamed from its entry); returns
 * what it turned out to be, or null when it could not be opened.
 */
function scanArchive(
  ctx: Context,
  source: ByteSource | (() => OpenedArchive),
  format: ArchiveFormat,
  name: string,
  prefix: string,
  depth: number,
): ReportedArchiveFormat | null {
  // Problems about the archive as a whole are reported on the archive's own path.
  const self = prefix === '' ? name : prefix.slice(0, -2);
  let opened;
  try {
    opened = typeof source === 'function' ? source() : openArchive(source, format, name, ctx.budget, isScanRelevant, ctx.options.limits.maxDepth - depth);
  } catch (error) {
    if (error instanceof LimitError || error instanceof CorruptError) {
      problem(ctx, self, error);
      return null;
    }
    throw error;
  }
  scanLayer(ctx, opened.vfs, prefix, depth, true);
  // After the layer: zip entries are read lazily and can add problems while the layer is scanned.
  for (const p of opened.problems) problem(ctx, p.path === '' ? self : prefix + p.path, p.error);
  return opened.format;
}

/** One file view: an archive's entries are another layer, their paths prefixed `archive!/`. */
function scanLayer(ctx: Context, vfs: Vfs, prefix: string, depth: number, orphans: boolean): void {
  const files = vfs.list();
  ctx.filesTotal += files.length;
  if (vfs.problems) {
    for (const p of vfs.problems) ctx.problems.push({ code: 'FILE_UNREADABLE', path: prefix + p.path, args: { reason: p.reason } });
  }
  /** External map path -> generated files that reference it. */
  const references = new Map<string, string[]>();
  const mapFiles: string[] = [];

  const read = (path: string): Uint8Array | null => {
    try {
      const bytes = vfs.read(path);
      ctx.filesScanned++;
      ctx.bytesScanned += bytes.length;
      return bytes;
    } catch (error) {
      problem(ctx, prefix + path, error);
      return null;
    }
  };
  const record = (path: string, kind: MapEntry['kind'], input: Uint8Array | MapFile | Premeasured, generatedFiles: string[]): void => {
    const limits = ctx.options.limits;
    const size = input instanceof Uint8Array ? input.length : input.size;
    const measured = 'signals' in input ? null : input;
    if (size > limits.maxMapBytes) {
      ctx.problems.push({ code: 'MAP_LIMIT', path: prefix + path, args: { limit: 'maxMapBytes', value: limits.maxMapBytes, actual: size } });
      return;
    }
    const { measurement: m, signals } =
      measured !== null
        ? measureAndDetect(measured, prefix + path, kind, ctx.options, ctx.hooks.keepContent, ctx.hooks.assistant, ctx.hooks.reclaim)
        : { measurement: (input as Premeasured).measurement!, signals: (input as Premeasured).signals };
    if (m.tooManySources !== undefined) {
      ctx.problems.push({ code: 'MAP_LIMIT', path: prefix + path, args: { limit: 'maxSources', value: limits.maxSources, actual: m.tooManySources } });
      return;
    }
    if (m.entry === null) {
      ctx.unmeasured.push({ path: prefix + path, kind, measured: false, diagnostics: m.diagnostics });
      return;
    }
    m.entry.generatedFiles = generatedFiles.map((g) => prefix + g);
    m.entry.orphan = kind === 'external' && generatedFiles.length === 0 && orphans;
    ctx.measured.push(m.entry);
    ctx.signals.push(...signals);
    ctx.hooks.onMap?.(m.entry, m.contents);
  };
  const link = (path: string, url: string): void => {
    const ref = ctx.hooks.resolve?.(url, path) ?? resolveMapUrl(url, path);
    switch (ref.kind) {
      case 'inline': {
        const decoded = decodeDataUrl(url);
        if (decoded.ok) record(path, 'inline', decoded.bytes, [path]);
        else {
          ctx.unmeasured.push({
            path: prefix + path,
            kind: 'inline',
            measured: false,
            diagnostics: [{ code: 'DATA_URL_INVALID', severity: 'error', message: `The inline data: URL is broken: ${decoded.reason}.`, pointer: '' }],
          });
        }
        return;
      }
      case 'remote':
        ctx.remote.push({ url, generatedFile: prefix + path });
        return;
      case 'skipped':
        return;
      case 'outside':
        ctx.missing.push({ url, generatedFile: prefix + path, resolvedPath: null, reason: 'outside-target' });
        return;
      case 'local':
        if (vfs.has(ref.path)) {
          const list = references.get(ref.path);
          if (list === undefined) references.set(ref.path, [path]);
          else list.push(path);
        } else {
          ctx.missing.push({ url, generatedFile: prefix + path, resolvedPath: prefix + ref.path, reason: 'not-found' });
        }
        return;
    }
  };

  for (const path of files) {
    const ext = extension(path);
    if (ext === '.map') {
      mapFiles.push(path);
    } else if (GENERATED[ext] !== undefined) {
      const bytes = read(path);
      if (bytes !== null) {
        const url = ctx.hooks.headerUrl?.(path) ?? extractSourceMappingUrl(bytes, GENERATED[ext]!);
        if (url) link(path, url);
      }
    } else {
      sniff(ctx, vfs, path, prefix, depth);
    }
    ctx.filesDone++;
    progress(ctx);
  }

  const external = new Set([...mapFiles, ...references.keys()]);
  for (const path of [...external].sort(comparePaths)) {
    const pre = depth === 0 ? ctx.hooks.premeasured?.(path) : undefined;
    if (pre !== undefined) {
      ctx.filesScanned++;
      ctx.bytesScanned += pre.size;
      record(path, 'external', pre, references.get(path) ?? []);
      continue;
    }
    // A big map file is read on demand, so its bytes are not held while its contents are measured.
    let file: MapFile | null = null;
    try {
      file = vfs.mapFile?.(path) ?? null;
    } catch (error) {
      problem(ctx, prefix + path, error);
      continue;
    }
    if (file !== null) {
      ctx.filesScanned++;
      ctx.bytesScanned += file.size;
      record(path, 'external', file, references.get(path) ?? []);
      continue;
    }
    const bytes = read(path);
    if (bytes !== null) record(path, 'external', bytes, references.get(path) ?? []);
  }
}

/**
 * Measures one map and finds its leak signals while each content is in memory (so they are never all held at once).
 * `keep` says which contents to hand back in `measurement.contents`.
 */
export function measureAndDetect(
  input: SourceMapInput | MapFile,
  path: string,
  kind: MapEntry['kind'],
  options: Pick<ResolvedScanOptions, 'signals' | 'detectors'> & { limits: { maxSources: number } },
  keep?: KeepContent,
  assistant?: MapAssistant,
  reclaim?: (bytes: number) => void,
): { measurement: Measurement; signals: SignalFinding[] } {
  const signals = new MapSignals(path, options);
  const visitor: ContentVisitor = {};
  if (keep !== undefined) visitor.keep = keep;
  if (assistant !== undefined) visitor.assistant = assistant;
  if (reclaim !== undefined) visitor.reclaim = reclaim;
  // Detectors see every file; without them third-party contents are only measured, so another thread may do it.
  visitor.thirdPartyOnlyMeasured = options.detectors.length === 0;
  const measurement = measureMap(input, path, kind, options.limits.maxSources, signals.active ? { ...visitor, visit: (file, content) => signals.file(file, content) } : visitor);
  // A map that could not be measured may have been visited in part: what was found there is dropped.
  return { measurement, signals: measurement.entry === null ? [] : signals.finish() };
}

/** Leak signals in one map's recovered sources (first-party), and the caller's detectors (every file), fed file by file. */
export class MapSignals {
  /** Whether any file needs to be seen at all. */
  readonly active: boolean;
  private readonly found: SignalFinding[] = [];
  private commentLines = 0;
  private firstPartyLines = 0;

  constructor(
    private readonly path: string,
    private readonly options: Pick<ResolvedScanOptions, 'signals' | 'detectors'>,
  ) {
    this.active = options.signals || options.detectors.length > 0;
  }

  /** One source with content, in source order. */
  file(file: SourceEntry, content: string): void {
    const { signals, detectors } = this.options;
    const found = this.found;
    const at = (line: number, column: number) => ({ path: this.path, source: file.source ?? `#${file.index}`, line, column });
    if (signals && !file.thirdParty) {
      this.commentLines += file.commentLines ?? 0;
      this.firstPartyLines += file.lines;
      for (const key of findPrivateKeys(content)) {
        found.push({ code: 'PRIVATE_KEY_IN_SOURCE', location: at(key.line, key.column), args: { kind: key.kind, line: key.line } });
      }
      for (const url of findInternalUrls(content)) {
        found.push({
          code: 'INTERNAL_URL_IN_SOURCE',
          location: at(url.line, url.column),
          args: { host: url.host, url: url.url.slice(0, 200), occurrences: url.occurrences, line: url.line },
        });
      }
    }
    for (const detector of detectors) {
      let matches;
      try {
        matches = detector.detect({ map: this.path, source: file.source, path: file.path, content, thirdParty: file.thirdParty });
      } catch (error) {
        matches = [{ line: 1, column: 0, severity: 'low' as const, message: `the detector failed: ${error instanceof Error ? error.message : String(error)}`, rule: 'detector-error' }];
      }
      for (const match of matches) {
        found.push({
          code: 'DETECTOR_MATCH',
          severity: match.severity,
          location: at(match.line, match.column),
          args: { detector: detector.name, rule: match.rule ?? null, message: match.message, line: match.line },
        });
      }
    }
  }

  /** Every finding, closed by the map's share of comment lines. */
  finish(): SignalFinding[] {
    if (this.options.signals && this.commentLines > 0) {
      this.found.push({
        code: 'COMMENTS_EXPOSED',
        location: { path: this.path },
        args: { commentLines: this.commentLines, lines: this.firstPartyLines, percent: Math.round((this.commentLines / this.firstPartyLines) * 1000) / 10 },
      });
    }
    return this.found;
  }
}

/** Opens a file as a nested archive when its head says it is one. */
function sniff(ctx: Context, vfs: Vfs, path: string, prefix: string, depth: number): void {
  let head: Uint8Array;
  try {
    head = vfs.head ? vfs.head(path, SNIFF_BYTES) : vfs.read(path).subarray(0, SNIFF_BYTES);
  } catch (error) {
    return problem(ctx, prefix + path, error);
  }
  const format = detectArchive(head);
  if (format === null) return;
  if (depth + 1 > ctx.options.limits.maxDepth) {
    return problem(ctx, prefix + path, new LimitError('maxDepth', ctx.options.limits.maxDepth, `archive nested deeper than ${ctx.options.limits.maxDepth} levels; not opened`));
  }
  // Tar and gzip inside an archive stream from their entry (zip needs random access and is read whole).
  let nested: (() => NestedArchive) | null = null;
  try {
    nested = 'openNested' in vfs ? (vfs as ArchiveVfs).openNested(path, format) : null;
  } catch (error) {
    return problem(ctx, prefix + path, error);
  }
  if (nested !== null) {
    const open = nested;
    scanArchive(
      ctx,
      () => {
        const { opened, bytes } = open();
        ctx.filesScanned++;
        ctx.bytesScanned += bytes;
        return opened;
      },
      format,
      path,
      `${prefix}${path}!/`,
      depth + 1,
    );
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = vfs.read(path);
  } catch (error) {
    return problem(ctx, prefix + path, error);
  }
  ctx.filesScanned++;
  ctx.bytesScanned += bytes.length;
  scanArchive(ctx, memorySource(bytes), format, path, `${prefix}${path}!/`, depth + 1);
}
