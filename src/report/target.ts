import { ForensicsError } from '../errors';
import { createMemoryVfs, type MemoryFile, type Vfs } from '../input/vfs';
import type { ReportTarget } from '../types';

/**
 * What to scan: a path (Node entry only), one file in memory, or several files in memory.
 */
export type ScanTarget =
  | string
  | { /** File name inside the target, e.g. `cli.js.map`. */ name: string; /** Contents. */ bytes: Uint8Array | string }
  | { /** The files. */ files: readonly MemoryFile[]; /** Name recorded as `target.name`. @default '<memory>' */ name?: string };

/** @internal A target turned into a Vfs. */
export interface OpenedTarget {
  vfs: Vfs;
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
      return { vfs: createMemoryVfs(t.files as MemoryFile[]), target: { kind: 'files', name }, orphans: true };
    }
    if (typeof t.name === 'string' && (typeof t.bytes === 'string' || t.bytes instanceof Uint8Array)) {
      const vfs = createMemoryVfs([{ name: t.name, data: t.bytes }]);
      if (vfs.list().length === 0) throw new ForensicsError('INVALID_TARGET', `name ${JSON.stringify(t.name)} is not a usable file name`);
      return { vfs, target: { kind: 'file', name: t.name }, orphans: false };
    }
  }
  throw new ForensicsError('INVALID_TARGET', 'the target must be a path, { name, bytes } or { files: [{ name, data }] }');
}
