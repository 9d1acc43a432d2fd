import { addContent, addSources, zeroContent, zeroSources } from '../analysis/measure';
import { FINDING_SEVERITY, severityRank } from '../findings';
import { renderFindingMessage } from '../format/messages';
import { comparePaths } from '../input/vfs';
import { sanitizedPathText } from '../reconstruct/sanitize';
import type {
  ExposedFile,
  Exposure,
  ExposureReport,
  Finding,
  FindingCode,
  InvalidMap,
  Location,
  MapEntry,
  MissingMap,
  RemoteMap,
  ReportSummary,
  ReportTarget,
  Severity,
  UniqueCounts,
} from '../types';
import { REPORT_SCHEMA_URL, SCHEMA_VERSION } from '../types';
import { VERSION } from '../version';

/** A file or archive problem met while scanning, turned into a finding by {@link buildReport}. */
export interface ScanProblem {
  /** `FILE_UNREADABLE`, `ARCHIVE_CORRUPT`, `ARCHIVE_LIMIT` or `MAP_LIMIT`. */
  code: Extract<FindingCode, 'FILE_UNREADABLE' | 'ARCHIVE_CORRUPT' | 'ARCHIVE_LIMIT' | 'MAP_LIMIT'>;
  /** Path inside the target. */
  path: string;
  /** Typed values for the message. */
  args: Finding['args'];
}

/** A finding inside recovered source (leak signals and detector matches), with its original position. */
export interface SignalFinding {
  code: Extract<FindingCode, 'SECRET_IN_SOURCE' | 'PRIVATE_KEY_IN_SOURCE' | 'INTERNAL_URL_IN_SOURCE' | 'COMMENTS_EXPOSED' | 'DETECTOR_MATCH'>;
  /** Overrides the code's default severity (detector matches carry their own). */
  severity?: Severity;
  location: Location;
  args: Finding['args'];
}

/** Everything a scan collected, before it is summed and sorted into a report. */
export interface Collected {
  target: ReportTarget;
  /** Measured maps (valid or not). */
  measured: MapEntry[];
  /** Maps found but not measurable. */
  unmeasured: InvalidMap[];
  missing: MissingMap[];
  remote: RemoteMap[];
  /** Files that could not be read, archives that were broken or hit a limit. */
  problems: ScanProblem[];
  filesScanned: number;
  bytesScanned: number;
  /** Archive counters. */
  archives: ReportSummary['archives'];
  /** Leak signals found in recovered source. */
  signals?: SignalFinding[];
}

/** Sums, sorts and renders findings: the one place a report object is made. */
export function buildReport(c: Collected): ExposureReport {
  const maps = [...c.measured].sort((a, b) => comparePaths(a.path, b.path) || comparePaths(a.kind, b.kind));
  for (const map of maps) map.generatedFiles.sort(comparePaths);
  const missingMaps = [...c.missing].sort(
    (a, b) => comparePaths(a.generatedFile, b.generatedFile) || comparePaths(a.url, b.url),
  );
  const remoteMaps = [...c.remote].sort((a, b) => comparePaths(a.generatedFile, b.generatedFile) || comparePaths(a.url, b.url));
  const orphanMaps = maps.filter((m) => m.orphan).map((m) => ({ path: m.path }));
  const invalidMaps: InvalidMap[] = [
    ...maps.filter((m) => !m.valid).map((m) => ({ path: m.path, kind: m.kind, measured: true, diagnostics: m.diagnostics })),
    ...c.unmeasured,
  ].sort((a, b) => comparePaths(a.path, b.path) || comparePaths(a.kind, b.kind));

  const findings: Finding[] = [];
  const add = (code: FindingCode, location: Location, args: Finding['args']): void => {
    findings.push({ code, severity: FINDING_SEVERITY[code], message: renderFindingMessage(code, args), location, args });
  };
  for (const map of maps) {
    const at = { path: map.path };
    let firstFiles = 0;
    let thirdFiles = 0;
    let homes = 0;
    let example: string | null = null;
    for (const f of map.files) {
      if (f.hasContent) {
        if (f.thirdParty) thirdFiles++;
        else firstFiles++;
      }
      if (f.homeDirectory) homes++;
      if (example === null && (f.absolutePath || f.homeDirectory)) example = f.path;
    }
    if (firstFiles > 0) {
      add('FIRST_PARTY_SOURCE_EXPOSED', at, {
        files: firstFiles,
        lines: map.content.firstPartyLines,
        bytes: map.content.firstPartyBytes,
      });
    } else if (thirdFiles > 0) {
      add('THIRD_PARTY_SOURCE_EXPOSED', at, {
        files: thirdFiles,
        lines: map.content.thirdPartyLines,
        bytes: map.content.thirdPartyBytes,
      });
    } else {
      add('SOURCE_PATHS_EXPOSED', at, { sources: map.sources.total });
    }
    if (map.sources.absolutePaths > 0) {
      add('ABSOLUTE_SOURCE_PATHS', at, { count: map.sources.absolutePaths, homeDirectories: homes, example });
    }
    if (!map.valid) {
      const errors = map.diagnostics.filter((d) => d.severity === 'error');
      add('MAP_SPEC_VIOLATION', at, { errors: errors.length, first: errors[0]?.code ?? null });
    }
    if (map.diagnostics.some((d) => d.code === 'INVALID_UTF8')) add('MAP_ENCODING_INVALID', at, {});
    if (map.orphan) add('MAP_ORPHAN', at, {});
  }
  for (const map of c.unmeasured) {
    const first = map.diagnostics.find((d) => d.severity === 'error');
    add('MAP_UNREADABLE', { path: map.path }, { reason: first?.message ?? 'unknown', diagnostic: first?.code ?? null });
  }
  for (const m of missingMaps) {
    if (m.reason === 'outside-target') add('MAP_URL_OUTSIDE_TARGET', { path: m.generatedFile }, { url: m.url });
    else add('MAP_MISSING', { path: m.generatedFile }, { url: m.url, resolvedPath: m.resolvedPath });
  }
  for (const r of remoteMaps) add('MAP_REMOTE', { path: r.generatedFile }, { url: r.url });
  for (const p of c.problems) add(p.code, { path: p.path }, p.args);
  for (const s of c.signals ?? []) {
    findings.push({ code: s.code, severity: s.severity ?? FINDING_SEVERITY[s.code], message: renderFindingMessage(s.code, s.args), location: s.location, args: s.args });
  }
  sortFindings(findings);

  const { files, unique } = exposedFiles(maps);
  const summary = summarize(c, maps, invalidMaps.length, missingMaps.length, remoteMaps.length, orphanMaps.length, findings, unique);
  return {
    $schema: REPORT_SCHEMA_URL,
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'sourcemap-forensics', version: VERSION },
    target: c.target,
    summary,
    maps,
    missingMaps,
    orphanMaps,
    remoteMaps,
    invalidMaps,
    files,
    findings,
  };
}

/** Sorts findings by severity (worst first), code, path, source, line, message: the report's order. */
export function sortFindings(findings: Finding[]): void {
  findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      comparePaths(a.code, b.code) ||
      comparePaths(a.location.path, b.location.path) ||
      comparePaths(a.location.source ?? '', b.location.source ?? '') ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      comparePaths(a.message, b.message),
  );
}

/** A report with more signal findings (secrets found after the scan): sorted again, severity recomputed. */
export function withFindings(report: ExposureReport, extra: readonly SignalFinding[]): ExposureReport {
  if (extra.length === 0) return report;
  const findings = [
    ...report.findings,
    ...extra.map((s) => ({ code: s.code, severity: s.severity ?? FINDING_SEVERITY[s.code], message: renderFindingMessage(s.code, s.args), location: s.location, args: s.args })),
  ];
  sortFindings(findings);
  return { ...report, summary: { ...report.summary, severity: highest(findings) }, findings };
}

function highest(findings: readonly Finding[]): Severity | 'none' {
  let severity: Severity | 'none' = 'none';
  for (const f of findings) if (severity === 'none' || severityRank(f.severity) < severityRank(severity)) severity = f.severity;
  return severity;
}

/** The npm package a `node_modules/` path belongs to (`react`, `@scope/name`), from its last `node_modules/`. */
export function packageOf(source: string | null): string | null {
  if (source === null) return null;
  const at = source.lastIndexOf('node_modules/');
  if (at === -1) return null;
  // The folder after it, and the next one for a scope (`@scope/name`); sliced, not split (thousands of files).
  const from = at + 'node_modules/'.length;
  let end = source.indexOf('/', from);
  if (end !== -1 && source.charCodeAt(from) === 0x40) end = source.indexOf('/', end + 1);
  return source.slice(from, end === -1 ? source.length : end) || null;
}

/** Distinct (normalised path, sha256) files over all maps, and their totals. */
function exposedFiles(maps: readonly MapEntry[]): { files: ExposedFile[]; unique: UniqueCounts } {
  const byKey = new Map<string, ExposedFile>();
  for (const map of maps) {
    const slash = map.path.lastIndexOf('/');
    const base = slash === -1 ? '' : map.path.slice(0, slash);
    for (const f of map.files) {
      if (!f.hasContent || f.sha256 === null) continue;
      const path = sanitizedPathText(f.path, `${map.path}/source-${f.index}`, base);
      const key = `${path}\0${f.sha256}`;
      const seen = byKey.get(key);
      if (seen) {
        seen.maps.push({ map: map.path, index: f.index });
        // One file is third-party when any of its entries says node_modules/.
        if (f.thirdParty && seen.origin === 'first-party') {
          seen.origin = 'third-party';
          seen.package = packageOf(f.source);
          seen.commentLines = null;
        }
        continue;
      }
      byKey.set(key, {
        path,
        sha256: f.sha256,
        origin: f.thirdParty ? 'third-party' : 'first-party',
        package: f.thirdParty ? packageOf(f.source) : null,
        lines: f.lines,
        bytes: f.bytes,
        commentLines: f.commentLines,
        maps: [{ map: map.path, index: f.index }],
      });
    }
  }
  // By path, then hash: the keys' order, as `\0` sorts before any character a sanitised path holds. The default
  // comparison runs without calling back into JavaScript (a comparator took 3 ms for 1,670 files).
  const files = [...byKey.keys()].sort().map((key) => byKey.get(key)!);
  const unique: UniqueCounts = { files: 0, lines: 0, bytes: 0, firstPartyFiles: 0, firstPartyLines: 0, firstPartyBytes: 0 };
  for (const f of files) {
    if (f.maps.length > 1) f.maps.sort((a, b) => comparePaths(a.map, b.map) || a.index - b.index);
    unique.files++;
    unique.lines += f.lines;
    unique.bytes += f.bytes;
    if (f.origin === 'first-party') {
      unique.firstPartyFiles++;
      unique.firstPartyLines += f.lines;
      unique.firstPartyBytes += f.bytes;
    }
  }
  return { files, unique };
}

function summarize(
  c: Collected,
  maps: readonly MapEntry[],
  invalid: number,
  missing: number,
  remote: number,
  orphan: number,
  findings: readonly Finding[],
  unique: UniqueCounts,
): ReportSummary {
  const sources = zeroSources();
  const content = zeroContent();
  let external = 0;
  let inline = 0;
  let index = 0;
  for (const map of maps) {
    addSources(sources, map.sources);
    addContent(content, map.content);
    if (map.kind === 'external') external++;
    else inline++;
    if (map.format === 'index') index++;
  }
  for (const map of c.unmeasured) {
    if (map.kind === 'external') external++;
    else inline++;
  }
  let exposure: Exposure = 'none';
  if (content.firstPartyBytes > 0 || maps.some((m) => m.files.some((f) => f.hasContent && !f.thirdParty))) exposure = 'first-party-source';
  else if (sources.withContent > 0) exposure = 'third-party-source';
  else if (maps.length > 0) exposure = 'paths-only';
  return {
    exposure,
    severity: highest(findings),
    maps: { total: external + inline, external, inline, index, invalid, missing, orphan, remote },
    sources,
    content,
    unique,
    archives: c.archives,
    filesScanned: c.filesScanned,
    bytesScanned: c.bytesScanned,
  };
}
