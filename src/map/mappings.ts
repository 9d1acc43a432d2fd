import type { DiagnosticCollector } from './diagnostics';

/** base64 digit value per char code; -1 for characters outside the alphabet. */
const DIGITS = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

const COMMA = 44;
const SEMICOLON = 59;
const TWO_POW_32 = 4294967296;
/** `-0` encodes -2^31 (ECMA-426 VLQSignedValue). */
const MIN_INT32 = -2147483648;

/** What one pass over a `mappings` string saw. */
export interface MappingsSummary {
  /** Segments decoded (valid or not). */
  segments: number;
  /** 0-based generated line of the last segment in position order; -1 when there is none. */
  lastLine: number;
  /** 0-based generated column of that segment. */
  lastColumn: number;
  /** Grammar broke (bad character, truncated VLQ): decoding stopped at `stoppedAt`. */
  stopped: boolean;
}

/**
 * Decodes and validates a `mappings` string in one linear pass without building segment arrays.
 *
 * Every ECMA-426 rule of the mappings grammar is checked: base64 alphabet, VLQ continuation and the
 * 32-bit limit, segment lengths 1/4/5, negative resulting values, source and name index ranges.
 * A grammar error stops decoding (the spec's "parsing failed"); value errors are reported and decoding goes on.
 *
 * When `marks` is given, `marks[source][originalLine] = 1` is set for every valid 4/5-field segment
 * whose source has a mark array and whose line lies inside it, which is how mapped lines are counted.
 */
export function scanMappings(
  mappings: string,
  sourcesLength: number,
  namesLength: number,
  diagnostics: DiagnosticCollector,
  pointer: string,
  marks: readonly (Uint8Array | null)[] | null,
): MappingsSummary {
  const length = mappings.length;
  let segments = 0;
  let lastLine = -1;
  let lastColumn = -1;

  let line = 0;
  let column = 0;
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let name = 0;

  let fields = 0;
  let segmentStart = 0;
  let i = 0;

  // A segment ends at ',' ';' or the end of the string; the check runs once per segment.
  const endSegment = (): void => {
    segments++;
    if (fields !== 1 && fields !== 4 && fields !== 5) {
      diagnostics.add(
        'MAPPINGS_SEGMENT_LENGTH',
        'error',
        `Segment at offset ${segmentStart} has ${fields} fields; segments have 1, 4 or 5.`,
        pointer,
        segmentStart,
      );
      return;
    }
    if (column < 0) {
      negative('generated column', column);
      return;
    }
    if (line > lastLine || column > lastColumn) {
      if (line > lastLine) lastLine = line;
      lastColumn = column;
    }
    if (fields === 1) return;
    let ok = true;
    if (source < 0) ok = negative('source index', source);
    else if (source >= sourcesLength) {
      ok = false;
      diagnostics.add(
        'MAPPINGS_SOURCE_INDEX_RANGE',
        'error',
        `Segment at offset ${segmentStart} points at source ${source}, but "sources" has ${sourcesLength} entries.`,
        pointer,
        segmentStart,
      );
    }
    if (originalLine < 0) ok = negative('original line', originalLine);
    if (originalColumn < 0) ok = negative('original column', originalColumn);
    if (fields === 5) {
      if (name < 0) negative('name index', name);
      else if (name >= namesLength) {
        diagnostics.add(
          'MAPPINGS_NAME_INDEX_RANGE',
          'error',
          `Segment at offset ${segmentStart} points at name ${name}, but "names" has ${namesLength} entries.`,
          pointer,
          segmentStart,
        );
      }
    }
    if (ok && marks !== null) {
      const lines = marks[source];
      if (lines != null && originalLine < lines.length) lines[originalLine] = 1;
    }
  };

  const negative = (what: string, value: number): false => {
    diagnostics.add(
      'MAPPINGS_NEGATIVE_VALUE',
      'error',
      `Segment at offset ${segmentStart} gives a negative ${what} (${value}).`,
      pointer,
      segmentStart,
    );
    return false;
  };

  const stop = (): MappingsSummary => ({ segments, lastLine, lastColumn, stopped: true });

  while (i < length) {
    const c = mappings.charCodeAt(i);
    if (c === COMMA || c === SEMICOLON) {
      // An empty segment (",," or a leading/trailing ",") has zero fields: invalid. An empty line (";;") is fine.
      if (fields > 0 || c === COMMA || (i > 0 && mappings.charCodeAt(i - 1) === COMMA)) endSegment();
      if (c === SEMICOLON) {
        line++;
        column = 0;
      }
      fields = 0;
      i++;
      segmentStart = i;
      continue;
    }

    // One VLQ value. Digits past 2^32 with value 0 are legal (validMappingLargeVLQ), so only non-zero digits are checked.
    const valueStart = i;
    let unsigned = 0;
    let shift = 0;
    for (;;) {
      const code = i < length ? mappings.charCodeAt(i) : -1;
      const digit = code >= 0 && code < 128 ? DIGITS[code]! : -1;
      if (digit < 0) {
        if (code === -1 || code === COMMA || code === SEMICOLON) {
          diagnostics.add(
            'MAPPINGS_VLQ_TRUNCATED',
            'error',
            `VLQ value at offset ${valueStart} ends with a continuation digit.`,
            pointer,
            valueStart,
          );
        } else {
          diagnostics.add(
            'MAPPINGS_BAD_CHARACTER',
            'error',
            `Character ${JSON.stringify(mappings[i])} at offset ${i} is not a base64 digit, "," or ";".`,
            pointer,
            i,
          );
        }
        return stop();
      }
      i++;
      const bits = digit & 31;
      if (bits !== 0) {
        if (shift >= 32 || (unsigned += bits * 2 ** shift) >= TWO_POW_32) {
          diagnostics.add(
            'MAPPINGS_VLQ_OVERFLOW',
            'error',
            `VLQ value at offset ${valueStart} exceeds 32 bits.`,
            pointer,
            valueStart,
          );
          return stop();
        }
      }
      shift += 5;
      if ((digit & 32) === 0) break;
    }
    const magnitude = Math.floor(unsigned / 2);
    const value = unsigned % 2 === 1 ? (magnitude === 0 ? MIN_INT32 : -magnitude) : magnitude;

    switch (fields) {
      case 0:
        column += value;
        break;
      case 1:
        source += value;
        break;
      case 2:
        originalLine += value;
        break;
      case 3:
        originalColumn += value;
        break;
      case 4:
        name += value;
        break;
      default:
        // A sixth field or more: the length check at the segment's end reports it.
        break;
    }
    fields++;
  }
  if (fields > 0 || (length > 0 && mappings.charCodeAt(length - 1) === COMMA)) endSegment();
  return { segments, lastLine, lastColumn, stopped: false };
}
