import type { TraceMap } from '@jridgewell/trace-mapping';
import type { Diagnostic } from './diagnostics';

/**
 * One leaf of a map: a regular map, or one section of an index map (nested index maps flattened).
 * Offsets locate the section in the generated file; `sourceOffset`/`nameOffset` locate its entries
 * in the flattened `sources`/`names` of the {@link ParsedMap}.
 */
export interface MapSection {
  /** 0-based generated line where the section starts. */
  line: number;
  /** 0-based generated column (UTF-16 units) where the section starts; applies to its first line only. */
  column: number;
  /** Index of the section's first source in the flattened `sources`. */
  sourceOffset: number;
  /** Number of the section's sources. */
  sourceCount: number;
  /** Index of the section's first name in the flattened `names`. */
  nameOffset: number;
  /** Number of the section's names. */
  nameCount: number;
  /** The section's raw `mappings` string. */
  mappings: string;
}

/**
 * A parsed, validated source map. Index maps are flattened: `sources`, `sourcesContent`, `names` and
 * `ignoreList` concatenate every section's entries in order, and `sections` keeps where each one starts.
 * Read it through the free functions (`originalPositionFor`, `isIgnored`); fields are plain data.
 */
export class ParsedMap {
  /** `regular` map or `index` map with `sections`. */
  readonly format: 'regular' | 'index';
  /** The `file` field, or null. */
  readonly file: string | null;
  /** The `sourceRoot` field of a regular map, or null (index maps have one per section, already applied). */
  readonly sourceRoot: string | null;
  /** Raw `sources` entries, flattened over sections. */
  readonly sources: readonly (string | null)[];
  /** `sourceRoot` joined with each entry (not resolved against the map's URL); null for null entries. */
  readonly resolvedSources: readonly (string | null)[];
  /** Content per source: the `sourcesContent` string, or null when absent or not a string. Same length as `sources`. */
  readonly sourcesContent: readonly (string | null)[];
  /** `names`, flattened over sections. */
  readonly names: readonly string[];
  /** Indexes into `sources` listed by `ignoreList` (or legacy `x_google_ignoreList`), sorted, flattened. */
  readonly ignoreList: readonly number[];
  /** Leaf sections; one at 0:0 for a regular map. */
  readonly sections: readonly MapSection[];
  /** Problems found while parsing (warnings only for a map that `parseSourceMap` accepted). */
  readonly diagnostics: readonly Diagnostic[];

  /** @internal Decoded sections for lookups, filled on first use. */
  _traces: (TraceMap | undefined)[] | undefined = undefined;

  constructor(fields: {
    format: 'regular' | 'index';
    file: string | null;
    sourceRoot: string | null;
    sources: (string | null)[];
    resolvedSources: (string | null)[];
    sourcesContent: (string | null)[];
    names: string[];
    ignoreList: number[];
    sections: MapSection[];
    diagnostics: Diagnostic[];
  }) {
    this.format = fields.format;
    this.file = fields.file;
    this.sourceRoot = fields.sourceRoot;
    this.sources = fields.sources;
    this.resolvedSources = fields.resolvedSources;
    this.sourcesContent = fields.sourcesContent;
    this.names = fields.names;
    this.ignoreList = fields.ignoreList;
    this.sections = fields.sections;
    this.diagnostics = fields.diagnostics;
  }
}
