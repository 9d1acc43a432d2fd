import { addContent, addSources, zeroContent, zeroSources } from '../analysis/measure';
import { FINDING_SEVERITY, severityRank } from '../findings';
import { renderFindingMessage } from '../format/messages';
import { comparePaths } from '../input/vfs';
import type {
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
  findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      comparePaths(a.code, b.code) ||
      comparePaths(a.location.path, b.location.path) ||
      comparePaths(a.message, b.message),
  );

  const summary = summarize(c, maps, invalidMaps.length, missingMaps.length, remoteMaps.length, orphanMaps.length, findings);
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
    findings,
  };
}

function summarize(
  c: Collected,
  maps: readonly MapEntry[],
  invalid: number,
  missing: number,
  remote: number,
  orphan: number,
  findings: readonly Finding[],
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
  let severity: Severity | 'none' = 'none';
  for (const f of findings) if (severity === 'none' || severityRank(f.severity) < severityRank(severity)) severity = f.severity;
  return {
    exposure,
    severity,
    maps: { total: external + inline, external, inline, index, invalid, missing, orphan, remote },
    sources,
    content,
    archives: c.archives,
    filesScanned: c.filesScanned,
    bytesScanned: c.bytesScanned,
  };
}
