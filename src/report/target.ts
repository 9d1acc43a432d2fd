import { ForensicsError } from '../errors';
import { memorySource } from '../input/archive/bytes';
import { detectArchive } from '../input/archive/detect';
import { createMemoryVfs, type MemoryFile } from '../input/vfs';
import type { ReportTarget } from '../types';
import type { ScanInput } from './scan';

/**
 * What to scan: a path (Node entry only), one file in memory (a map, a generated file or an archive), or
 * several files in memory.
 */
export type ScanTarget =
  | string
  | { /** File name inside the target, e.g. `cli.js.map` or `pkg.tgz`. */ name: string; /** Contents. */ bytes: Uint8Array | string }
  | { /** The files. */ files: readonly MemoryFile[]; /** Name recorded as `target.name`. @default '<memory>' */ name?: string };

/** @internal A target ready to scan. */
export interface OpenedTarget {
  input: ScanInput;
  target: ReportTarget;
  /** Directory-like targets report orphan maps; a single file cannot have a referrer. */
  orphans: boolean;
}

/** Opens an in-memory target; throws `PATH_NEEDS_NODE` for a path and `INVALID_TARGET` for anything else. */
export function openMemoryTarget(target: unknown): OpenedTarget {
  if (typeof target === 'string') {
    throw new ForensicsError(
      'PATH_NEEDS_NODE',
      `cannot read the path ${JSON.stringify(target)} here: import scan from "sourcemap-forensics/node" to scan paths, or pass { files } or { name, bytes }`,
    );
  }
  if (target !== null && typeof target === 'object') {
    const t = target as Record<string, unknown>;
    if (Array.isArray(t.files)) {
      for (const [i, f] of (t.files as unknown[]).entries()) {
        const file = f as Partial<MemoryFile> | null;
        if (!file || typeof file.name !== 'string' || !(typeof file.data === 'string' || file.data instanceof Uint8Array)) {
          throw new ForensicsError('INVALID_TARGET', `files[${i}] must be { name: string, data: string | Uint8Array }`);
        }
      }
      const name = typeof t.name === 'string' ? t.name : '<memory>';
      return { input: { kind: 'vfs', vfs: createMemoryVfs(t.files as MemoryFile[]) }, target: { kind: 'files', name }, orphans: true };
    }
    if (typeof t.name === 'string' && (typeof t.bytes === 'string' || t.bytes instanceof Uint8Array)) {
      return openMemoryFile(t.name, t.bytes);
    }
  }
  throw new ForensicsError('INVALID_TARGET', 'the target must be a path, { name, bytes } or { files: [{ name, data }] }');
}

/** One file in memory: an archive by its magic bytes, otherwise a single map or generated file. */
export function openMemoryFile(name: string, data: Uint8Array | string, kind: ReportTarget['kind'] = 'file', label = name): OpenedTarget {
  if (data instanceof Uint8Array) {
    const format = detectArchive(data.subarray(0, 512));
    if (format !== null) {
      const target: ReportTarget = { kind: kind === 'file' ? 'archive' : kind, name: label };
      if (kind === 'file') target.inMemory = true;
      return { input: { kind: 'archive', source: memorySource(data), format, name }, target, orphans: true };
    }
  }
  const vfs = createMemoryVfs([{ name, data }]);
  if (vfs.list().length === 0) throw new ForensicsError('INVALID_TARGET', `name ${JSON.stringify(name)} is not a usable file name`);
  const target: ReportTarget = { kind, name: label };
  if (kind === 'file') target.inMemory = true;
  return { input: { kind: 'vfs', vfs }, target, orphans: false };
}
