import { FINDING_SEVERITY } from '../findings';
import type { ExposureReport, Finding, FindingCode, ReportTarget, Severity } from '../types';
import { sha256Hex } from '../util/sha256';
import { VERSION } from '../version';

/*
 * SARIF 2.1.0 (OASIS) output, for GitHub code scanning, Azure DevOps and other SARIF viewers.
 * Pure: no Node built-ins, and deterministic: equal reports give byte-equal logs (no timestamps, GUIDs or paths of
 * the machine that wrote them).
 */

/** `$schema` of every log: the OASIS SARIF 2.1.0 schema (errata 01). */
export const SARIF_SCHEMA_URL = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Where the tool is documented (`tool.driver.informationUri`). */
export const SARIF_INFORMATION_URI = 'https://www.npmjs.com/package/sourcemap-forensics';

/** `uriBaseId` of every result's location: the scanned target, described in `run.originalUriBaseIds`. */
export const SARIF_TARGET_BASE_ID = 'TARGET';

/** Key of our entry in `result.partialFingerprints`; the `/v1` changes only if the fingerprint's recipe does. */
export const SARIF_FINGERPRINT_KEY = 'sourcemapForensics/v1';

/** SARIF `level`. */
export type SarifLevel = 'error' | 'warning' | 'note';

/** A SARIF `message` (plain text; Markdown only where SARIF allows it). */
export interface SarifMessage {
  text: string;
  markdown?: string;
}

/** A SARIF `artifactLocation`. */
export interface SarifArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  description?: SarifMessage;
  properties?: Record<string, unknown>;
}

/** A SARIF `region` (1-based lines and columns). */
export interface SarifRegion {
  startLine: number;
  startColumn?: number;
}

/** A SARIF `location`. */
export interface SarifLocation {
  id?: number;
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion };
  message?: SarifMessage;
}

/** A SARIF `reportingDescriptor`: one rule per finding code. */
export interface SarifRule {
  id: FindingCode;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: Required<SarifMessage>;
  defaultConfiguration: { level: SarifLevel };
  properties: { 'security-severity': string; tags: string[] };
}

/** A SARIF `result`: one per finding. */
export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: { severity: Severity; args: Finding['args'] };
}

/** A SARIF `run`: one per report. */
export interface SarifRun {
  tool: {
    driver: { name: string; fullName: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] };
  };
  automationDetails?: { id: string };
  invocations: { executionSuccessful: boolean }[];
  originalUriBaseIds: Record<string, SarifArtifactLocation>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
  properties: { schemaVersion: string; summary: ExposureReport['summary'] };
}

/** A SARIF 2.1.0 log. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

/** `result.level` (and a rule's `defaultConfiguration.level`) of each severity. */
export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** `properties.security-severity` of a rule (GitHub reads it as a CVSS-like score to rank alerts). */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  // GitHub counts scores over 9.0 as critical.
  critical: '9.5',
  high: '7.5',
  medium: '5.0',
  low: '3.0',
  info: '1.0',
};

interface RuleText {
  /** One sentence: what was found. */
  short: string;
  /** What it means. */
  full: string;
  /** How to fix it, in Markdown; `help.text` has it with the backticks removed. */
  fix: string;
}

const MAPS_OUT =
  'keep the `.map` files out of what you publish (package.json `files` or `.npmignore`, the deploy step of your web server), ' +
  'uploading them to your error tracker instead if you need them';

const NO_CONTENT =
  'build without `sourcesContent` (esbuild `sourcesContent: false`, Rollup `output.sourcemapExcludeSources`, ' +
  "webpack `devtool: 'nosources-source-map'`, TypeScript without `inlineSources`)";

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What each finding code means and how to fix it: the rules' descriptions and help. */
const RULE_TEXT: Readonly<Record<FindingCode, RuleText>> = {
  FIRST_PARTY_SOURCE_EXPOSED: {
    short: 'First-party original source can be recovered from a source map.',
    full:
      "A source map embeds the project's own original files in sourcesContent: anyone who can download the artefact " +
      'can read the unminified source, with its comments, names and internal logic.',
    fix: `${capitalize(NO_CONTENT)}, or ${MAPS_OUT}.`,
  },
  THIRD_PARTY_SOURCE_EXPOSED: {
    short: 'Only third-party source can be recovered from a source map.',
    full:
      'The map embeds original source, but only of dependencies (node_modules). That code is usually public already, ' +
      'but it tells which packages and versions the artefact bundles, and first-party content may follow in a later build.',
    fix: `If the maps are not meant to ship, ${MAPS_OUT}; otherwise ${NO_CONTENT}.`,
  },
  SOURCE_PATHS_EXPOSED: {
    short: 'A source map without sourcesContent still names the original files.',
    full:
      'No original source can be recovered, but the map lists the original file paths (and usually identifier names), ' +
      "which reveal the project's layout and module names.",
    fix: `Usually acceptable. To hide the layout too, ${MAPS_OUT}.`,
  },
  ABSOLUTE_SOURCE_PATHS: {
    short: 'A source map names absolute paths or home directories.',
    full:
      "The map's sources carry absolute paths (/…, C:\\…, file:///…) or home directories: they give away user names, " +
      'machine and CI workspace layout.',
    fix:
      'Have the build write sources relative to the map: check the options that shape them (webpack ' +
      `\`output.devtoolModuleFilenameTemplate\`, a \`sourceRoot\` set to an absolute directory) or rewrite \`sources\` after the build; or ${MAPS_OUT}.`,
  },
  MAP_SPEC_VIOLATION: {
    short: 'A source map breaks ECMA-426 but was measured anyway.',
    full:
      'The map is not valid under ECMA-426 (the Source Map format), yet its content could be read and was measured. ' +
      'Debuggers and error trackers may mis-map it; a hand-edited or damaged map may also be a sign of tampering.',
    fix: 'Regenerate the map with the bundler, or fix the step that rewrites it after the build; see the finding arguments for the first error.',
  },
  MAP_UNREADABLE: {
    short: 'A source map could not be measured.',
    full:
      'The map is not JSON, has no sources, or its data: URL cannot be decoded, so what it exposes is unknown. ' +
      'Someone who repairs it by hand may still recover its content.',
    fix: `Inspect the file. If it is a map, regenerate it or ${MAPS_OUT}; if not, remove the sourceMappingURL that points at it.`,
  },
  MAP_MISSING: {
    short: 'A sourceMappingURL names a file that is not in the target.',
    full:
      'A generated file points at a map that is not part of the target. The map may be served from elsewhere at that ' +
      'path (check the deployed site), or the comment is left over from a build that no longer ships maps.',
    fix: "Check that the map is not reachable where the URL points; emit no comment when maps are not shipped (webpack `devtool: 'hidden-source-map'`, esbuild `sourcemap: 'external'`).",
  },
  MAP_URL_OUTSIDE_TARGET: {
    short: 'A sourceMappingURL points outside the target.',
    full:
      'The URL climbs out of the target (../) or is an absolute path, so it was reported and never read. A build ' +
      'misconfiguration, or a crafted artefact that tries to make tools read other files on the machine.',
    fix: 'Emit map URLs relative to the generated file and inside the artefact, or no URL at all; treat a crafted URL in a third-party artefact as hostile.',
  },
  MAP_REMOTE: {
    short: 'A sourceMappingURL is a remote or file: URL.',
    full:
      'The generated file points at an http(s): or file: URL. It was listed, never fetched: the map may be publicly ' +
      'downloadable there, and a file: URL gives away a local path.',
    fix: 'Check whether the URL serves a map with sourcesContent; restrict or remove it, and drop the comment from published files.',
  },
  MAP_ORPHAN: {
    short: 'A .map file that no generated file references.',
    full:
      'Browsers never load it, but it ships with the artefact and anyone can download it by name. Often a leftover ' +
      'of a build whose comment was removed.',
    fix: `Remove it from the artefact: ${MAPS_OUT}.`,
  },
  FILE_UNREADABLE: {
    short: 'A file in the target could not be read.',
    full: 'The scan skipped a file it could not read (permissions, a broken entry, an I/O error), so its exposure is unknown.',
    fix: 'Check the file and its permissions, then scan again.',
  },
  ARCHIVE_CORRUPT: {
    short: 'An archive is truncated or malformed.',
    full: 'What could be read from the archive was scanned; the rest was not, so the report may miss maps.',
    fix: 'Rebuild or download the archive again and rescan it; a damaged archive from a third party may also be crafted.',
  },
  ARCHIVE_LIMIT: {
    short: 'An archive hit a size, count, ratio or depth limit.',
    full:
      'Scanning stopped opening part of an archive at a safety limit (a possible decompression bomb, or just a very ' +
      'large artefact); the rest of the scan went on, so maps inside may be missed.',
    fix: 'Inspect the archive. If it is trusted, raise the limit named in the finding (--max-total-bytes, --max-entry-bytes, --max-entries, --max-depth, --max-ratio) and scan again.',
  },
  MAP_LIMIT: {
    short: 'A source map is too large to measure.',
    full: 'The map is larger than maxMapBytes or has more sources than maxSources: it was not measured, so what it exposes is unknown.',
    fix: 'If the artefact is trusted, raise --max-map-bytes or --max-sources and scan again; either way, keep such a map out of the published files.',
  },
  MAP_ENCODING_INVALID: {
    short: 'A source map is not valid UTF-8.',
    full: 'The map holds bytes that are not UTF-8 (hand-crafted or damaged); it was measured with U+FFFD in their place.',
    fix: 'Regenerate the map with the bundler; check the step that produced the bad bytes.',
  },
  SECRET_IN_SOURCE: {
    short: 'A secret is in recovered first-party source.',
    full:
      'A token, key or password (found by secretlint\'s recommended rules) is in original source that anyone can ' +
      'recover from the published map. Treat it as leaked.',
    fix: `Revoke and rotate the secret now; move it out of client code (a server, or an environment variable read at run time); then ${NO_CONTENT} or ${MAPS_OUT}.`,
  },
  PRIVATE_KEY_IN_SOURCE: {
    short: 'A private key block is in recovered source.',
    full: 'A PEM private key (-----BEGIN … PRIVATE KEY-----) is in original source recoverable from the map. Treat the key as compromised.',
    fix: `Revoke the key and issue a new one; keep keys out of source files; then ${NO_CONTENT} or ${MAPS_OUT}.`,
  },
  INTERNAL_URL_IN_SOURCE: {
    short: 'Recovered source names an internal host.',
    full:
      'Original source recoverable from the map names an internal host (private IP address, localhost, .internal, ' +
      '.corp, .local…), mapping out infrastructure that is not meant to be public.',
    fix: `Inject such URLs per environment at build or run time instead of writing them in code, and ${NO_CONTENT} or ${MAPS_OUT}.`,
  },
  COMMENTS_EXPOSED: {
    short: 'Recovered source carries comments the bundle had stripped.',
    full: 'The minified bundle has no comments, but the original source in the map keeps them: notes, TODOs, names and reasoning meant for the team.',
    fix: `${capitalize(NO_CONTENT)}, or ${MAPS_OUT}.`,
  },
  DETECTOR_MATCH: {
    short: 'A custom detector matched recovered source.',
    full: "One of the caller's own detectors (the detectors option) matched original source recoverable from the map; the message says what it found.",
    fix: `Follow the detector's guidance; to stop the exposure itself, ${NO_CONTENT} or ${MAPS_OUT}.`,
  },
};

/** `FIRST_PARTY_SOURCE_EXPOSED` → `FirstPartySourceExposed`. */
function pascalCase(code: string): string {
  return code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function buildRules(): SarifRule[] {
  return (Object.keys(FINDING_SEVERITY) as FindingCode[]).map((code) => {
    const severity = FINDING_SEVERITY[code];
    const text = RULE_TEXT[code];
    return {
      id: code,
      name: pascalCase(code),
      shortDescription: { text: text.short },
      fullDescription: { text: text.full },
      help: {
        text: `${text.full} How to fix: ${text.fix.replace(/`/g, '')}`,
        markdown: `${text.full}\n\n**How to fix:** ${text.fix}`,
      },
      defaultConfiguration: { level: SARIF_LEVEL[severity] },
      properties: { 'security-severity': SECURITY_SEVERITY[severity], tags: ['security'] },
    };
  });
}

// RFC 3986 characters a URI reference may hold as they are: unreserved, and the delimiters that are harmless in a
// path. `?`, `#` and `[` `]` would start a query, a fragment or an IP literal, `%` an escape: they are encoded.
const URI_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=/@]/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/**
 * A path or raw `sources` entry as a URI reference: every character that may not stand as it is becomes its UTF-8
 * percent-encoding (lone surrogates as U+FFFD). `/` and `!` stay, so `outer.zip!/inner.tgz!/x.js.map` stays readable.
 * `:` stays after the first `/` (and in a scheme of two letters or more, when `keepScheme`), and is encoded in a
 * first segment, where a relative reference would otherwise read as a scheme (`a:b.js`, `C:\x`).
 */
export function toUriReference(value: string, keepScheme = false): string {
  const scheme = keepScheme ? (SCHEME.exec(value)?.[0] ?? '') : '';
  let out = scheme;
  let afterSlash = false;
  for (const char of value.slice(scheme.length)) {
    if (char === '/') afterSlash = true;
    if (URI_SAFE.test(char) || (char === ':' && (afterSlash || scheme !== ''))) {
      out += char;
      continue;
    }
    const code = char.codePointAt(0)!;
    out += code >= 0xd800 && code <= 0xdfff ? '%EF%BF%BD' : encodeURIComponent(char);
  }
  return out;
}

/** Args whose values name what a finding is about without counting it (counts change as the code grows). */
const STABLE_ARGS = ['detector', 'rule', 'url', 'kind', 'limit'] as const;

/**
 * Fingerprint stable across runs and machines, so dashboards match a result to the alert of an earlier upload:
 * code, path, original source, line and the stable args, never counts, messages or columns.
 */
export function fingerprint(finding: Finding): string {
  const { code, location, args } = finding;
  const stable = STABLE_ARGS.filter((key) => args[key] !== undefined && args[key] !== null)
    .map((key) => `${key}=${String(args[key])}`)
    .join('\0');
  return sha256Hex(`${code}\0${location.path}\0${location.source ?? ''}\0${location.line ?? ''}\0${stable}`);
}

function region(line: number | undefined, column: number | undefined): { region?: SarifRegion } {
  if (line === undefined || !Number.isInteger(line) || line < 1) return {};
  // SARIF columns are 1-based; the report's are 0-based (both in UTF-16 code units, see columnKind).
  return { region: column !== undefined && Number.isInteger(column) && column >= 0 ? { startLine: line, startColumn: column + 1 } : { startLine: line } };
}

/**
 * Where in the original file a finding inside recovered source is: a relatedLocation, not a second `locations`
 * entry. Every entry of `locations` is a place that must change to fix the result (SARIF §3.27.12), and GitHub code
 * scanning uses the first one only, dropping the rest unseen. The result belongs to the map (the file that ships
 * and has to change or go); the original file is evidence that exists only inside the map's sourcesContent, with
 * no URI in the target (hence no uriBaseId: the raw `sources` entry is kept as written). relatedLocations is
 * SARIF's place for such evidence: VS Code's SARIF viewer and Azure DevOps list it, and GitHub shows it when the
 * message links to it. The message stays the finding's own (it already names the line), so no link is spliced in.
 */
function relatedLocation(location: Finding['location'] & { source: string; line: number }): SarifLocation {
  const column = location.column === undefined ? '' : `, column ${location.column + 1}`;
  return {
    id: 1,
    physicalLocation: {
      artifactLocation: { uri: toUriReference(location.source, true) },
      ...region(location.line, location.column),
    },
    message: {
      text: `Original source ${JSON.stringify(location.source)}, line ${location.line}${column}, recovered from the sourcesContent of ${location.path}.`,
    },
  };
}

function result(finding: Finding, ruleIndex: ReadonlyMap<string, number>): SarifResult {
  const { location } = finding;
  const { source, line } = location;
  const index = ruleIndex.get(finding.code);
  const inSource = source !== undefined && line !== undefined;
  return {
    ruleId: finding.code,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: SARIF_LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUriReference(location.path), uriBaseId: SARIF_TARGET_BASE_ID },
          // A line without a source is a line of the file at `path` itself.
          ...(inSource ? {} : region(line, location.column)),
        },
      },
    ],
    ...(inSource ? { relatedLocations: [relatedLocation({ ...location, source, line })] } : {}),
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: fingerprint(finding) },
    properties: { severity: finding.severity, args: finding.args },
  };
}

function describeTarget(target: ReportTarget): SarifArtifactLocation {
  // No `uri`: the report names the target as the caller gave it (often a relative path, a package spec or a label),
  // and SARIF wants an absolute URI there; a pure formatter cannot know the absolute path. Consumers resolve
  // TARGET themselves (GitHub reads the result URIs relative to the repository root).
  const format = target.format === undefined ? '' : ` (${target.format})`;
  return {
    description: { text: `The scanned ${target.kind}${format}: ${target.name}. Result paths are relative to it; ! separates an archive from a path inside it.` },
    properties: { target },
  };
}

function run(report: ExposureReport, rules: SarifRule[], ruleIndex: ReadonlyMap<string, number>, automationId: string | undefined): SarifRun {
  return {
    tool: {
      driver: {
        name: 'sourcemap-forensics',
        fullName: `sourcemap-forensics ${VERSION}`,
        version: VERSION,
        semanticVersion: VERSION,
        informationUri: SARIF_INFORMATION_URI,
        rules,
      },
    },
    ...(automationId === undefined ? {} : { automationDetails: { id: automationId } }),
    invocations: [{ executionSuccessful: true }],
    originalUriBaseIds: { [SARIF_TARGET_BASE_ID]: describeTarget(report.target) },
    columnKind: 'utf16CodeUnits',
    results: report.findings.map((f) => result(f, ruleIndex)),
    properties: { schemaVersion: report.schemaVersion, summary: report.summary },
  };
}

/**
 * Categories of several runs. GitHub code scanning refuses a log with two runs of one tool in one category, and
 * takes the category from `automationDetails.id` (up to its last `/`), so each target gets its own:
 * `sourcemap-forensics/<target name>/`, with ` (2)`, ` (3)`… for a name given twice. A single run gets none, so
 * the uploader's own category applies.
 */
function automationIds(reports: readonly ExposureReport[]): (string | undefined)[] {
  if (reports.length < 2) return reports.map(() => undefined);
  const seen = new Map<string, number>();
  return reports.map((r) => {
    const name = r.target.name;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return `sourcemap-forensics/${name}${count === 1 ? '' : ` (${count})`}/`;
  });
}

/** The SARIF 2.1.0 log of one report or of several (one run each, in order). */
export function toSarif(report: ExposureReport | readonly ExposureReport[]): SarifLog {
  const reports: readonly ExposureReport[] = isReportList(report) ? report : [report];
  const ids = automationIds(reports);
  return {
    $schema: SARIF_SCHEMA_URL,
    version: '2.1.0',
    runs: reports.map((r, i) => {
      // Each run gets its own copy of the rules, so a caller editing one run's log cannot change another's.
      const rules = buildRules();
      const ruleIndex = new Map(rules.map((rule, index) => [rule.id as string, index]));
      return run(r, rules, ruleIndex, ids[i]);
    }),
  };
}

/** The SARIF 2.1.0 log as pretty JSON with a final newline. Byte-stable for equal reports. */
export function formatSarif(report: ExposureReport | readonly ExposureReport[]): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

function isReportList(value: ExposureReport | readonly ExposureReport[]): value is readonly ExposureReport[] {
  return Array.isArray(value);
}
