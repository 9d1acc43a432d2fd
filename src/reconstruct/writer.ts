import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ForensicsError } from '../errors';

/** Why a file could not be written where it was meant to go. */
export type WriteRefusal =
  /** Something other than a real directory (a link, a file) sits where a folder is needed. */
  | 'unsafe-existing-path'
  /** The write itself failed (disk full, permissions). */
  | 'write-failed'
  /** A segment was empty, `.` or `..`, or held a separator or NUL: refused before anything is created. */
  | 'invalid-path';

/**
 * Writes files under one folder and nowhere else: every folder on the way is created or checked with `lstat`
 * (a link is never followed), every file is created with O_EXCL (a link planted at its place is never followed),
 * and each final path is checked to lie inside the folder by path segments. Only regular files and folders are made.
 */
export class SafeWriter {
  /** Absolute path of the output folder. */
  readonly root: string;

  constructor(outDir: string, force: boolean) {
    this.root = resolve(outDir);
    let stats;
    try {
      stats = lstatSync(this.root);
    } catch {
      stats = null;
    }
    if (stats === null) {
      try {
        mkdirSync(this.root, { recursive: true });
      } catch (error) {
        throw new ForensicsError('OUTPUT_UNWRITABLE', `cannot create the output folder ${JSON.stringify(outDir)}: ${(error as Error).message}`);
      }
    } else if (stats.isSymbolicLink() || !stats.isDirectory()) {
      throw new ForensicsError('OUTPUT_UNWRITABLE', `the output ${JSON.stringify(outDir)} exists and is not a plain folder (links are not followed)`);
    } else if (!force && readdirSync(this.root).length > 0) {
      throw new ForensicsError('OUTPUT_NOT_EMPTY', `the output folder ${JSON.stringify(outDir)} is not empty; choose an empty one or pass --force`);
    }
  }

  /** Writes `data` at `segments` under the root (replacing a regular file there, never a link); a refusal otherwise. */
  write(segments: readonly string[], data: string | Uint8Array): WriteRefusal | null {
    if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s))) return 'invalid-path';
    let dir = this.root;
    for (const segment of segments.slice(0, -1)) {
      dir = join(dir, segment);
      const kind = kindOf(dir);
      if (kind === 'missing') {
        try {
          mkdirSync(dir);
        } catch {
          return 'write-failed';
        }
      } else if (kind !== 'directory') {
        return 'unsafe-existing-path';
      }
    }
    const file = join(dir, segments[segments.length - 1]!);
    const rel = relative(this.root, file);
    // Belt and braces: segments were sanitised, but the final path must still lie inside, by segments.
    if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return 'unsafe-existing-path';
    const existing = kindOf(file);
    if (existing === 'file') {
      try {
        unlinkSync(file);
      } catch {
        return 'write-failed';
      }
    } else if (existing !== 'missing') {
      return 'unsafe-existing-path';
    }
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch {
      return 'unsafe-existing-path';
    }
    try {
      if (typeof data === 'string') writeSync(fd, data, null, 'utf8');
      else writeSync(fd, data);
    } catch {
      return 'write-failed';
    } finally {
      closeSync(fd);
    }
    return null;
  }
}

function kindOf(path: string): 'missing' | 'directory' | 'file' | 'other' {
  try {
    const s = lstatSync(path);
    if (s.isSymbolicLink()) return 'other';
    if (s.isDirectory()) return 'directory';
    return s.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}
