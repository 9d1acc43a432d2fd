/**
 * Finds the two big values of a regular map, `sourcesContent` and `mappings`, in its UTF-8 bytes, so the rest of the
 * map can be parsed on its own and the two read piece by piece: no copy of the whole text is ever made. Only the
 * structure is checked here (strings, brackets, commas); every piece is parsed by `JSON.parse` later, and any
 * failure there sends the caller back to parsing the whole text, so the result is always `JSON.parse`'s.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** A regular map cut into the small rest and its two big values. */
export interface MapSplit {
  /** Where `sourcesContent`'s value (`[...]`) starts and ends (end exclusive); -1 when the map has none. */
  contentStart: number;
  contentEnd: number;
  /** Each `sourcesContent` entry: `[start, end)` of a JSON string token (quotes included), or -1/-1 for `null`. */
  entries: Int32Array;
  /** Where the `mappings` string's characters start and end (quotes excluded); -1 when the map has none. */
  mappingsStart: number;
  mappingsEnd: number;
  /** Where the JSON text starts (after a BOM or an anti-XSSI line). */
  textStart: number;
  /**
   * Where `names`'s value (`[...]`) starts and ends when it is an array of strings only, and how many; -1 otherwise.
   * A measuring read needs only the count, and parsing 100,000 names costs more than checking them.
   */
  namesStart: number;
  namesEnd: number;
  namesCount: number;
}

/**
 * Splits a map of `size` bytes (after a BOM and an anti-XSSI line) when they are a JSON object whose top-level
 * `sourcesContent` is an array of strings and nulls and whose `mappings` is a string without escapes; otherwise null
 * (parse the whole text). Control characters and non-ASCII bytes in `mappings` are left to the reader of the mappings
 * bytes (see `checkMappingBytes`). The bytes are read `window` at a time through `read` (whose result may be reused
 * by its next call), so a file need not be held whole: reading a 44 MB map into one fresh buffer cost about 30 ms
 * more than reading it by 1 MiB windows, and a full collection to free it.
 */
export function splitMapWindows(read: (offset: number, length: number) => Uint8Array, size: number, window: number): MapSplit | null {
  return splitBytes(new Bytes(read, size, Math.max(1, window)));
}

/** Bytes `0..length` of a document seen through a window that moves as they are read; -1 past either end. */
class Bytes {
  /** The window (read it only through the methods, or as {@link stringEnd} does). */
  buf: Uint8Array = EMPTY_BYTES;
  /** Where `buf[0]` lies in the document. */
  base = 0;

  constructor(
    private readonly read: (offset: number, length: number) => Uint8Array,
    readonly length: number,
    private readonly window: number,
  ) {}

  /** The byte at `p`. */
  at(p: number): number {
    const k = p - this.base;
    if (k >= 0 && k < this.buf.length) return this.buf[k]!;
    if (p < 0 || p >= this.length) return -1;
    this.fill(p);
    // A file that shrank while it was read ends here.
    return this.buf.length > 0 ? this.buf[0]! : -1;
  }

  /** Where `byte` first occurs in `from..to`; -1 when it does not. */
  indexOf(byte: number, from: number, to = this.length): number {
    // Most searches end in the window they start in.
    const k = from - this.base;
    if (k >= 0 && k < this.buf.length) {
      const found = this.buf.indexOf(byte, k);
      if (found >= 0) return this.base + found < to ? this.base + found : -1;
    }
    return this.indexOfAcross(byte, from, to);
  }

  private indexOfAcross(byte: number, from: number, to: number): number {
    for (;;) {
      if (from >= to) return -1;
      let k = from - this.base;
      if (k < 0 || k >= this.buf.length) {
        this.fill(from);
        if (this.buf.length === 0) return -1;
        k = 0;
      }
      const found = this.buf.indexOf(byte, k);
      if (found >= 0) return this.base + found < to ? this.base + found : -1;
      from = this.base + this.buf.length;
    }
  }

  /** How many backslashes come right before `q`, not counting any before `floor`. */
  backslashesBefore(q: number, floor: number): number {
    let p = q - 1;
    for (;;) {
      if (p < floor) return q - 1 - p;
      let k = p - this.base;
      // A run that began before the window: read the window that ends here.
      if (k < 0 || k >= this.buf.length) {
        this.fill(Math.max(floor, p - this.window + 1));
        k = p - this.base;
      }
      while (k >= 0 && p >= floor && this.buf[k] === BACKSLASH) {
        k--;
        p--;
      }
      if (k >= 0 || p < floor) return q - 1 - p;
    }
  }

  private fill(from: number): void {
    this.base = from;
    this.buf = this.read(from, Math.min(this.window, this.length - from));
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/** Where the JSON text starts: after a UTF-8 BOM and an anti-XSSI `)]}'` line. */
function findTextStart(bytes: Bytes): number {
  let i = bytes.at(0) === 0xef && bytes.at(1) === 0xbb && bytes.at(2) === 0xbf ? 3 : 0;
  if (bytes.at(i) === 0x29 && bytes.at(i + 1) === 0x5d && bytes.at(i + 2) === 0x7d && bytes.at(i + 3) === 0x27) {
    const lf = bytes.indexOf(0x0a, i);
    const cr = bytes.indexOf(0x0d, i, lf < 0 ? bytes.length : lf);
    const eol = cr >= 0 ? cr : lf;
    i = eol < 0 ? bytes.length : eol + 1;
  }
  return i;
}

function splitBytes(bytes: Bytes): MapSplit | null {
  const end = bytes.length;
  const textStart = findTextStart(bytes);
  let i = skipSpace(bytes, textStart, end);
  if (bytes.at(i) !== OPEN_BRACE) return null;
  i = skipSpace(bytes, i + 1, end);
  let contentStart = -1;
  let contentEnd = -1;
  let entries: Int32Array = EMPTY;
  let mappingsStart = -1;
  let mappingsEnd = -1;
  let namesStart = -1;
  let namesEnd = -1;
  let namesCount = -1;
  let namesSeen = false;
  if (bytes.at(i) === CLOSE_BRACE) return null;
  for (;;) {
    if (bytes.at(i) !== QUOTE) return null;
    const keyEnd = stringEnd(bytes, i + 1, end);
    if (keyEnd < 0) return null;
    const key = keyOf(bytes, i + 1, keyEnd);
    // An escaped key may spell one of ours (`"sources\u0043ontent"`): JSON.parse reads those.
    if (key === null) return null;
    i = skipSpace(bytes, keyEnd + 1, end);
    if (bytes.at(i) !== COLON) return null;
    i = skipSpace(bytes, i + 1, end);
    if (key === 'sourcesContent') {
      // A repeated key: JSON.parse keeps the last, but keep this simple and let it decide.
      if (contentStart >= 0 || bytes.at(i) !== OPEN_BRACKET) return null;
      contentStart = i;
      const list = readEntries(bytes, i, end);
      if (list === null) return null;
      entries = list.entries;
      i = list.end;
      contentEnd = i;
    } else if (key === 'mappings') {
      if (mappingsStart >= 0 || bytes.at(i) !== QUOTE) return null;
      const close = stringEnd(bytes, i + 1, end);
      if (close < 0) return null;
      // Escapes in `mappings` are rare and wrong; the whole-text path reads them exactly. (indexOf is native: a byte
      // loop here cost 14 ms of 11 MB.) Control characters and non-ASCII stop the mappings pass, which checks then.
      if (bytes.indexOf(BACKSLASH, i + 1, close) >= 0) return null;
      mappingsStart = i + 1;
      mappingsEnd = close;
      i = close + 1;
    } else if (key === 'names' && !namesSeen && bytes.at(i) === OPEN_BRACKET) {
      // A repeated key is left to JSON.parse (namesSeen), and so is a list with anything but strings in it.
      namesSeen = true;
      const list = readEntries(bytes, i, end);
      if (list !== null && !list.entries.includes(-1)) {
        namesStart = i;
        namesEnd = list.end;
        namesCount = list.entries.length / 2;
      }
      i = list !== null ? list.end : skipValue(bytes, i, end);
      if (i < 0) return null;
    } else {
      if (key === 'names') {
        namesSeen = true;
        namesStart = namesEnd = namesCount = -1;
      }
      i = skipValue(bytes, i, end);
      if (i < 0) return null;
    }
    i = skipSpace(bytes, i, end);
    if (bytes.at(i) === COMMA) {
      i = skipSpace(bytes, i + 1, end);
      continue;
    }
    if (bytes.at(i) !== CLOSE_BRACE) return null;
    i = skipSpace(bytes, i + 1, end);
    // Anything after the object is an error JSON.parse words best.
    return i === end && (contentStart >= 0 || mappingsStart >= 0)
      ? { contentStart, contentEnd, entries, mappingsStart, mappingsEnd, textStart, namesStart, namesEnd, namesCount }
      : null;
  }
}

const EMPTY = new Int32Array(0);

/** Reads `[ "..." | null, ... ]` at `i`; null when an entry is anything else. */
function readEntries(bytes: Bytes, at: number, end: number): { entries: Int32Array; end: number } | null {
  let list = new Int32Array(64);
  let n = 0;
  let i = skipSpace(bytes, at + 1, end);
  if (bytes.at(i) === CLOSE_BRACKET) return { entries: EMPTY, end: i + 1 };
  for (;;) {
    if (n + 2 > list.length) {
      const grown = new Int32Array(list.length * 2);
      grown.set(list);
      list = grown;
    }
    const c = bytes.at(i);
    if (c === QUOTE) {
      const close = stringEnd(bytes, i + 1, end);
      if (close < 0) return null;
      list[n++] = i;
      list[n++] = close + 1;
      i = close + 1;
    } else if (c === 0x6e && bytes.at(i + 1) === 0x75 && bytes.at(i + 2) === 0x6c && bytes.at(i + 3) === 0x6c) {
      list[n++] = -1;
      list[n++] = -1;
      i += 4;
    } else {
      return null;
    }
    i = skipSpace(bytes, i, end);
    if (bytes.at(i) === COMMA) {
      i = skipSpace(bytes, i + 1, end);
      continue;
    }
    if (bytes.at(i) !== CLOSE_BRACKET) return null;
    return { entries: list.subarray(0, n), end: i + 1 };
  }
}

/** Index of the quote closing a string whose characters start at `i`; -1 when there is none. */
function stringEnd(bytes: Bytes, i: number, end: number): number {
  // The byte before `i` is a quote, so no run of backslashes reaches below `i`.
  const floor = i;
  for (;;) {
    const q = bytes.indexOf(QUOTE, i, end);
    if (q < 0) return -1;
    // Most quotes have no backslash before them: seen in the window when it holds that byte.
    const k = q - 1 - bytes.base;
    if (q - 1 < floor || (k >= 0 && k < bytes.buf.length && bytes.buf[k] !== BACKSLASH)) return q;
    // Escaped when an odd number of backslashes precede it.
    if (bytes.backslashesBefore(q, floor) % 2 === 0) return q;
    i = q + 1;
  }
}

/** A key's text when it is short plain ASCII (the only keys this module looks for); '' for others; null when escaped. */
function keyOf(bytes: Bytes, start: number, end: number): string | null {
  let key = '';
  for (let k = start; k < end; k++) {
    const c = bytes.at(k);
    if (c === BACKSLASH) return null;
    if (c > 0x7e || key.length > 32) key = '\u0000';
    else key += String.fromCharCode(c);
  }
  return key;
}

/** Skips one JSON value at `i` (structure only); -1 when it is not one. Nesting is counted, not recursed. */
function skipValue(bytes: Bytes, i: number, end: number): number {
  let depth = 0;
  for (;;) {
    if (i >= end) return -1;
    const c = bytes.at(i);
    if (c === QUOTE) {
      const close = stringEnd(bytes, i + 1, end);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      i++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return -1;
      depth--;
      i++;
    } else if (c === COMMA || c === COLON || isSpace(c)) {
      if (depth === 0) return -1;
      i++;
    } else {
      // A number or a literal: up to the next delimiter.
      while (i < end) {
        const d = bytes.at(i);
        if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === COLON || d === QUOTE || isSpace(d)) break;
        i++;
      }
    }
    if (depth === 0) return i;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(bytes: Bytes, i: number, end: number): number {
  while (i < end && isSpace(bytes.at(i))) i++;
  return i;
}
