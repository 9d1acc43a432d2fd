import { closeSync, fstatSync, lstatSync, openSync, read, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ForensicsError } from '../errors';
import type { ScanInput } from '../report/scan';
import type { MapFile } from '../map/parse';
import type { ReportTarget } from '../types';
import type { ByteSource } from './archive/bytes';
import { detectArchive, SNIFF_BYTES } from './archive/detect';
import { comparePaths, type Vfs } from './vfs';

/** A Vfs over a directory (or the directory of a single file) on disk. Symbolic links are never followed. */
export interface NodeVfs extends Vfs {
  problems: { path: string; reason: string }[];
}

/** @internal A path target opened on disk. */
export interface NodeTarget {
  input: ScanInput;
  target: ReportTarget;
  orphans: boolean;
}

/**
 * Opens a path: a directory is walked recursively (links skipped); a file is scanned alone, and the maps
 * its `sourceMappingURL` names may be read from its own directory and below, never above.
 */
export function openNodeTarget(path: string, early: EarlyRead | null = null): NodeTarget {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new ForensicsError('TARGET_UNREADABLE', `cannot read target ${JSON.stringify(path)}: ${reason(error)}`);
  }
  if (stats.isDirectory()) {
    return { input: { kind: 'vfs', vfs: directoryVfs(resolve(path), null) }, target: { kind: 'directory', name: path }, orphans: true };
  }
  if (stats.isFile()) {
    const absolute = resolve(path);
    const format = detectArchive(readHead(absolute, SNIFF_BYTES));
    if (format !== null) {
      // Archives are read through a file source: tar streams by chunks, zip reads only what it needs.
      return { input: { kind: 'archive', source: fileSource(absolute), format, name: basename(absolute) }, target: { kind: 'archive', name: path }, orphans: true };
    }
    return { input: { kind: 'vfs', vfs: directoryVfs(dirname(absolute), basename(absolute), early) }, target: { kind: 'file', name: path }, orphans: false };
  }
  throw new ForensicsError('TARGET_UNREADABLE', `cannot read target ${JSON.stringify(path)}: not a regular file or directory`);
}

/** A Vfs over a directory on disk (or over one file of it when `only` is given). */
export function directoryVfs(root: string, only: string | null, early: EarlyRead | null = null): NodeVfs {
  const problems: { path: string; reason: string }[] = [];
  let list: string[] | undefined;
  // Paths reach here already normalised; anything with an empty, `.` or `..` segment or a NUL is refused outright.
  const inside = (path: string): string | null => {
    if (path === '' || path.includes('\0')) return null;
    const segments = path.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
    const full = join(root, ...segments);
    const rel = relative(root, full);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`)) return null;
    return full;
  };
  return {
    problems,
    list() {
      if (list === undefined) {
        list = only !== null ? [only] : walk(root, problems);
      }
      return list;
    },
    has(path) {
      const full = inside(path);
      if (full === null) return false;
      try {
        return lstatSync(full).isFile();
      } catch {
        return false;
      }
    },
    read(path) {
      const full = inside(path);
      if (full === null) throw new Error(`${path} is outside the target`);
      if (!lstatSync(full).isFile()) throw new Error(`${path} is not a regular file`);
      const data = readFileSync(full);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    },
    mapFile(path) {
      const full = inside(path);
      if (full === null) throw new Error(`${path} is outside the target`);
      const stats = lstatSync(full);
      if (!stats.isFile()) throw new Error(`${path} is not a regular file`);
      if (stats.size < MAP_FILE_MIN_BYTES) return null;
      // Read ahead by readEarly: served once, as the whole-file read it stands for.
      const bytes = early !== null && early.path === full ? early.bytes : null;
      early = null;
      return mapFile(full, bytes);
    },
    head(path, length) {
      const full = inside(path);
      if (full === null) throw new Error(`${path} is outside the target`);
      return readHead(full, length);
    },
  };
}

/** Files at least this big are read on demand (see `Vfs.mapFile`) so their bytes are not held while measured. */
const MAP_FILE_MIN_BYTES = 4 * 1024 * 1024;

/** @internal A file target's bytes, read before the scan by {@link readEarly}. */
export interface EarlyRead {
  /** Absolute path. */
  path: string;
  bytes: Uint8Array;
}

/**
 * Reads a `.map` file target that the scan would read whole (`MAP_FILE_MIN_BYTES` up to `wholeBelow` bytes) on the
 * thread pool, while `meanwhile` runs here (loading what measuring it needs). Null for any other target, or when
 * the read fails: the scan then reads it, and reports what went wrong, as usual.
 */
export async function readEarly(path: string, wholeBelow: number, meanwhile: () => void): Promise<EarlyRead | null> {
  if (!/\.map$/i.test(path)) return null;
  const full = resolve(path);
  let fd: number;
  let size: number;
  try {
    fd = openSync(full, 'r');
  } catch {
    return null;
  }
  try {
    const stats = fstatSync(fd);
    size = stats.isFile() ? stats.size : -1;
  } catch {
    size = -1;
  }
  if (size < MAP_FILE_MIN_BYTES || size >= wholeBelow) {
    closeSync(fd);
    return null;
  }
  const bytes = Buffer.allocUnsafe(size);
  const reading = readAhead(fd, bytes).then(
    (got) => bytes.subarray(0, got),
    () => null,
  );
  try {
    meanwhile();
  } finally {
    // Closed only once no read of it is left on the thread pool, even when `meanwhile` threw.
    await reading;
    closeSync(fd);
  }
  const read = await reading;
  return read === null ? null : { path: full, bytes: read };
}

/** Fills `into` from the start of the file on the thread pool; fewer bytes only at the end of the file. */
async function readAhead(fd: number, into: Uint8Array): Promise<number> {
  let got = 0;
  while (got < into.length) {
    const step = await new Promise<number>((done, fail) => read(fd, into, got, into.length - got, got, (error, n) => (error ? fail(error) : done(n))));
    if (step === 0) break;
    got += step;
  }
  return got;
}

/** Reads `n` bytes at `offset` of an open file into the start of `into`, fewer only at the end of the file. */
export function readFully(fd: number, into: Uint8Array, offset: number, n: number): number {
  let got = 0;
  while (got < n) {
    const step = readSync(fd, into, got, n - got, offset + got);
    if (step === 0) break;
    got += step;
  }
  return got;
}

/** Reads of map pieces are served from a window of at least this many bytes (one system call, not one per piece). */
const WINDOW_BYTES = 1024 * 1024;

/**
 * A map file read with positioned reads, opened on the first read and closed by `close()`. The splitter's windows and
 * the pieces come out of one reused Buffer (valid until the next read; its indexOf is the native one the splitter
 * leans on); a whole-file read, only for maps the splitter declines, gets its own.
 */
function mapFile(full: string, early: Uint8Array | null = null): MapFile {
  const size = early !== null ? early.length : statSync(full).size;
  let window = Buffer.alloc(0);
  let windowStart = 0;
  let windowEnd = 0;
  let fd = -1;
  const fill = (into: Buffer, offset: number, n: number): number => {
    if (fd < 0) fd = openSync(full, 'r');
    return readFully(fd, into, offset, n);
  };
  return {
    size,
    path: full,
    reusesBuffer: true,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      if (n === size) {
        if (early !== null) {
          const bytes = early;
          early = null;
          return bytes;
        }
        const whole = Buffer.allocUnsafe(n);
        return whole.subarray(0, fill(whole, 0, n));
      }
      if (offset < windowStart || offset + n > windowEnd) {
        const want = Math.min(size - offset, Math.max(n, WINDOW_BYTES));
        if (window.length < want) window = Buffer.allocUnsafe(Math.max(want, 2 * window.length));
        windowStart = offset;
        windowEnd = offset + fill(window, offset, want);
      }
      return window.subarray(offset - windowStart, Math.min(offset - windowStart + n, windowEnd - windowStart));
    },
    close() {
      if (fd >= 0) closeSync(fd);
      fd = -1;
      window = Buffer.alloc(0);
      windowStart = windowEnd = 0;
    },
  };
}

/** The first `length` bytes of a file, without reading the rest. */
function readHead(file: string, length: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = new Uint8Array(length);
    const n = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Reads up to this size go through one reused buffer. */
const SCRATCH_BYTES = 64 * 1024;

/**
 * A ByteSource over a file: positioned reads, so an archive is never held whole. Reads of up to 64 KiB (the archive
 * readers' steps) land in one reused buffer, valid until the next read, so streaming a package leaves no garbage
 * behind; larger ones get a fresh array. `close()` releases the descriptor.
 */
export function fileSource(file: string): ByteSource {
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  const scratch = new Uint8Array(SCRATCH_BYTES);
  let open = true;
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buffer = n <= SCRATCH_BYTES ? scratch : new Uint8Array(n);
      const got = n === 0 ? 0 : readSync(fd, buffer, 0, n, offset);
      return got === buffer.length ? buffer : buffer.subarray(0, got);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
/** Regular files below `root`, as sorted POSIX paths; links and special files are skipped. */
function walk(root: string, problems: { path: string; reason: string }[]): string[] {
  const out: string[] = [];
  const stack: string[] = [''];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir === '' ? root : join(root, dir), { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir === '' ? '.' : dir, reason: reason(error) });
      continue;
    }
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile()) out.push(path);
    }
  }
  return out.sort(comparePaths);
}

function reason(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    const text: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOTDIR: 'a path segment is not a directory',
      ELOOP: 'too many symbolic links',
    };
    return `${code}, ${text[code] ?? 'cannot be read'}`;
  }
  return error instanceof Error ? error.message : String(error);
}
