import { measureMap } from '../analysis/measure';
import { decodeDataUrl } from '../input/data-url';
import { resolveMapUrl } from '../input/resolve';
import { extractSourceMappingUrl, type CommentSyntax } from '../input/source-mapping-url';
import { comparePaths, type Vfs } from '../input/vfs';
import type { ExposureReport, InvalidMap, MapEntry, MissingMap, RemoteMap, ReportTarget } from '../types';
import { buildReport } from './build';
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

/**
 * Scans every file of a Vfs: finds maps (external `.map` files, `sourceMappingURL` comments, inline `data:` URLs),
 * measures each map once, and builds the report. Synchronous and pure apart from `vfs.read`.
 */
export function scanVfs(vfs: Vfs, target: ReportTarget, options: ResolvedScanOptions): ExposureReport {
  const files = vfs.list();
  const measured: MapEntry[] = [];
  const unmeasured: InvalidMap[] = [];
  const missing: MissingMap[] = [];
  const remote: RemoteMap[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  /** External map path -> generated files that reference it. */
  const references = new Map<string, string[]>();
  let filesScanned = 0;
  let bytesScanned = 0;
  if (vfs.problems) unreadable.push(...vfs.problems);

  const read = (path: string): Uint8Array | null => {
    try {
      const bytes = vfs.read(path);
      filesScanned++;
      bytesScanned += bytes.length;
      return bytes;
    } catch (error) {
      unreadable.push({ path, reason: error instanceof Error ? error.message : String(error) });
      return null;
    }
  };
  const progress = (done: number): void => {
    options.onProgress?.({ filesDone: done, filesTotal: files.length, bytesRead: bytesScanned });
  };
  const record = (path: string, kind: MapEntry['kind'], input: Uint8Array, generatedFiles: string[]): void => {
    const m = measureMap(input, path, kind);
    if (m.entry === null) {
      unmeasured.push({ path, kind, measured: false, diagnostics: m.diagnostics });
      return;
    }
    m.entry.generatedFiles = generatedFiles;
    m.entry.orphan = kind === 'external' && generatedFiles.length === 0 && options.orphans;
    measured.push(m.entry);
  };

  const mapFiles: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!;
    const ext = extension(path);
    if (ext === '.map') {
      mapFiles.push(path);
      continue;
    }
    const syntax = GENERATED[ext];
    if (syntax === undefined) continue;
    const bytes = read(path);
    if (bytes !== null) {
      const url = extractSourceMappingUrl(bytes, syntax);
      if (url) linkReference(path, url);
    }
    progress(i + 1);
  }

  function linkReference(path: string, url: string): void {
    const ref = resolveMapUrl(url, path);
    switch (ref.kind) {
      case 'inline': {
        const decoded = decodeDataUrl(url);
        if (decoded.ok) record(path, 'inline', decoded.bytes, [path]);
        else {
          unmeasured.push({
            path,
            kind: 'inline',
            measured: false,
            diagnostics: [
              { code: 'DATA_URL_INVALID', severity: 'error', message: `The inline data: URL is broken: ${decoded.reason}.`, pointer: '' },
            ],
          });
        }
        return;
      }
      case 'remote':
        remote.push({ url, generatedFile: path });
        return;
      case 'outside':
        missing.push({ url, generatedFile: path, resolvedPath: null, reason: 'outside-target' });
        return;
      case 'local':
        if (vfs.has(ref.path)) {
          const list = references.get(ref.path);
          if (list === undefined) references.set(ref.path, [path]);
          else list.push(path);
        } else {
          missing.push({ url, generatedFile: path, resolvedPath: ref.path, reason: 'not-found' });
        }
        return;
    }
  }

  const external = new Set([...mapFiles, ...references.keys()]);
  for (const path of [...external].sort(comparePaths)) {
    const bytes = read(path);
    if (bytes !== null) record(path, 'external', bytes, references.get(path) ?? []);
  }
  progress(files.length);

  return buildReport({ target, measured, unmeasured, missing, remote, unreadable, filesScanned, bytesScanned });
}
