import type { MapFile } from '../map/parse';
import { utf8Encoder } from '../util/text';

/**
 * A read-only view of the files of a target: a directory, an archive, or files in memory.
 * Paths are POSIX, relative to the target's root, without `.` or `..` segments.
 */
export interface Vfs {
  /** The files the scan walks, sorted. */
  list(): readonly string[];
  /** True when `path` names a regular file inside the target (it may be outside `list()`, e.g. next to a single-file target). */
  has(path: string): boolean;
  /** The file's bytes. Throws when it cannot be read. */
  read(path: string): Uint8Array;
  /** A big file to be read on demand rather than whole (a map file on disk); null or absent: use `read`. */
  mapFile?(path: string): MapFile | null;
  /** Up to the first `length` bytes, for format sniffing; defaults to a slice of `read`. */
  head?(path: string, length: number): Uint8Array;
  /** Entries that could not be listed (e.g. unreadable directories), filled by `list()`. */
  readonly problems?: readonly { path: string; reason: string }[];
}

/** One in-memory file. */
export interface MemoryFile {
  /** Path inside the target, POSIX or Windows separators (`dist/cli.js`). */
  name: string;
  /** Contents; strings are UTF-8 encoded. */
  data: Uint8Array | string;
}

/** A Vfs over files held in memory. Later entries with the same normalised name replace earlier ones. */
export function createMemoryVfs(files: readonly MemoryFile[]): Vfs {
  const map = new Map<string, Uint8Array>();
  for (const file of files) {
    const path = normalizePath(file.name);
    if (path === null || path === '') continue;
    map.set(path, typeof file.data === 'string' ? utf8Encoder.encode(file.data) : file.data);
  }
  const list = [...map.keys()].sort(comparePaths);
  return {
    list: () => list,
    has: (path) => map.has(path),
    read(path) {
      const data = map.get(path);
      if (data === undefined) throw new Error(`no file ${path}`);
      return data;
    },
  };
}

/**
 * Normalises a relative path: backslashes become `/`, `.` and empty segments go, `..` pops a segment.
 * Returns null when `..` would leave the root.
 */
export function normalizePath(path: string): string | null {
  const out: string[] = [];
  for (const segment of path.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

/** Code-unit order, so output is the same on every machine and locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
