import { ForensicsError } from '../errors';
import { comparePaths } from '../input/vfs';
import type { ExposedFile, ExposureReport, ReportTarget } from '../types';

/** One file on one side of a diff. */
export interface DiffFile {
  /** Normalised path (as in `report.files[].path`). */
  path: string;
  /** `first-party` or `third-party`. */
  origin: ExposedFile['origin'];
  /** npm package for third-party files. */
  package: string | null;
  /** Lines. */
  lines: number;
  /** Bytes. */
  bytes: number;
  /** Hex SHA-256. */
  sha256: string;
}

/** A path whose content differs between the two reports. */
export interface ChangedFile {
  /** Normalised path. */
  path: string;
  /** The file in the older report (when one path holds several contents there, the one with most lines). */
  from: DiffFile;
  /** The file in the newer report. */
  to: DiffFile;
}

/** What changed in exposure between two reports of one artefact (e.g. two releases). */
export interface ExposureDiff {
  /** Layout version of the diff (semver). */
  diffVersion: '1.0.0';
  /** Target of the older report. */
  from: ReportTarget;
  /** Target of the newer report. */
  to: ReportTarget;
  /** Totals. */
  summary: {
    /** Files exposed now that were not before. */
    added: number;
    /** Files exposed before that are not now. */
    removed: number;
    /** Files exposed in both, with other content. */
    changed: number;
    /** Files exposed in both, the same. */
    unchanged: number;
    /** Lines of the added files (first-party only in `addedFirstPartyLines`). */
    addedLines: number;
    /** Lines of the added first-party files: the new leak, if it started here. */
    addedFirstPartyLines: number;
    /** Lines of the removed files. */
    removedLines: number;
  };
  /** Newly exposed files, sorted by path. */
  added: DiffFile[];
  /** Files no longer exposed, sorted by path. */
  removed: DiffFile[];
  /** Files whose content changed (by sha256), sorted by path. */
  changed: ChangedFile[];
}

/**
 * Compares the distinct recovered files (`files[]`) of two reports by normalised path: added, removed, changed by
 * sha256. Tells a responder from which release a leak started. Pure.
 */
export function diffReports(from: ExposureReport, to: ExposureReport): ExposureDiff {
  for (const [name, report] of [
    ['first', from],
    ['second', to],
  ] as const) {
    if (report === null || typeof report !== 'object' || !Array.isArray((report as ExposureReport).files)) {
      throw new ForensicsError('INVALID_TARGET', `the ${name} report has no "files" list: diff needs two reports of schemaVersion 1 made by this version or later`);
    }
  }
  const a = byPath(from.files);
  const b = byPath(to.files);
  const added: DiffFile[] = [];
  const removed: DiffFile[] = [];
  const changed: ChangedFile[] = [];
  let unchanged = 0;
  for (const [path, files] of b) {
    const before = a.get(path);
    if (before === undefined) {
      added.push(...files.map(slim));
      continue;
    }
    const shas = new Set(before.map((f) => f.sha256));
    if (files.every((f) => shas.has(f.sha256)) && before.length === files.length) unchanged++;
    else changed.push({ path, from: slim(largest(before)), to: slim(largest(files)) });
  }
  for (const [path, files] of a) if (!b.has(path)) removed.push(...files.map(slim));
  const order = (x: { path: string }, y: { path: string }) => comparePaths(x.path, y.path);
  added.sort(order);
  removed.sort(order);
  changed.sort(order);
  return {
    diffVersion: '1.0.0',
    from: from.target,
    to: to.target,
    summary: {
      added: added.length,
      removed: removed.length,
      changed: changed.length,
      unchanged,
      addedLines: added.reduce((n, f) => n + f.lines, 0),
      addedFirstPartyLines: added.filter((f) => f.origin === 'first-party').reduce((n, f) => n + f.lines, 0),
      removedLines: removed.reduce((n, f) => n + f.lines, 0),
    },
    added,
    removed,
    changed,
  };
}

function byPath(files: readonly ExposedFile[]): Map<string, ExposedFile[]> {
  const map = new Map<string, ExposedFile[]>();
  for (const f of files) {
    const list = map.get(f.path);
    if (list) list.push(f);
    else map.set(f.path, [f]);
  }
  return map;
}

function largest(files: readonly ExposedFile[]): ExposedFile {
  return files.reduce((best, f) => (f.lines > best.lines || (f.lines === best.lines && f.sha256 < best.sha256) ? f : best));
}

function slim(f: ExposedFile): DiffFile {
  return { path: f.path, origin: f.origin, package: f.package, lines: f.lines, bytes: f.bytes, sha256: f.sha256 };
}

/** The diff as short text: totals, then each added, removed and changed file. */
export function formatDiffText(diff: ExposureDiff): string {
  const s = diff.summary;
  const out = [
    `sourcemap-forensics diff: ${diff.from.name} -> ${diff.to.name}`,
    `${s.added} added (${s.addedLines} lines, ${s.addedFirstPartyLines} first-party), ${s.removed} removed (${s.removedLines} lines), ${s.changed} changed, ${s.unchanged} unchanged`,
  ];
  for (const f of diff.added) out.push(`  + ${f.path}  (${f.lines} lines, ${f.origin}${f.package ? `, ${f.package}` : ''})`);
  for (const f of diff.removed) out.push(`  - ${f.path}  (${f.lines} lines)`);
  for (const c of diff.changed) out.push(`  ~ ${c.path}  (${c.from.lines} -> ${c.to.lines} lines)`);
  return `${out.join('\n')}\n`;
}
