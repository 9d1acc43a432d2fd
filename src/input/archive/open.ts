import { comparePaths, normalizePath, type Vfs } from '../vfs';
import { concat, memorySource, type ByteSource } from './bytes';
import { detectArchive, isTarHeader, SNIFF_BYTES, type ArchiveFormat } from './detect';
import { gunzipStream } from './gzip';
import { CorruptError, LimitError, type Budget } from './limits';
import { TarReader } from './tar';
import { openZip, type ZipEntry } from './zip';

/** The format an archive is reported as: `tgz` is gzip around tar; `gzip` one gzipped file. */
export type ReportedArchiveFormat = 'tgz' | 'tar' | 'zip' | 'crx' | 'gzip';

/** A problem found while opening an archive, with the entry path it concerns (relative to the archive). */
export interface ArchiveProblem {
  /** Entry path, or `''` for the archive as a whole. */
  path: string;
  /** What went wrong. */
  error: LimitError | CorruptError;
}

/** An archive opened as a Vfs. */
export interface OpenedArchive {
  /** What it turned out to be. */
  format: ReportedArchiveFormat;
  /** Its regular files (for tar: the ones the scan needs; others are counted and dropped while streaming). */
  vfs: Vfs;
  /** Corruption and limits met while opening; what could be read is still in `vfs`. */
  problems: ArchiveProblem[];
}

/**
 * Opens an archive whose format was detected from its head. `relevant(path)` says which tar entries to keep
 * by name; every other entry is kept only when its own head is an archive (nested archives are found by magic).
 */
export function openArchive(
  source: ByteSource,
  format: ArchiveFormat,
  name: string,
  budget: Budget,
  relevant: (path: string) => boolean,
): OpenedArchive {
  budget.archives++;
  const problems: ArchiveProblem[] = [];
  const guard = (path: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      if (error instanceof LimitError || error instanceof CorruptError) problems.push({ path, error });
      else throw error;
    }
  };

  if (format === 'zip' || format === 'crx') {
    let entries: ZipEntry[] = [];
    let zip: ReturnType<typeof openZip> | null = null;
    guard('', () => {
      if (format === 'crx') checkCrx(source);
      zip = openZip(source, budget);
      entries = zip.entries;
    });
    const byPath = new Map<string, ZipEntry>();
    for (const entry of entries) byPath.set(entryPath(entry.name), entry);
    const list = [...byPath.keys()].sort(comparePaths);
    const get = (path: string): ZipEntry => {
      const entry = byPath.get(path);
      if (entry === undefined || zip === null) throw new Error(`no entry ${path}`);
      return entry;
    };
    return {
      format,
      problems,
      vfs: {
        list: () => list,
        has: (path) => byPath.has(path),
        read: (path) => {
          const entry = get(path);
          const data = zip!.read(entry);
          // A size that lies is a sign of a crafted archive: worth saying, though the real bytes were read.
          if (data.length !== entry.declaredSize) {
            problems.push({ path, error: new CorruptError(`${path} declares ${entry.declaredSize} bytes but inflates to ${data.length}`) });
          }
          return data;
        },
        head: (path, n) => zip!.read(get(path), n),
      },
    };
  }

  // tar, or gzip around tar or around a single file.
  const files = new Map<string, Uint8Array>();
  // Mutated inside callbacks, hence an object (TypeScript would narrow a plain variable).
  const state: { reported: ReportedArchiveFormat } = { reported: format === 'tar' ? 'tar' : 'tgz' };
  const reader = new TarReader(
    {
      want: (path) => (relevant(entryPath(path)) ? 'keep' : 'sniff'),
      decide: (_path, head) => detectArchive(head) !== null,
      file: (path, data) => void files.set(entryPath(path), data),
      problem: (path, error) => void problems.push({ path: entryPath(path), error }),
    },
    budget,
    SNIFF_BYTES,
  );
  if (format === 'tar') {
    guard('', () => {
      const chunk = 64 * 1024;
      for (let at = 0; at < source.size && !reader.finished; at += chunk) {
        const bytes = source.read(at, chunk);
        budget.inflate(bytes.length);
        reader.push(bytes);
      }
      reader.end();
    });
  } else {
    // Decide tar or single file on the first 512 inflated bytes.
    let head: Uint8Array | null = new Uint8Array(0);
    const single: Uint8Array[] = [];
    let singleBytes = 0;
    let oversized = false;
    const keepSingle = (chunk: Uint8Array): void => {
      if (oversized) return;
      if (singleBytes + chunk.length > budget.limits.maxEntryBytes) {
        // Like a tar entry over the limit: reported, and not scanned at all (a prefix of a map is no map).
        oversized = true;
        single.length = 0;
        problems.push({ path: '', error: new LimitError('maxEntryBytes', budget.limits.maxEntryBytes, `${name} inflates past the per-entry limit`) });
        return;
      }
      single.push(chunk);
      singleBytes += chunk.length;
    };
    guard('', () => {
      gunzipStream(source, 0, budget, name, (chunk) => {
        if (head !== null) {
          // Two parts: always a fresh copy, never the inflater's reused buffer.
          const joined = concat([head, chunk], head.length + chunk.length);
          if (joined.length < 512) {
            head = joined;
            return;
          }
          head = null;
          if (isTarHeader(joined.subarray(0, 512))) reader.push(joined);
          else {
            state.reported = 'gzip';
            keepSingle(joined);
          }
          return !reader.finished;
        }
        if (state.reported === 'gzip') {
          keepSingle(chunk.slice());
          return !oversized;
        }
        reader.push(chunk);
        return !reader.finished;
      });
      // Under 512 bytes in all: a small (or empty) gzipped file, never a tar.
      if (head !== null) {
        state.reported = 'gzip';
        keepSingle(head);
      }
      if (state.reported === 'tgz') reader.end();
    });
    if (state.reported === 'gzip' && !oversized && problems.length === 0) {
      // One gzipped file is one entry.
      guard('', () => budget.entry());
      files.set(gunzippedName(name), concat(single, singleBytes));
    }
  }
  const list = [...files.keys()].sort(comparePaths);
  return {
    format: state.reported,
    problems,
    vfs: {
      list: () => list,
      has: (path) => files.has(path),
      read(path) {
        const data = files.get(path);
        if (data === undefined) throw new Error(`no entry ${path}`);
        return data;
      },
    },
  };
}

/** Opens an archive held in memory. */
export function openArchiveBytes(bytes: Uint8Array, format: ArchiveFormat, name: string, budget: Budget, relevant: (path: string) => boolean): OpenedArchive {
  return openArchive(memorySource(bytes), format, name, budget, relevant);
}

/** Entry names as paths: separators folded, `.` and leading `/` dropped; a name whose `..` escapes is kept as written. */
function entryPath(name: string): string {
  const normal = normalizePath(name);
  return normal === null || normal === '' ? name : normal;
}

/** `x.js.map.gz` holds `x.js.map`; any other name gets its last extension dropped, or `.ungz` added. */
function gunzippedName(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (/\.gz$/i.test(base)) return base.slice(0, -3);
  if (/\.tgz$/i.test(base)) return `${base.slice(0, -4)}.tar`;
  return `${base}.ungz`;
}

/** CRX2 (`Cr24`, version 2, key and signature lengths) and CRX3 (`Cr24`, version 3, header length) before the zip. */
function checkCrx(source: ByteSource): void {
  const head = source.read(0, 16).slice();
  const version = head[4]! | (head[5]! << 8) | (head[6]! << 16) | (head[7]! << 24);
  if (version !== 2 && version !== 3) throw new CorruptError(`CRX version ${version} is not 2 or 3`);
}
