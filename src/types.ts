import type { Diagnostic } from './map/diagnostics';

export type { Diagnostic };

/** Version of the report layout; follows semver (a field is never renamed or removed without a major bump). */
export const SCHEMA_VERSION = '1.0.0';

/** `$schema` of every report: the JSON Schema of this layout as published with the package. */
export const REPORT_SCHEMA_URL = `https://unpkg.com/sourcemap-forensics@0.1.0/schema.json`;

/** Finding severity, highest first: `critical` > `high` > `medium` > `low` > `info`. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Stable codes of report findings. Rendered to English in `format/`. */
export type FindingCode =
  /** First-party original source is recoverable from `sourcesContent`. */
  | 'FIRST_PARTY_SOURCE_EXPOSED'
  /** Only third-party (`node_modules/`) source is recoverable from `sourcesContent`. */
  | 'THIRD_PARTY_SOURCE_EXPOSED'
  /** A map without any `sourcesContent` still lists original file paths and names. */
  | 'SOURCE_PATHS_EXPOSED'
  /** `sources` carries absolute paths or home directories (user names, CI workspace layout). */
  | 'ABSOLUTE_SOURCE_PATHS'
  /** The map breaks ECMA-426 but its content was still measured. */
  | 'MAP_SPEC_VIOLATION'
  /** The map could not be measured at all (not JSON, no `sources`, undecodable `data:` URL). */
  | 'MAP_UNREADABLE'
  /** A `sourceMappingURL` names a file that is not in the target. */
  | 'MAP_MISSING'
  /** A `sourceMappingURL` leaves the target (`../../etc/passwd`, an absolute path): reported, never read. */
  | 'MAP_URL_OUTSIDE_TARGET'
  /** A `sourceMappingURL` is an `http(s):` or `file:` URL: listed, never fetched. */
  | 'MAP_REMOTE'
  /** A `.map` file that no generated file references. */
  | 'MAP_ORPHAN'
  /** A file in the target could not be read. */
  | 'FILE_UNREADABLE'
  /** An archive (or one of its entries) is truncated or malformed; what could be read was scanned. */
  | 'ARCHIVE_CORRUPT'
  /** An archive hit a size, count, ratio or depth limit; the rest of the scan went on. */
  | 'ARCHIVE_LIMIT'
  /** A map is larger than `maxMapBytes` or has more sources than `maxSources`: not measured. */
  | 'MAP_LIMIT'
  /** A map is not valid UTF-8 (hand-crafted or damaged); it was measured with U+FFFD in place of the bad bytes. */
  | 'MAP_ENCODING_INVALID'
  /** A secret (token, key, password) in recovered first-party source, found by secretlint's recommended rules. */
  | 'SECRET_IN_SOURCE'
  /** A private key block (`-----BEGIN … PRIVATE KEY-----`) in recovered source. */
  | 'PRIVATE_KEY_IN_SOURCE'
  /** A URL naming an internal host (private IP, `localhost`, `.internal`, `.corp`, `.local`…) in recovered first-party source. */
  | 'INTERNAL_URL_IN_SOURCE'
  /** Recovered first-party source carries comments that a minified bundle had stripped (notes, TODOs, names). */
  | 'COMMENTS_EXPOSED'
  /** A match of a caller's own detector (the `detectors` option). */
  | 'DETECTOR_MATCH';

/** Where a finding points. */
export interface Location {
  /** Path inside the target (POSIX separators), e.g. `dist/cli.js.map`. */
  path: string;
  /** Raw `sources` entry, for findings about one original file. */
  source?: string;
  /** 1-based line in `path` (or in `source` when that is set). */
  line?: number;
  /** 0-based column, UTF-16 code units. */
  column?: number;
}

/** One thing the scan noticed, with a stable code. */
export interface Finding {
  /** Stable SCREAMING_SNAKE code. */
  code: FindingCode;
  /** How bad it is. */
  severity: Severity;
  /** English rendering of `code` + `args`. */
  message: string;
  /** Where it is. */
  location: Location;
  /** Typed values the message was rendered from (counts, URLs, diagnostic codes). */
  args: Record<string, string | number | boolean | null>;
}

/** Figures of one original source of a map. */
export interface SourceEntry {
  /** 0-based index in the map's `sources` (flattened over sections for index maps). */
  index: number;
  /** Raw `sources[index]` entry as written in the map. */
  source: string | null;
  /** `sourceRoot` joined with the entry (not resolved against the map's URL). */
  path: string | null;
  /** `sourcesContent[index]` is a string (`""` counts). */
  hasContent: boolean;
  /** Lines of the content: `\n` count, plus 1 if non-empty and not ending in `\n`; 0 without content. */
  lines: number;
  /** UTF-8 bytes of the content; 0 without content. */
  bytes: number;
  /** Hex SHA-256 of the UTF-8 content; null without content. */
  sha256: string | null;
  /** Content lines that at least one mapping segment points at; `lines - mappedLines` never reached the bundle (types, comments, dead code). */
  mappedLines: number;
  /** First-party content lines that hold only comments (line or block comments); null for third-party or absent content. */
  commentLines: number | null;
  /** The raw entry contains `node_modules/`. */
  thirdParty: boolean;
  /** Listed in `ignoreList` (or legacy `x_google_ignoreList`). */
  ignoreListed: boolean;
  /** The resolved path is absolute (`/x`, `C:\x`, `\\server\x`, `file:///x`). */
  absolutePath: boolean;
  /** The resolved path names a home directory (`/Users/…`, `/home/…`, `C:\Users\…`). */
  homeDirectory: boolean;
}

/** Source counts of one map or of a whole report. */
export interface SourceCounts {
  /** `sources` entries. */
  total: number;
  /** Entries whose `sourcesContent` is a string. */
  withContent: number;
  /** Entries without content. */
  withoutContent: number;
  /** Entries not under `node_modules/` (null entries included). */
  firstParty: number;
  /** Entries under `node_modules/`. */
  thirdParty: number;
  /** Entries in `ignoreList`. */
  ignoreListed: number;
  /** Entries with an absolute path or a home directory. */
  absolutePaths: number;
}

/** Content counts of one map or of a whole report (sums, not de-duplicated). */
export interface ContentCounts {
  /** Lines of all content. */
  lines: number;
  /** UTF-8 bytes of all content. */
  bytes: number;
  /** Lines of first-party content. */
  firstPartyLines: number;
  /** Bytes of first-party content. */
  firstPartyBytes: number;
  /** Lines of third-party content. */
  thirdPartyLines: number;
  /** Bytes of third-party content. */
  thirdPartyBytes: number;
  /** Content lines hit by at least one mapping segment. */
  mappedLines: number;
  /** Content lines no mapping points at (`lines - mappedLines`). */
  unmappedLines: number;
}

/** How a map was found. `external`: its own file; `inline`: a `data:` URL inside a generated file. */
export type MapKind = 'external' | 'inline';

/** One measured map. */
export interface MapEntry {
  /** Path inside the target: the `.map` file, or for an inline map the generated file that holds it. */
  path: string;
  /** External file or inline `data:` URL. */
  kind: MapKind;
  /** `regular` map or `index` map with `sections`. */
  format: 'regular' | 'index';
  /** Leaf sections of an index map; 0 for a regular map. */
  sections: number;
  /** Generated files whose `sourceMappingURL` leads here, sorted; empty for an orphan. */
  generatedFiles: string[];
  /** No generated file references this external map. */
  orphan: boolean;
  /** ECMA-426 accepts the map; false means it was measured leniently (see `diagnostics`). */
  valid: boolean;
  /** Validation problems (empty when `valid` and nothing odd was seen). */
  diagnostics: Diagnostic[];
  /** The map's `file` field. */
  file: string | null;
  /** Size of the map document in bytes (decoded, for inline maps). */
  bytes: number;
  /** Hex SHA-256 of the map document bytes, as evidence. */
  sha256: string;
  /** Per-map source counts. */
  sources: SourceCounts;
  /** Per-map content counts. */
  content: ContentCounts;
  /** Per-source detail, in `sources` order. */
  files: SourceEntry[];
}

/** A `sourceMappingURL` that points at a file that is not there (or not inside the target). */
export interface MissingMap {
  /** The URL as written. */
  url: string;
  /** The generated file that references it. */
  generatedFile: string;
  /** Where it resolves inside the target; null when it leaves the target. */
  resolvedPath: string | null;
  /** `not-found`: resolves inside the target but no such file; `outside-target`: it leaves the target and was not read. */
  reason: 'not-found' | 'outside-target';
}

/** A `sourceMappingURL` with an `http(s):` or `file:` URL: never fetched. */
export interface RemoteMap {
  /** The URL as written. */
  url: string;
  /** The generated file that references it. */
  generatedFile: string;
}

/** An external `.map` file nothing references (also listed in `maps` with `orphan: true` when measurable). */
export interface OrphanMap {
  /** Path inside the target. */
  path: string;
}

/** A map that breaks ECMA-426. */
export interface InvalidMap {
  /** Path inside the target (generated file for inline maps). */
  path: string;
  /** External file or inline. */
  kind: MapKind;
  /** True when its content was still measured (it is then also in `maps`). */
  measured: boolean;
  /** Why it is invalid. */
  diagnostics: Diagnostic[];
}

/** Overall exposure verdict, worst first. */
export type Exposure =
  /** First-party original source is recoverable. */
  | 'first-party-source'
  /** Only third-party source is recoverable. */
  | 'third-party-source'
  /** Maps exist but carry no content: paths and names only. */
  | 'paths-only'
  /** No source map found. */
  | 'none';

/** Totals over distinct files: each (normalised path, content sha256) counted once, however many maps carry it. */
export interface UniqueCounts {
  /** Distinct recovered files. */
  files: number;
  /** Their lines. */
  lines: number;
  /** Their UTF-8 bytes. */
  bytes: number;
  /** Distinct first-party files. */
  firstPartyFiles: number;
  /** Their lines. */
  firstPartyLines: number;
  /** Their bytes. */
  firstPartyBytes: number;
}

/** One distinct recovered file of the target. */
export interface ExposedFile {
  /**
   * Normalised path: the `sourceRoot`-joined path resolved against its map's folder, schemes as folders, climbs
   * above the target under `__outside__/` (as `--extract` would place it), POSIX separators.
   */
  path: string;
  /** Hex SHA-256 of the content. */
  sha256: string;
  /** `third-party` when a raw entry contains `node_modules/`, else `first-party`. */
  origin: 'first-party' | 'third-party';
  /** For third-party files: the npm package name (`react`, `@scope/name`); otherwise null. */
  package: string | null;
  /** Lines (the report's counting rule). */
  lines: number;
  /** UTF-8 bytes. */
  bytes: number;
  /** Comment lines (first-party only; null for third-party). */
  commentLines: number | null;
  /** Every map that carries this content at this path, sorted: map path and 0-based source index. */
  maps: { map: string; index: number }[];
}

/** Totals over every map of a target (sums over maps, not de-duplicated). */
export interface ReportSummary {
  /** The verdict: what a reader of the artefact can recover. */
  exposure: Exposure;
  /** Highest severity among findings, or `none`. */
  severity: Severity | 'none';
  /** Map counts. */
  maps: {
    /** Map documents found: external + inline (measured or not). */
    total: number;
    /** External map files. */
    external: number;
    /** Inline `data:` maps. */
    inline: number;
    /** Index maps (with `sections`). */
    index: number;
    /** Maps that break ECMA-426 (measured leniently or not at all). */
    invalid: number;
    /** Referenced maps that are not in the target. */
    missing: number;
    /** External maps that nothing references. */
    orphan: number;
    /** Remote `sourceMappingURL`s (listed, never fetched). */
    remote: number;
  };
  /** Source counts summed over maps. */
  sources: SourceCounts;
  /** Content counts summed over maps. */
  content: ContentCounts;
  /** Counts over distinct files: what a bundle split into chunks really exposes. */
  unique: UniqueCounts;
  /** Archives opened (the target itself when it is one, and nested ones). */
  archives: {
    /** Archives opened. */
    total: number;
    /** Entries they held (regular files), counted as they were read. */
    entries: number;
    /** Bytes inflated (or read, for plain tar) from them: real bytes, not declared sizes. */
    inflatedBytes: number;
  };
  /** Files looked at in the target. */
  filesScanned: number;
  /** Bytes read from the target. */
  bytesScanned: number;
}

/** What was scanned. */
export interface ReportTarget {
  /**
   * `file` or `directory` (a path), `archive` (a path or bytes whose magic says archive), `files` (in memory),
   * `map` (one map given to `analyzeSourceMap`), `package` (the files `npm pack` would publish from a directory),
   * `npm` (a registry package) or `url` (a live site).
   */
  kind: 'file' | 'directory' | 'archive' | 'files' | 'map' | 'package' | 'npm' | 'url';
  /** The name the caller gave: the path as given, the `name` option, or `<memory>`. */
  name: string;
  /** For archives: `tgz`, `tar`, `zip` (also `.vsix .jar .xpi .whl`), `crx`, or `gzip` (one gzipped file). */
  format?: 'tgz' | 'tar' | 'zip' | 'crx' | 'gzip';
  /** True when the bytes were given in memory (`{ name, bytes }`): `name` is a label, not a path to read again. */
  inMemory?: true;
}

/** The exposure report: plain JSON, deterministically ordered. */
export interface ExposureReport {
  /** JSON Schema of this layout. */
  $schema: string;
  /** Layout version (semver). */
  schemaVersion: string;
  /** The tool that wrote it. */
  tool: { name: 'sourcemap-forensics'; version: string };
  /** What was scanned. */
  target: ReportTarget;
  /** Totals. */
  summary: ReportSummary;
  /** Measured maps, sorted by path then kind. */
  maps: MapEntry[];
  /** References to maps that are not there, sorted. */
  missingMaps: MissingMap[];
  /** Maps that nothing references, sorted. */
  orphanMaps: OrphanMap[];
  /** Remote map URLs, sorted. */
  remoteMaps: RemoteMap[];
  /** Maps that break ECMA-426, sorted. */
  invalidMaps: InvalidMap[];
  /** Distinct recovered files, sorted by path then sha256. */
  files: ExposedFile[];
  /** Findings, sorted by severity (highest first), code, path. */
  findings: Finding[];
}
