import type { MapFile } from '../../map/parse';
import { comparePaths, normalizePath, type Vfs } from '../vfs';
import { ByteCollector, memorySource, readOwned, sliceSource, type ByteSource } from './bytes';
import { detectArchive, isTarHeader, SNIFF_BYTES, type ArchiveFormat } from './detect';
import { GunzipStream, type GunzipCheckpoint } from './gzip';
import { CorruptError, LimitError, type Budget } from './limits';
import { deflateStart, gzipPoint, gzipStart, StreamReader } from './reread';
import { TarReader, type TarEntryStream } from './tar';
import { openZip, type ZipArchive, type ZipEntry } from './zip';

/**
 * Kept files at least this big are not held when the archive's bytes can be read again (a file, or bytes in memory):
 * they are read again from the archive, inflated again from a checkpoint if need be, each time the scan asks, as a
 * directory's big map files are read from disk (`Vfs.mapFile`).
 */
export const ON_DEMAND_BYTES = 4 * 1024 * 1024;

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
  vfs: ArchiveVfs;
  /** Corruption and limits met while opening; what could be read is still in `vfs`. */
  problems: ArchiveProblem[];
}

/** An archive opened from an entry of another one, with the entry's length in bytes. */
export interface NestedArchive {
  opened: OpenedArchive;
  /** Bytes of the entry (read, or inflated from the outer archive). */
  bytes: number;
}

/** The Vfs of an opened archive: nested archives in it can be opened without holding their bytes. */
export interface ArchiveVfs extends Vfs {
  /**
   * How to open the archive in entry `path` (`format` from its head) without reading the entry whole, or null when
   * it has to be read whole (a zip needs random access). Tar and gzip entries of a tar were opened while the outer
   * tar streamed by; those of a zip are inflated into their reader chunk by chunk. Throws like `read` does.
   */
  openNested(path: string, format: ArchiveFormat): (() => NestedArchive) | null;
  /** A big file read on demand from the archive (see {@link ON_DEMAND_BYTES}); null when it is held or small. */
  mapFile(path: string): MapFile | null;
}

/**
 * Opens an archive whose format was detected from its head. `relevant(path)` says which tar entries to keep
 * by name; every other entry is kept only when its own head is an archive (nested archives are found by magic).
 * Nested tar and gzip archives are opened as they stream, `depthLeft` levels down (default: `maxDepth` - 1, for an
 * archive at the top); deeper ones keep only their head, for the caller to report.
 */
export function openArchive(
  source: ByteSource,
  format: ArchiveFormat,
  name: string,
  budget: Budget,
  relevant: (path: string) => boolean,
  depthLeft = budget.limits.maxDepth - 1,
): OpenedArchive {
  if (format === 'zip' || format === 'crx') return openZipArchive(source, format, budget, relevant, depthLeft);
  budget.archives++;
  const stream = new ArchiveStream(format, name, budget, relevant, depthLeft, format === 'gzip' ? isizeOf(source) : 0, source);
  const step = 64 * 1024;
  for (let at = 0; at < source.size; at += step) {
    if (!stream.push(source.read(at, Math.min(step, source.size - at)))) break;
  }
  stream.end();
  return stream.result();
}

/** Opens an archive held in memory. */
export function openArchiveBytes(
  bytes: Uint8Array,
  format: ArchiveFormat,
  name: string,
  budget: Budget,
  relevant: (path: string) => boolean,
  depthLeft?: number,
): OpenedArchive {
  return openArchive(memorySource(bytes), format, name, budget, relevant, depthLeft);
}

/** Runs `run`, recording a limit or corruption as a problem of `path`; returns false when it did. */
function guard(problems: ArchiveProblem[], path: string, run: () => void): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof LimitError || error instanceof CorruptError) {
      problems.push({ path, error });
      return false;
    }
    throw error;
  }
}

function openZipArchive(source: ByteSource, format: 'zip' | 'crx', budget: Budget, relevant: (path: string) => boolean, depthLeft: number): OpenedArchive {
  budget.archives++;
  const problems: ArchiveProblem[] = [];
  let entries: ZipEntry[] = [];
  let zip: ZipArchive | null = null;
  guard(problems, '', () => {
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
  // A size that lies is a sign of a crafted archive: worth saying, though the real bytes were read.
  const checkSize = (path: string, entry: ZipEntry, length: number): void => {
    if (length !== entry.declaredSize) {
      problems.push({ path, error: new CorruptError(`${path} declares ${entry.declaredSize} bytes but inflates to ${length}`) });
    }
  };
  const reader = new StreamReader('a zip entry');
  return {
    format,
    problems,
    vfs: {
      list: () => list,
      has: (path) => byPath.has(path),
      read: (path) => {
        const entry = get(path);
        const data = zip!.read(entry);
        checkSize(path, entry, data.length);
        return data;
      },
      head: (path, n) => zip!.read(get(path), n),
      mapFile(path) {
        const entry = get(path);
        if (Math.max(entry.declaredSize, entry.compressedSize) < ON_DEMAND_BYTES) return null;
        // Inflated once to learn (and check, and count) its real length; then inflated again as it is read.
        const size = zip!.stream(entry, () => true);
        checkSize(path, entry, size);
        const data = zip!.data(entry);
        if (entry.method === 0) return boundedFile(size, (offset, length) => readOwned(data, offset, length));
        const start = deflateStart(data, path);
        return boundedFile(size, (offset, length) => reader.read(start, offset, length));
      },
      openNested(path, nested) {
        if (nested === 'zip' || nested === 'crx' || depthLeft <= 0) return null;
        const entry = get(path);
        return () => {
          // A stored entry lies as it is in the zip: what the archive inside keeps can be read again from there.
          const inner = new ArchiveStream(nested, path, budget, relevant, depthLeft - 1, 0, entry.method === 0 ? zip!.data(entry) : null);
          // The entry is inflated to its end even when the archive inside ends first, so it is checked whole.
          const length = zip!.stream(entry, (chunk) => inner.push(chunk));
          // Counted once its entry was read, as when it was read whole first.
          budget.archives++;
          inner.end();
          checkSize(path, entry, length);
          return { opened: inner.result(), bytes: length };
        };
      },
    },
  };
}

/** A nested archive met in a tar: opened as it streamed by (or only its head kept, past the depth limit). */
interface StreamedEntry {
  kind: 'nested';
  head: Uint8Array;
  opened: OpenedArchive | null;
  size: number;
}

/** A big file of a tar, read again from the archive when asked for. */
interface OnDemandEntry {
  kind: 'on-demand';
  file: MapFile;
}

/**
 * A tar, a gzipped tar or one gzipped file, opened from bytes pushed in order: from a file, or from an entry of
 * another archive while that inflates. Nothing but the files the scan keeps is held: relevant files, nested zips
 * (which need random access), and what nested tar and gzip archives keep in turn, opened as their bytes stream by.
 * When the pushed bytes can be read again (`source`), relevant files of {@link ON_DEMAND_BYTES} or more are not held
 * either: a plain tar's are read again at their offset, a gzip's inflated again from a checkpoint taken at the chunk
 * that held their header. The caller counts the archive in `budget.archives`.
 */
class ArchiveStream {
  readonly problems: ArchiveProblem[] = [];
  private readonly files = new Map<string, Uint8Array | StreamedEntry | OnDemandEntry>();
  private reported: ReportedArchiveFormat;
  private readonly reader: TarReader;
  private readonly gunzip: GunzipStream | null = null;
  /** A limit or damage stopped reading: later input is ignored. */
  private failed = false;
  // gzip: the first 512 inflated bytes tell a tar from a single file.
  private readonly head = new Uint8Array(512);
  private headLength = 0;
  private single: ByteCollector | null = null;
  private oversized = false;
  /** The single gzipped file is big: only its length is kept, its bytes are inflated again when read. */
  private singleLength = -1;
  /** gzip: where the chunk holding the last big entry's header starts, to inflate that entry again from there. */
  private checkpoint: GunzipCheckpoint | null = null;
  private rereader: StreamReader | null = null;

  constructor(
    format: 'gzip' | 'tar',
    private readonly name: string,
    private readonly budget: Budget,
    private readonly relevant: (path: string) => boolean,
    private readonly depthLeft: number,
    /** For one gzipped file: its likely length (the trailer's ISIZE), to allocate it once. */
    private readonly sizeHint: number,
    /** The bytes pushed, when they can be read again (a file, memory, a stored zip entry): big files are then not held. */
    private readonly source: ByteSource | null,
  ) {
    this.reported = format === 'tar' ? 'tar' : 'tgz';
    this.reader = new TarReader(
      {
        want: (path, size) => this.want(entryPath(path), size),
        decide: (path, head, size) => this.decide(entryPath(path), head, size),
        file: (path, data) => void this.files.set(entryPath(path), data),
        marked: (path, offset, size) => this.marked(entryPath(path), offset, size),
        problem: (path, error) => void this.problems.push({ path: entryPath(path), error }),
      },
      budget,
      SNIFF_BYTES,
    );
    if (format === 'gzip') this.gunzip = new GunzipStream(budget, name, (chunk) => this.inflated(chunk));
  }

  /** Feeds the archive's next bytes (never held: the caller may reuse them). False once no more are wanted. */
  push(chunk: Uint8Array): boolean {
    // Past the end of a tar (or of a gzip that asked to stop) nothing more is read or counted.
    if (this.failed || this.reader.finished) return false;
    let more = true;
    this.failed = !guard(this.problems, '', () => {
      if (this.gunzip !== null) {
        more = this.gunzip.push(chunk);
      } else {
        this.budget.inflate(chunk.length);
        this.reader.push(chunk);
        more = !this.reader.finished;
      }
    });
    return more && !this.failed;
  }

  /** The input ended: checks that nothing was cut off. */
  end(): void {
    if (this.failed) return;
    this.failed = !guard(this.problems, '', () => {
      if (this.gunzip !== null) {
        this.gunzip.end();
        // Under 512 bytes in all: a small (or empty) gzipped file, never a tar.
        if (this.headLength < 512) {
          this.reported = 'gzip';
          this.keepSingle(this.head.subarray(0, this.headLength));
        }
      }
      if (this.reported !== 'gzip') this.reader.end();
    });
    if (this.reported === 'gzip' && !this.oversized && this.problems.length === 0) {
      // One gzipped file is one entry.
      if (guard(this.problems, '', () => this.budget.entry())) {
        const name = gunzippedName(this.name);
        if (this.singleLength < 0) this.files.set(name, this.single!.bytes());
        else {
          const start = gzipStart(this.source!, this.name);
          this.files.set(name, this.onDemand(this.singleLength, (offset, length) => this.rereader!.read(start, offset, length)));
        }
      }
    }
  }

  /** A kept tar entry: held, or (when big and the archive can be read again) marked, to be read again from there. */
  private want(path: string, size: number): 'keep' | 'sniff' | 'mark' {
    if (!this.relevant(path)) return 'sniff';
    if (size < ON_DEMAND_BYTES || this.source === null) return 'keep';
    // The header is in the chunk being inflated: inflating again from that chunk's start reaches the entry.
    if (this.gunzip !== null) this.checkpoint = this.gunzip.checkpoint();
    return 'mark';
  }

  /** A big tar entry read to its end: bytes `offset..offset+size` of the tar stream. */
  private marked(path: string, offset: number, size: number): void {
    const source = this.source!;
    if (this.gunzip === null) {
      this.files.set(path, this.onDemand(size, (from, length) => readOwned(source, offset + from, length)));
      return;
    }
    const point = gzipPoint(source, this.checkpoint!, this.name);
    this.files.set(path, this.onDemand(size, (from, length) => this.rereader!.read(point, offset + from, length)));
  }

  private onDemand(size: number, read: (offset: number, length: number) => Uint8Array): OnDemandEntry {
    this.rereader ??= new StreamReader(this.name);
    return { kind: 'on-demand', file: boundedFile(size, read) };
  }

  result(): OpenedArchive {
    const files = this.files;
    const list = [...files.keys()].sort(comparePaths);
    const get = (path: string): Uint8Array | StreamedEntry | OnDemandEntry => {
      const data = files.get(path);
      if (data === undefined) throw new Error(`no entry ${path}`);
      return data;
    };
    return {
      format: this.reported,
      problems: this.problems,
      vfs: {
        list: () => list,
        has: (path) => files.has(path),
        read(path) {
          const data = get(path);
          if (data instanceof Uint8Array) return data;
          if (data.kind === 'on-demand') return data.file.read(0, data.file.size);
          throw new Error(`${path} is an archive read as it streamed by; its bytes were not kept`);
        },
        head(path, n) {
          const data = get(path);
          if (data instanceof Uint8Array) return data.subarray(0, n);
          if (data.kind === 'on-demand') return data.file.read(0, Math.min(n, data.file.size));
          return data.head.subarray(0, n);
        },
        mapFile(path) {
          const data = get(path);
          return data instanceof Uint8Array || data.kind !== 'on-demand' ? null : data.file;
        },
        openNested(path) {
          const data = get(path);
          if (data instanceof Uint8Array || data.kind !== 'nested' || data.opened === null) return null;
          const nested = { opened: data.opened, bytes: data.size };
          return () => nested;
        },
      },
    };
  }

  /** A chunk of gzip output: the tar inside, or the single gzipped file. False stops the inflater. */
  private inflated(chunk: Uint8Array): boolean {
    if (this.headLength < 512) {
      const take = Math.min(512 - this.headLength, chunk.length);
      this.head.set(chunk.subarray(0, take), this.headLength);
      this.headLength += take;
      if (this.headLength < 512) return true;
      if (isTarHeader(this.head)) this.reader.push(this.head);
      else {
        this.reported = 'gzip';
        this.keepSingle(this.head);
      }
      chunk = chunk.subarray(take);
    }
    if (this.reported === 'gzip') this.keepSingle(chunk);
    else this.reader.push(chunk);
    return this.reported === 'gzip' ? !this.oversized : !this.reader.finished;
  }

  private keepSingle(chunk: Uint8Array): void {
    if (this.oversized) return;
    this.single ??= new ByteCollector(Math.min(this.source !== null ? ON_DEMAND_BYTES : Infinity, this.sizeHint, this.budget.limits.maxEntryBytes));
    const length = this.singleLength >= 0 ? this.singleLength : this.single.length;
    if (length + chunk.length > this.budget.limits.maxEntryBytes) {
      // Like a tar entry over the limit: reported, and not scanned at all (a prefix of a map is no map).
      this.oversized = true;
      this.single = null;
      const limits = this.budget.limits;
      this.problems.push({ path: '', error: new LimitError('maxEntryBytes', limits.maxEntryBytes, `${this.name} inflates past the per-entry limit`) });
      return;
    }
    if (this.singleLength < 0 && this.source !== null && length + chunk.length >= ON_DEMAND_BYTES) {
      // Big: from here on only counted; read again from the gzip when asked for.
      this.singleLength = length;
      this.single = new ByteCollector(0);
    }
    if (this.singleLength >= 0) this.singleLength += chunk.length;
    else this.single.push(chunk);
  }

  /** A sniffed tar entry: an archive is kept (zip), streamed into its own reader (tar, gzip), or dropped. */
  private decide(path: string, view: Uint8Array, size: number): boolean | TarEntryStream {
    const format = detectArchive(view);
    if (format === null) return false;
    // Over the per-entry limit: the reader reports it and drops it.
    if (size > this.budget.limits.maxEntryBytes) return true;
    const head = view.slice();
    const files = this.files;
    if (this.depthLeft <= 0) {
      // Too deep to be opened: the head is all the caller needs, to say so.
      return { push: () => undefined, end: () => void files.set(path, { kind: 'nested', head, opened: null, size }) };
    }
    if (format === 'zip' || format === 'crx') return true;
    // In a plain tar whose bytes can be read again, so can the archive inside: it lies there as it is.
    const source = this.source !== null && this.gunzip === null ? sliceSource(this.source, this.reader.dataOffset, size) : null;
    const inner = new ArchiveStream(format, path, this.budget, this.relevant, this.depthLeft - 1, 0, source);
    return {
      push: (chunk) => void inner.push(chunk),
      end: () => {
        // Counted once its entry was read whole; one cut off with the outer tar is dropped, as its bytes were.
        this.budget.archives++;
        inner.end();
        files.set(path, { kind: 'nested', head, opened: inner.result(), size });
      },
    };
  }
}

/** A file of `size` bytes read with `read`, which is asked only for ranges inside it. */
function boundedFile(size: number, read: (offset: number, length: number) => Uint8Array): MapFile {
  return {
    size,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > size) throw new RangeError(`bytes ${offset}..${offset + length} are outside a file of ${size}`);
      return read(offset, length);
    },
  };
}

/** The last member's ISIZE: the length of a single gzipped file, a guess for its buffer (0 when unknown). */
function isizeOf(source: ByteSource): number {
  if (source.size < 24) return 0;
  const b = source.read(source.size - 4, 4);
  return b.length === 4 ? (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0 : 0;
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
