import { TraceMap, traceSegment } from '@jridgewell/trace-mapping';
import type { ParsedMap } from './parsed-map';

/** A position in the generated file. */
export interface GeneratedPosition {
  /** 1-based line. */
  line: number;
  /** 0-based column, UTF-16 code units. */
  column: number;
}

/** Where a generated position comes from; every field is null where the position is unmapped. */
export interface OriginalPosition {
  /** The source, `sourceRoot` joined (not resolved against the map's URL); null when unmapped or the entry is null. */
  source: string | null;
  /** 1-based line in the original source. */
  line: number | null;
  /** 0-based column in the original source, UTF-16 code units. */
  column: number | null;
  /** The segment's name, or null. */
  name: string | null;
}

const UNMAPPED: OriginalPosition = Object.freeze({ source: null, line: null, column: null, name: null });

/**
 * The original position of a generated one: the closest mapping segment at or before `column` on `line`
 * (greatest lower bound), within the index-map section that covers the position.
 */
export function originalPositionFor(map: ParsedMap, position: GeneratedPosition): OriginalPosition {
  const line0 = position.line - 1;
  const column = position.column;
  if (!Number.isInteger(line0) || !Number.isInteger(column) || line0 < 0 || column < 0) return { ...UNMAPPED };
  const sections = map.sections;
  // Last section starting at or before the position.
  let low = 0;
  let high = sections.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const s = sections[mid]!;
    if (s.line < line0 || (s.line === line0 && s.column <= column)) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (found === -1) return { ...UNMAPPED };
  const section = sections[found]!;
  const relLine = line0 - section.line;
  const relColumn = relLine === 0 ? column - section.column : column;

  const traces = (map._traces ??= new Array(sections.length));
  const trace = (traces[found] ??= new TraceMap({
    version: 3,
    // Indexes are mapped back to the flattened lists below; trace-mapping's own source resolution is not used.
    sources: new Array<string>(section.sourceCount).fill(''),
    names: [],
    mappings: section.mappings,
  }));
  const segment = traceSegment(trace, relLine, relColumn);
  if (segment === null || segment.length === 1) return { ...UNMAPPED };
  return {
    source: map.resolvedSources[section.sourceOffset + segment[1]] ?? null,
    line: segment[2] + 1,
    column: segment[3],
    name: segment.length === 5 ? (map.names[section.nameOffset + segment[4]] ?? null) : null,
  };
}

/** True when `source` (a raw `sources` entry or its `sourceRoot`-joined form) is listed in the map's `ignoreList`. */
export function isIgnored(map: ParsedMap, source: string): boolean {
  for (const index of map.ignoreList) {
    if (map.sources[index] === source || map.resolvedSources[index] === source) return true;
  }
  return false;
}
