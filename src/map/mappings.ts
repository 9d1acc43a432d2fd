import { utf8Decoder, utf8Encoder } from '../util/text';
import { compileWasm } from '../util/wasm';
import { DiagnosticCollector, type Diagnostic } from './diagnostics';
import { MAPPINGS_WASM } from './mappings-wasm';

/** base64 digit value per byte; -1 for bytes outside the alphabet. */
const DIGITS = /* @__PURE__ */ (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

const COMMA = 44;
const SEMICOLON = 59;
const TWO_POW_32 = 4294967296;
/** 32^k for the k-th VLQ digit (k < 7); a non-zero digit past the seventh always exceeds 32 bits. */
const SCALE = [1, 32, 1024, 32768, 1048576, 33554432, 1073741824];
/** `-0` encodes -2^31 (ECMA-426 VLQSignedValue). */
const MIN_INT32 = -2147483648;

/**
 * Called for a mapped line outside `marks[source]` (only when line counts are not known yet, as in a helper thread):
 * it may replace `marks[source]` with a longer array and set the line itself.
 */
export type MarkGrowth = (source: number, line: number) => void;

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
  // The grammar is ASCII: the UTF-8 bytes of the string have the same offsets up to the first character outside it.
  // An ASCII string is written straight into the WebAssembly loop's memory (no copy of its own).
  const pass = mappingsLoop.wasm && mappings.length >= mappingsLoop.wasmMinBytes ? wasmPass(mappings.length, sourcesLength, marks, undefined) : null;
  if (pass !== null) {
    const { read, written } = utf8Encoder.encodeInto(mappings, pass.input);
    if (read === mappings.length && written === mappings.length) return pass.run(namesLength, diagnostics, pointer, null);
  }
  const bytes = utf8Encoder.encode(mappings);
  return scanMappingBytes(bytes, 0, bytes.length, sourcesLength, namesLength, diagnostics, pointer, marks);
}

/**
 * {@link scanMappings} over the bytes `start..end` of a UTF-8 buffer (the `mappings` value as it sits in the map file,
 * so the text is never decoded). Offsets in diagnostics count from `start`.
 */
export function scanMappingBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  sourcesLength: number,
  namesLength: number,
  diagnostics: DiagnosticCollector,
  pointer: string,
  marks: readonly (Uint8Array | null)[] | null,
  grow: MarkGrowth | null = null,
): MappingsSummary {
  // The fast loop takes well-formed segments of values up to 30 bits, straight-line; at the first segment it does not
  // take (a grammar or value problem, a long VLQ) it hands its state to the general loop, which reports precisely.
  // Where WebAssembly runs, the same fast loop runs there (marks that grow stay here: only this loop can grow them).
  // Its bytes and the mark arrays are copied into the instance's memory, and the marks copied back.
  const pass = grow === null && mappingsLoop.wasm && end - start >= mappingsLoop.wasmMinBytes ? wasmPass(end - start, sourcesLength, marks, undefined) : null;
  if (pass !== null) {
    pass.input.set(bytes.subarray(start, end));
    return pass.run(namesLength, diagnostics, pointer, null);
  }
  let segments = 0;
  let lastLine = -1;
  let lastColumn = -1;
  let line = 0;
  let column = 0;
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let name = 0;
  let i = start;
  let c = 0;
  let d = 0;
  let v = 0;
  fast: for (;;) {
    if (i >= end) return { segments, lastLine, lastColumn, stopped: false };
    c = bytes[i]!;
    if (c === SEMICOLON) {
      line++;
      column = 0;
      i++;
      continue;
    }
    const segmentStart = i;
    const before0 = column;
    const before1 = source;
    const before2 = originalLine;
    const before3 = originalColumn;
    const before4 = name;
    let fields = 0;
    for (;;) {
      // One VLQ value of one to six digits.
      d = DIGITS[c]!;
      if (d < 0) break;
      v = d & 31;
      i++;
      if (d & 32) {
        let shift = 5;
        for (;;) {
          if (i >= end) break;
          // A seventh digit may overflow 32 bits: the general loop checks it.
          d = shift > 25 ? -1 : DIGITS[bytes[i]!]!;
          if (d < 0) break;
          i++;
          v |= (d & 31) << shift;
          if ((d & 32) === 0) break;
          shift += 5;
        }
        if (d < 0 || d & 32) break;
      }
      // 1 is "-0", which ECMA-426 reads as -2^31: rare and always an error, so the general loop reports it.
      if (v === 1) break;
      v = v & 1 ? -(v >>> 1) : v >>> 1;
      if (fields === 0) column += v;
      else if (fields === 1) source += v;
      else if (fields === 2) originalLine += v;
      else if (fields === 3) originalColumn += v;
      else name += v;
      fields++;
      c = i < end ? bytes[i]! : -1;
      if (c === COMMA || c === SEMICOLON || c === -1) {
        if (
          column >= 0 &&
          (fields === 1 ||
            ((fields === 4 || (fields === 5 && name >= 0 && name < namesLength)) &&
              source >= 0 &&
              source < sourcesLength &&
              originalLine >= 0 &&
              originalColumn >= 0))
        ) {
          segments++;
          if (line > lastLine) {
            lastLine = line;
            lastColumn = column;
          } else if (column > lastColumn) {
            lastColumn = column;
          }
          if (fields !== 1 && marks !== null) mark(marks, grow, source, originalLine);
          if (c === -1) return { segments, lastLine, lastColumn, stopped: false };
          i++;
          if (c === SEMICOLON) {
            line++;
            column = 0;
            continue fast;
          }
          // After a comma another segment must follow.
          c = i < end ? bytes[i]! : -1;
          if (c === COMMA || c === SEMICOLON || c === -1) {
            return scanGeneral(bytes, start, i, end, sourcesLength, namesLength, diagnostics, pointer, marks, grow, segments, lastLine, lastColumn, line, column, source, originalLine, originalColumn, name);
          }
          continue fast;
        }
        break;
      }
      if (fields === 5) break;
    }
    // Not taken: back to where the segment started, with the state before it.
    return scanGeneral(bytes, start, segmentStart, end, sourcesLength, namesLength, diagnostics, pointer, marks, grow, segments, lastLine, lastColumn, line, before0, before1, before2, before3, before4);
  }
}

/**
 * @internal Below `wasmMinBytes` bytes the TypeScript loop is as quick as setting up the WebAssembly one; `wasm: false`
 * never uses it; `wasmSlice` is how many bytes one call of it covers (V8 runs a call in the code the function had when
 * it began, so slices let its optimised code take over). Tests change them to run every case through each path.
 */
export const mappingsLoop = { wasm: true, wasmMinBytes: 4096, wasmSlice: 16 * 1024 };

/**
 * Runs the WebAssembly loop once over 8 KiB of made-up segments (one source, every segment valid), so that V8
 * compiles its optimised code on another core while the caller waits (for a read): a cold pass over the medium map's
 * 0.8 MB took 6.1 ms, one after this 3.3 ms, for about 1 ms here. Once per process; null when it did nothing (no
 * WebAssembly, or done already), else what the pass saw.
 */
export function warmMappingsLoop(): MappingsSummary | null {
  if (warmed || !mappingsLoop.wasm || compiledWasm() === null) return null;
  warmed = true;
  return scanMappings(WARM_SEGMENTS, 1, 0, new DiagnosticCollector(), '', null);
}

let warmed = false;
/** 1,639 segments of column +1 in source 0, line 0, column 0. */
const WARM_SEGMENTS = /* @__PURE__ */ `${'CAAA,'.repeat(1638)}CAAA`;

/** Where the WebAssembly loop's state lies in its memory (see mappings.wat). */
const STATE = 256;
const TABLE = 512;

let wasmModule: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly is missing or refused (a CSP, a sandbox): then the TypeScript loop runs. */
function compiledWasm(): WebAssembly.Module | null {
  if (wasmModule === undefined) wasmModule = compileWasm(MAPPINGS_WASM);
  return wasmModule;
}

/** The WebAssembly loop set up for `length` bytes of mappings: write them into `input`, then `run` it (once). */
interface WasmPass {
  input: Uint8Array;
  run(namesLength: number, diagnostics: DiagnosticCollector, pointer: string, grow: MarkGrowth | null): MappingsSummary;
}

/**
 * Sets up {@link WasmPass}: a fresh instance (its memory is dropped with it, so nothing is held after) with the mark
 * arrays copied in, or with a bit per line when only `bounds` (at most that many lines per source) are known. Where
 * the loop hands over, the general loop goes on in TypeScript from its state. Null when WebAssembly or the memory is
 * not available.
 */
function wasmPass(
  length: number,
  sourcesLength: number,
  marks: (Uint8Array | null)[] | readonly (Uint8Array | null)[] | null,
  bounds: ArrayLike<number> | undefined,
): WasmPass | null {
  const module = compiledWasm();
  if (module === null) return null;
  /** Bytes of mark area per source. */
  const area = (s: number): number => (bounds !== undefined ? ((bounds[s] ?? 0) + 7) >>> 3 : (marks?.[s]?.length ?? 0));
  let marked = 0;
  if (marks !== null) for (let s = 0; s < sourcesLength; s++) marked += area(s);
  const input = TABLE + 8 * sourcesLength + marked;
  let instance: WebAssembly.Instance;
  let memory: WebAssembly.Memory;
  try {
    instance = new WebAssembly.Instance(module, {});
    memory = instance.exports.memory as WebAssembly.Memory;
    const pages = Math.ceil((input + length) / 65536) - memory.buffer.byteLength / 65536;
    if (pages > 0) memory.grow(pages);
  } catch {
    // Out of memory for a copy: the TypeScript loop needs none.
    return null;
  }
  const heap = new Uint8Array(memory.buffer);
  heap.set(DIGITS_BYTES, 0);
  const table = new Int32Array(memory.buffer, TABLE, 2 * sourcesLength);
  let at = TABLE + 8 * sourcesLength;
  if (marks !== null) {
    for (let s = 0; s < sourcesLength; s++) {
      const size = area(s);
      if (size === 0) continue;
      table[2 * s] = at;
      table[2 * s + 1] = bounds !== undefined ? bounds[s]! : size;
      if (bounds === undefined) heap.set(marks[s]!, at);
      at += size;
    }
  }
  const bytes = heap.subarray(input, input + length);
  return {
    input: bytes,
    run(namesLength, diagnostics, pointer, grow) {
      const state = new Int32Array(memory.buffer, STATE, 16);
      state.fill(0);
      state[7] = -1; // last line
      state[8] = -1; // last column
      state[9] = input;
      const scan = instance.exports.scan as (end: number, limit: number, sources: number, names: number, table: number, bits: number) => number;
      const last = input + length;
      const bits = bounds !== undefined ? 1 : 0;
      let status: number;
      // By slices, so that V8's optimised code, compiled while the first slices run, takes the rest.
      do status = scan(last, Math.min(last, state[9]! + mappingsLoop.wasmSlice), sourcesLength, namesLength, TABLE, bits);
      while (status === 2);
      if (marks !== null) {
        for (let s = 0; s < sourcesLength; s++) {
          if (table[2 * s + 1] === 0) continue;
          const from = table[2 * s]!;
          if (bounds === undefined) marks[s]!.set(heap.subarray(from, from + marks[s]!.length));
          else (marks as (Uint8Array | null)[])[s] = unpackBits(heap, from, area(s));
        }
      }
      const [line, column, source, originalLine, originalColumn, name, segments, lastLine, lastColumn, position] = state;
      if (status === 0) return { segments: segments!, lastLine: lastLine!, lastColumn: lastColumn!, stopped: false };
      // Offsets count from the start of the mappings either way, so the general loop reads them where they are.
      return scanGeneral(bytes, 0, position! - input, length, sourcesLength, namesLength, diagnostics, pointer, marks, grow, segments!, lastLine!, lastColumn!, line!, column!, source!, originalLine!, originalColumn!, name!);
    },
  };
}

/** A byte per line, up to the last line set, from a bit per line at `heap[from..from + size)`; null when none is set. */
function unpackBits(heap: Uint8Array, from: number, size: number): Uint8Array | null {
  let top = size - 1;
  while (top >= 0 && heap[from + top] === 0) top--;
  if (top < 0) return null;
  const lines = new Uint8Array(8 * top + 32 - Math.clz32(heap[from + top]!));
  for (let k = 0; k <= top; k++) {
    const byte = heap[from + k]!;
    if (byte === 0) continue;
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) lines[8 * k + b] = 1;
  }
  return lines;
}

/** {@link DIGITS} as the bytes the WebAssembly loop reads (its loads are signed). */
const DIGITS_BYTES = /* @__PURE__ */ new Uint8Array(DIGITS.buffer);

/** Marks one mapped line of a valid source, growing its array when `grow` is given and the line lies past it. */
function mark(marks: readonly (Uint8Array | null)[], grow: MarkGrowth | null, source: number, line: number): void {
  const lines = marks[source];
  if (lines != null && line < lines.length) lines[line] = 1;
  else if (grow !== null) grow(source, line);
}

/** The general loop of {@link scanMappingBytes}, from `from` with the state the fast loop reached. */
function scanGeneral(
  bytes: Uint8Array,
  start: number,
  from: number,
  end: number,
  sourcesLength: number,
  namesLength: number,
  diagnostics: DiagnosticCollector,
  pointer: string,
  marks: readonly (Uint8Array | null)[] | null,
  grow: MarkGrowth | null,
  segments: number,
  lastLine: number,
  lastColumn: number,
  line: number,
  column: number,
  source: number,
  originalLine: number,
  originalColumn: number,
  name: number,
): MappingsSummary {
  let fields = 0;
  let segmentStart = from;
  let i = from;

  for (;;) {
    const c = i < end ? bytes[i]! : -1;
    if (c === COMMA || c === SEMICOLON || c === -1) {
      // A segment ends here. An empty one (",," or a stray ",") has zero fields and is invalid; an empty line is fine.
      if (fields > 0 || c === COMMA || (i > start && bytes[i - 1] === COMMA)) {
        segments++;
        if (
          column >= 0 &&
          (fields === 1 ||
            ((fields === 4 || (fields === 5 && name >= 0 && name < namesLength)) &&
              source >= 0 &&
              source < sourcesLength &&
              originalLine >= 0 &&
              originalColumn >= 0))
        ) {
          if (line > lastLine) {
            lastLine = line;
            lastColumn = column;
          } else if (column > lastColumn) {
            lastColumn = column;
          }
          if (fields !== 1 && marks !== null) mark(marks, grow, source, originalLine);
        } else {
          segmentProblem(diagnostics, pointer, segmentStart - start, fields, column, source, sourcesLength, originalLine, originalColumn, name, namesLength);
          // Only the name is bad: the original position still stands (ECMA-426 keeps it, with a null name).
          if (fields === 5 && column >= 0 && source >= 0 && source < sourcesLength && originalLine >= 0 && originalColumn >= 0 && marks !== null) {
            mark(marks, grow, source, originalLine);
          }
          if (column >= 0 && fields !== 0 && line >= lastLine) {
            if (line > lastLine) lastColumn = column;
            else if (column > lastColumn) lastColumn = column;
            lastLine = line;
          }
        }
      }
      if (c === -1) break;
      if (c === SEMICOLON) {
        line++;
        column = 0;
      }
      fields = 0;
      i++;
      segmentStart = i;
      continue;
    }

    // One VLQ value. Single-digit values, most of any real map, stay on small-integer arithmetic.
    const digit = DIGITS[c]!;
    let value: number;
    if (digit >= 0 && digit < 32) {
      i++;
      value = digit & 1 ? (digit === 1 ? MIN_INT32 : -(digit >> 1)) : digit >> 1;
    } else {
      const long = decodeLong(bytes, i, end, start, digit, diagnostics, pointer);
      if (long.end < 0) return { segments, lastLine, lastColumn, stopped: true };
      i = long.end;
      value = long.value;
    }

    if (fields === 0) column += value;
    else if (fields === 1) source += value;
    else if (fields === 2) originalLine += value;
    else if (fields === 3) originalColumn += value;
    else if (fields === 4) name += value;
    // A sixth field or more: the length check at the segment's end reports it.
    fields++;
  }
  return { segments, lastLine, lastColumn, stopped: false };
}

const longResult = { value: 0, end: 0 };

/**
 * Decodes a VLQ of two or more digits starting at `at` (whose digit is `first`). Digits past 2^32 with value 0
 * are legal (validMappingLargeVLQ), so only non-zero digits are range-checked. `end` is -1 after a grammar error.
 */
function decodeLong(
  bytes: Uint8Array,
  at: number,
  end: number,
  start: number,
  first: number,
  diagnostics: DiagnosticCollector,
  pointer: string,
): typeof longResult {
  let digit = first;
  let i = at;
  let unsigned = 0;
  let shift = 0;
  for (;;) {
    if (digit < 0) {
      const code = i < end ? bytes[i]! : -1;
      if (code === -1 || code === COMMA || code === SEMICOLON) {
        diagnostics.add('MAPPINGS_VLQ_TRUNCATED', 'error', `VLQ value at offset ${at - start} ends with a continuation digit.`, pointer, at - start);
      } else {
        // Every byte before this one is ASCII, so byte and character offsets agree.
        const char = [...utf8Decoder.decode(bytes.subarray(i, Math.min(end, i + 4)))][0];
        diagnostics.add('MAPPINGS_BAD_CHARACTER', 'error', `Character ${JSON.stringify(char)} at offset ${i - start} is not a base64 digit, "," or ";".`, pointer, i - start);
      }
      longResult.end = -1;
      return longResult;
    }
    i++;
    const bits = digit & 31;
    if (bits !== 0) {
      if (shift >= 35 || (unsigned += bits * SCALE[shift / 5]!) >= TWO_POW_32) {
        diagnostics.add('MAPPINGS_VLQ_OVERFLOW', 'error', `VLQ value at offset ${at - start} exceeds 32 bits.`, pointer, at - start);
        longResult.end = -1;
        return longResult;
      }
    }
    if ((digit & 32) === 0) break;
    shift += 5;
    digit = i < end ? DIGITS[bytes[i]!]! : -1;
  }
  const magnitude = Math.floor(unsigned / 2);
  longResult.value = unsigned % 2 === 1 ? (magnitude === 0 ? MIN_INT32 : -magnitude) : magnitude;
  longResult.end = i;
  return longResult;
}

/** Reports what is wrong with one segment (the slow path of {@link scanMappings}). */
function segmentProblem(
  diagnostics: DiagnosticCollector,
  pointer: string,
  at: number,
  fields: number,
  column: number,
  source: number,
  sourcesLength: number,
  originalLine: number,
  originalColumn: number,
  name: number,
  namesLength: number,
): void {
  const negative = (what: string, value: number): void =>
    diagnostics.add('MAPPINGS_NEGATIVE_VALUE', 'error', `Segment at offset ${at} gives a negative ${what} (${value}).`, pointer, at);
  if (fields !== 1 && fields !== 4 && fields !== 5) {
    diagnostics.add('MAPPINGS_SEGMENT_LENGTH', 'error', `Segment at offset ${at} has ${fields} fields; segments have 1, 4 or 5.`, pointer, at);
    return;
  }
  if (column < 0) {
    negative('generated column', column);
    return;
  }
  if (source < 0) negative('source index', source);
  else if (source >= sourcesLength) {
    diagnostics.add(
      'MAPPINGS_SOURCE_INDEX_RANGE',
      'error',
      `Segment at offset ${at} points at source ${source}, but "sources" has ${sourcesLength} entries.`,
      pointer,
      at,
    );
  }
  if (originalLine < 0) negative('original line', originalLine);
  if (originalColumn < 0) negative('original column', originalColumn);
  if (fields === 5) {
    if (name < 0) negative('name index', name);
    else if (name >= namesLength) {
      diagnostics.add('MAPPINGS_NAME_INDEX_RANGE', 'error', `Segment at offset ${at} points at name ${name}, but "names" has ${namesLength} entries.`, pointer, at);
    }
  }
}

/** What {@link scanMappingsAhead} found: the pass's summary and diagnostics, with marks not yet cut to line counts. */
export interface MappingsAhead {
  summary: MappingsSummary;
  /** Kept diagnostics, in order, and how many more were dropped (all errors). */
  diagnostics: Diagnostic[];
  dropped: number;
  /** Per source, `1` at each mapped original line (any length; lines past the source's content are ignored). */
  marks: (Uint8Array | null)[];
}

/**
 * {@link scanMappingBytes} before the sources' line counts are known (on another thread, or before the contents are
 * read): mark arrays grow as lines are met, within `budget` bytes in all (a hostile map may point at line 2^31 in
 * every source); null past it, and the caller scans again once it knows the line counts. `bounds`, when known, caps
 * each source's line count (lines past it are never counted), so marks need not grow.
 */
export function scanMappingsAhead(
  bytes: Uint8Array,
  start: number,
  end: number,
  sourcesLength: number,
  namesLength: number,
  pointer: string,
  budget: number,
  bounds?: ArrayLike<number>,
): MappingsAhead | null {
  const inPlace = bounds !== undefined ? mappingsAheadInPlace(end - start, sourcesLength, namesLength, pointer, budget, bounds) : null;
  if (inPlace !== null) {
    inPlace.input.set(bytes.subarray(start, end));
    return inPlace.finish();
  }
  const ahead = aheadMarks(sourcesLength, budget);
  const diagnostics = new DiagnosticCollector();
  const summary = scanMappingBytes(bytes, start, end, sourcesLength, namesLength, diagnostics, pointer, ahead.marks, ahead.grow);
  return ahead.overBudget() ? null : { summary, diagnostics: diagnostics.items, dropped: diagnostics.dropped, marks: ahead.marks };
}

/**
 * {@link scanMappingsAhead} with bounds, on the WebAssembly loop, for a caller that writes the `length` bytes of
 * mappings into `input` itself (a file read straight there: no second copy of them). Null where that loop cannot run
 * (no WebAssembly, too small, marks over `budget`): use {@link scanMappingsAhead}.
 */
export function mappingsAheadInPlace(
  length: number,
  sourcesLength: number,
  namesLength: number,
  pointer: string,
  budget: number,
  bounds: ArrayLike<number>,
): { input: Uint8Array; finish(): MappingsAhead | null } | null {
  if (!mappingsLoop.wasm || length < mappingsLoop.wasmMinBytes) return null;
  // A bit per line, with nothing to grow.
  let bitBytes = 0;
  for (let s = 0; s < sourcesLength; s++) bitBytes += ((bounds[s] ?? 0) + 7) >>> 3;
  if (bitBytes > budget) return null;
  const ahead = aheadMarks(sourcesLength, budget);
  const pass = wasmPass(length, sourcesLength, ahead.marks, bounds);
  if (pass === null) return null;
  return {
    input: pass.input,
    finish() {
      const diagnostics = new DiagnosticCollector();
      const summary = pass.run(namesLength, diagnostics, pointer, ahead.grow);
      return ahead.overBudget() ? null : { summary, diagnostics: diagnostics.items, dropped: diagnostics.dropped, marks: ahead.marks };
    },
  };
}

/** Mark arrays that grow as lines are met, within `budget` bytes in all. */
function aheadMarks(sourcesLength: number, budget: number): { marks: (Uint8Array | null)[]; grow: MarkGrowth; overBudget(): boolean } {
  const marks: (Uint8Array | null)[] = new Array<Uint8Array | null>(sourcesLength).fill(null);
  let left = budget;
  let overBudget = false;
  const grow = (source: number, line: number): void => {
    if (overBudget || source < 0 || source >= marks.length) return;
    const old = marks[source];
    const size = Math.max(64, (old?.length ?? 0) * 2, line + 1);
    left -= size;
    if (left < 0) {
      overBudget = true;
      return;
    }
    const grown = new Uint8Array(size);
    if (old) grown.set(old);
    grown[line] = 1;
    marks[source] = grown;
  };
  return { marks, grow, overBudget: () => overBudget };
}
