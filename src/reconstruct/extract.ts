import { ForensicsError } from '../errors';
import type { ReferenceHooks } from '../report/scan';
import type { ExposureReport, MapEntry } from '../types';
import { VERSION } from '../version';
import { collisionKey, sanitizeSourcePath, withSuffix, type PathNote } from './sanitize';
import { SafeWriter } from './writer';

/** One recovered file written to disk. */
export interface WrittenSource {
  /** The raw `sources` entry. */
  source: string | null;
  /** The map it came from (path inside the target). */
  map: string;
  /** 0-based index in that map's `sources`. */
  index: number;
  /** Where it was written, relative to the output folder, POSIX separators. */
  path: string;
  /** UTF-8 bytes written. */
  bytes: number;
  /** Lines, under the report's counting rule. */
  lines: number;
  /** Hex SHA-256 of the bytes written. */
  sha256: string;
  /** What sanitising changed; `renamed` when `~N` was added to keep two different contents apart. */
  notes: (PathNote | 'renamed')[];
}

/** Why a source was not written. */
export type SkipReason =
  /** The map carries no content for it. */
  | 'no-content'
  /** The same content was already written at the same path (`sameAs`). */
  | 'duplicate'
  /** A file already took a folder name this path needs. */
  | 'path-conflict'
  /** Something other than a plain folder or file (a link) stands in the way; it was not followed. */
  | 'unsafe-existing-path'
  /** `maxWriteBytes` was reached. */
  | 'limit'
  /** Writing failed (disk full, permissions). */
  | 'write-failed'
  /** The path had an empty, `.` or `..` segment or a separator inside one (never produced by the sanitiser). */
  | 'invalid-path';

/** One source that was not written, and why. */
export interface SkippedSource {
  /** The raw `sources` entry. */
  source: string | null;
  /** The map it came from. */
  map: string;
  /** 0-based index in that map's `sources`. */
  index: number;
  /** Why. */
  reason: SkipReason;
  /** For `duplicate`: the path that already holds the same content. */
  sameAs?: string;
}

/** `manifest.json`: what was written where, and what was not. Sorted, so equal inputs give equal manifests. */
export interface ExtractionManifest {
  /** Layout version of the manifest (semver). */
  manifestVersion: '1.0.0';
  /** The tool that wrote it. */
  tool: { name: 'sourcemap-forensics'; version: string };
  /** What was scanned. */
  target: ExposureReport['target'];
  /** Totals. */
  summary: {
    /** Files written. */
    written: number;
    /** Sources not written. */
    skipped: number;
    /** Bytes written. */
    bytes: number;
    /** Lines written. */
    lines: number;
    /** Files whose path had to be changed to stay inside the folder or be portable. */
    sanitized: number;
  };
  /** Files written, sorted by path. */
  written: WrittenSource[];
  /** Sources not written, sorted by map then index. */
  skipped: SkippedSource[];
}

/** Options of the extractor beyond the scan's own. */
export interface ExtractOptions {
  /**
   * Write into a folder that already holds files (regular files at the same paths are replaced; links never).
   * @default false
   */
  force?: boolean;
  /**
   * Bytes written in all; sources past it are skipped with reason `limit`.
   * @default 2147483648 (2 GiB)
   */
  maxWriteBytes?: number;
}

const MANIFEST = 'manifest.json';

/** @internal Writes sources as a scan meets their maps; `finish` writes the manifest. */
export class Extractor {
  private readonly writer: SafeWriter;
  private readonly maxWriteBytes: number;
  private readonly written: WrittenSource[] = [];
  private readonly skipped: SkippedSource[] = [];
  /** Case-folded file path -> sha256 of what it holds (`null`: reserved). */
  private readonly files = new Map<string, string | null>([[MANIFEST, null]]);
  /** Case-folded folder paths in use. */
  private readonly folders = new Set<string>();
  private bytes = 0;

  constructor(outDir: string, options: ExtractOptions) {
    const max = options.maxWriteBytes ?? 2 * 1024 * 1024 * 1024;
    if (!Number.isInteger(max) || max < 0) {
      throw new ForensicsError('INVALID_OPTION', `option "maxWriteBytes" must be a non-negative integer, got ${JSON.stringify(options.maxWriteBytes)}`);
    }
    if (options.force !== undefined && typeof options.force !== 'boolean') {
      throw new ForensicsError('INVALID_OPTION', `option "force" must be a boolean, got ${typeof options.force}`);
    }
    this.maxWriteBytes = max;
    this.writer = new SafeWriter(outDir, options.force === true);
  }

  /** The scan hook: called with each measured map while its contents are in memory. */
  readonly hooks: ReferenceHooks = {
    onMap: (entry, contents) => this.map(entry, contents),
    keepContent: 'all',
  };

  private map(entry: MapEntry, contents: readonly (string | null)[]): void {
    for (const file of entry.files) {
      const content = contents[file.index] ?? null;
      const base = { source: file.source, map: entry.path, index: file.index };
      if (!file.hasContent || content === null) {
        this.skipped.push({ ...base, reason: 'no-content' });
        continue;
      }
      const slash = entry.path.lastIndexOf('/');
      const { segments, notes } = sanitizeSourcePath(file.path, `${entry.path}/source-${file.index}`, slash === -1 ? '' : entry.path.slice(0, slash));
      const placed = this.place(segments, file.sha256!);
      if (placed.kind === 'duplicate') {
        this.skipped.push({ ...base, reason: 'duplicate', sameAs: placed.path });
        continue;
      }
      if (placed.kind === 'conflict') {
        this.skipped.push({ ...base, reason: 'path-conflict' });
        continue;
      }
      // After the duplicate check: a copy of something written costs nothing and is reported as a duplicate.
      if (this.bytes + file.bytes > this.maxWriteBytes) {
        this.skipped.push({ ...base, reason: 'limit' });
        continue;
      }
      const refusal = this.writer.write(placed.segments, content);
      if (refusal !== null) {
        this.skipped.push({ ...base, reason: refusal });
        continue;
      }
      this.files.set(collisionKey(placed.segments), file.sha256);
      for (let i = 1; i < placed.segments.length; i++) this.folders.add(collisionKey(placed.segments.slice(0, i)));
      this.bytes += file.bytes;
      this.written.push({
        ...base,
        path: placed.segments.join('/'),
        bytes: file.bytes,
        lines: file.lines,
        sha256: file.sha256!,
        notes: placed.renamed ? [...notes, 'renamed'] : notes,
      });
    }
  }

  /**
   * Where a file goes: its own path when free; `name~2.ext`, `~3` and so on when a different content (or a folder) holds it;
   * nowhere when the same content is already there. Case is ignored, as Windows and macOS ignore it.
   */
  private place(segments: string[], sha256: string): { kind: 'write'; segments: string[]; renamed: boolean } | { kind: 'duplicate'; path: string } | { kind: 'conflict' } {
    for (let i = 1; i < segments.length; i++) {
      if (this.files.has(collisionKey(segments.slice(0, i)))) return { kind: 'conflict' };
    }
    const last = segments[segments.length - 1]!;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? segments : [...segments.slice(0, -1), withSuffix(last, `~${n}`)];
      const key = collisionKey(candidate);
      const held = this.files.get(key);
      if (held === sha256) return { kind: 'duplicate', path: candidate.join('/') };
      if (held === undefined && !this.folders.has(key)) return { kind: 'write', segments: candidate, renamed: n > 1 };
    }
  }

  /** Writes `manifest.json` and returns it. */
  finish(report: ExposureReport): ExtractionManifest {
    const written = [...this.written].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const skipped = [...this.skipped].sort((a, b) => (a.map < b.map ? -1 : a.map > b.map ? 1 : a.index - b.index));
    const manifest: ExtractionManifest = {
      manifestVersion: '1.0.0',
      tool: { name: 'sourcemap-forensics', version: VERSION },
      target: report.target,
      summary: {
        written: written.length,
        skipped: skipped.length,
        bytes: this.bytes,
        lines: written.reduce((n, w) => n + w.lines, 0),
        sanitized: written.filter((w) => w.notes.length > 0).length,
      },
      written,
      skipped,
    };
    const refusal = this.writer.write([MANIFEST], `${JSON.stringify(manifest, null, 2)}\n`);
    if (refusal !== null) throw new ForensicsError('OUTPUT_UNWRITABLE', `cannot write ${MANIFEST} in ${this.writer.root}: ${refusal}`);
    return manifest;
  }
}
