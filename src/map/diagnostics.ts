/**
 * Stable codes of validation diagnostics (ECMA-426 violations and oddities of one map).
 * The list is owned by `src/map/`; adding a code is a minor change, renaming one is breaking.
 */
export type DiagnosticCode =
  | 'DATA_URL_INVALID'
  | 'INVALID_UTF8'
  | 'MAP_NOT_JSON'
  | 'MAP_NOT_OBJECT'
  | 'VERSION_INVALID'
  | 'FIELD_MISSING'
  | 'FIELD_TYPE'
  | 'SOURCES_ENTRY_TYPE'
  | 'SOURCES_CONTENT_ENTRY_TYPE'
  | 'SOURCES_CONTENT_EXTRA'
  | 'NAMES_ENTRY_TYPE'
  | 'IGNORE_LIST_ENTRY_TYPE'
  | 'IGNORE_LIST_OUT_OF_RANGE'
  | 'MAPPINGS_BAD_CHARACTER'
  | 'MAPPINGS_VLQ_TRUNCATED'
  | 'MAPPINGS_VLQ_OVERFLOW'
  | 'MAPPINGS_SEGMENT_LENGTH'
  | 'MAPPINGS_NEGATIVE_VALUE'
  | 'MAPPINGS_SOURCE_INDEX_RANGE'
  | 'MAPPINGS_NAME_INDEX_RANGE'
  | 'INDEX_MAP_WITH_MAPPINGS'
  | 'SECTION_INVALID'
  | 'SECTION_OFFSET'
  | 'SECTION_ORDER'
  | 'SECTION_OVERLAP'
  | 'SECTION_NESTED_INDEX_MAP'
  | 'SECTION_URL_UNSUPPORTED'
  | 'TOO_MANY_DIAGNOSTICS';

/** One problem found while validating a map. */
export interface Diagnostic {
  /** Stable machine-readable code. */
  code: DiagnosticCode;
  /** `error`: ECMA-426 rejects the map; `warning`: allowed but suspicious (e.g. extra `sourcesContent` entries). */
  severity: 'error' | 'warning';
  /** One English sentence a person can act on, naming the offending value. */
  message: string;
  /** JSON Pointer (RFC 6901) of the offending value, e.g. `/sources/3` or `/sections/1/map/mappings`; `""` for the whole document. */
  pointer: string;
  /** For `mappings` problems: 0-based UTF-16 offset of the offending character in the `mappings` string. */
  offset?: number;
}

/** Result of `validateSourceMap`. */
export interface ValidationResult {
  /** True when no diagnostic has severity `error`. */
  valid: boolean;
  /** Every problem found, in document order. */
  diagnostics: Diagnostic[];
}

/** Diagnostics kept per map; hostile maps can hold millions of bad segments, so the list is capped. */
export const MAX_DIAGNOSTICS = 100;

/** Collects diagnostics up to {@link MAX_DIAGNOSTICS}, counting errors past the cap too. */
export class DiagnosticCollector {
  /** Kept diagnostics, in document order. */
  readonly items: Diagnostic[] = [];
  /** Every `error` seen, kept or not. */
  errors = 0;
  /** Diagnostics dropped past the cap. */
  dropped = 0;

  add(code: DiagnosticCode, severity: Diagnostic['severity'], message: string, pointer: string, offset?: number): void {
    if (severity === 'error') this.errors++;
    if (this.items.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      return;
    }
    const diagnostic: Diagnostic = { code, severity, message, pointer };
    if (offset !== undefined) diagnostic.offset = offset;
    this.items.push(diagnostic);
  }

  /** Adds the diagnostics another collector kept (in order) and counts the errors it dropped, as if added here. */
  absorb(items: readonly Diagnostic[], droppedErrors: number): void {
    for (const d of items) this.add(d.code, d.severity, d.message, d.pointer, d.offset);
    this.errors += droppedErrors;
    this.dropped += droppedErrors;
  }

  /** Adds a diagnostic before all others (one found late that document order puts first); may push the last one out. */
  addFirst(code: DiagnosticCode, severity: Diagnostic['severity'], message: string, pointer: string): void {
    if (severity === 'error') this.errors++;
    if (this.items.length >= MAX_DIAGNOSTICS) {
      this.items.pop();
      this.dropped++;
    }
    this.items.unshift({ code, severity, message, pointer });
  }

  /** The kept list, closed by a `TOO_MANY_DIAGNOSTICS` warning when some were dropped. */
  finish(): Diagnostic[] {
    if (this.dropped > 0) {
      this.items.push({
        code: 'TOO_MANY_DIAGNOSTICS',
        severity: 'warning',
        message: `${this.dropped} more diagnostics were not kept (at most ${MAX_DIAGNOSTICS} per map).`,
        pointer: '',
      });
      this.dropped = 0;
    }
    return this.items;
  }
}
