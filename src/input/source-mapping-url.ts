import { utf8Decoder } from '../util/text';

/** Comment syntax of a generated file: JavaScript has `//` and `/* *\/`; CSS only `/* *\/`. */
export type CommentSyntax = 'js' | 'css';

const SLASH = 0x2f;
const STAR = 0x2a;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The `sourceMappingURL` of a generated file, by ECMA-426's "extract without parsing": the URL of the last
 * matching comment, provided nothing but white space and comments follows it. Works on UTF-8 bytes and walks
 * lines from the end, stopping at the last line that decides, so a 60 MB single-line bundle followed by
 * the usual comment line costs two short lines. Every loop is linear; no regular expression is involved.
 *
 * One deliberate reading of the spec: a block comment ends at its first `*\/` (the spec's prose loop keeps
 * scanning, its reference regular expression stops; the latter is what it means).
 */
export function extractSourceMappingUrl(bytes: Uint8Array, syntax: CommentSyntax): string | null {
  let end = bytes.length;
  for (;;) {
    // Find the start of the line ending at `end` and the terminator before it (LF, CR, U+2028, U+2029).
    let start = end;
    let terminator = -1;
    while (start > 0) {
      const b = bytes[start - 1]!;
      if (b === LF || b === CR) {
        terminator = start - 1;
        break;
      }
      if ((b === 0xa8 || b === 0xa9) && start >= 3 && bytes[start - 2] === 0x80 && bytes[start - 3] === 0xe2) {
        terminator = start - 3;
        break;
      }
      start--;
    }
    const effect = scanLine(bytes, start, end, syntax);
    if (effect !== undefined) return effect;
    if (terminator === -1) return null;
    end = terminator;
  }
}

/** What one line does to "last URL": `undefined` leaves it, a string sets it, `null` resets it. */
function scanLine(bytes: Uint8Array, start: number, end: number, syntax: CommentSyntax): string | null | undefined {
  let result: string | null | undefined;
  let p = start;
  while (p < end) {
    const b = bytes[p]!;
    if (b === SLASH && p + 1 < end) {
      const next = bytes[p + 1]!;
      if (next === SLASH && syntax === 'js') {
        const url = matchSourceMappingUrl(utf8Decoder.decode(bytes.subarray(p + 2, end)));
        if (url !== null) result = url;
        return result;
      }
      if (next === STAR) {
        let q = p + 2;
        while (q + 1 < end && !(bytes[q] === STAR && bytes[q + 1] === SLASH)) q++;
        if (q + 1 >= end) return result; // unclosed: the rest of the line is comment
        const url = matchSourceMappingUrl(utf8Decoder.decode(bytes.subarray(p + 2, q)));
        if (url !== null) result = url;
        p = q + 2;
        continue;
      }
      // A lone `/` is code. Step over it only: in CSS the next character may open a comment (`//*…*/`).
      result = null;
      p++;
      continue;
    }
    const space = whiteSpaceLength(bytes, p, end);
    if (space > 0) {
      p += space;
      continue;
    }
    result = null;
    p++;
  }
  return result;
}

/** Byte length of the ECMAScript WhiteSpace code point at `p` (TAB, VT, FF, SP, NBSP, ZWNBSP, other Zs), or 0. */
function whiteSpaceLength(bytes: Uint8Array, p: number, end: number): number {
  const b = bytes[p]!;
  if (b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c) return 1;
  if (b < 0xc2) return 0;
  const b1 = p + 1 < end ? bytes[p + 1]! : -1;
  if (b === 0xc2) return b1 === 0xa0 ? 2 : 0;
  const b2 = p + 2 < end ? bytes[p + 2]! : -1;
  if (b === 0xe1) return b1 === 0x9a && b2 === 0x80 ? 3 : 0; // U+1680
  if (b === 0xe2) {
    if (b1 === 0x80 && ((b2 >= 0x80 && b2 <= 0x8a) || b2 === 0xaf)) return 3; // U+2000–200A, U+202F
    if (b1 === 0x81 && b2 === 0x9f) return 3; // U+205F
    return 0;
  }
  if (b === 0xe3) return b1 === 0x80 && b2 === 0x80 ? 3 : 0; // U+3000
  if (b === 0xef) return b1 === 0xbb && b2 === 0xbf ? 3 : 0; // U+FEFF
  return 0;
}

/** `\s` of a JavaScript regular expression (WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const KEYWORD = 'sourceMappingURL=';

/** ECMA-426 MatchSourceMapURL, `^[@#]\s*sourceMappingURL=(\S*?)\s*$`, as a linear scan. */
export function matchSourceMappingUrl(comment: string): string | null {
  const length = comment.length;
  const first = comment.charCodeAt(0);
  if (first !== 0x40 && first !== 0x23) return null;
  let i = 1;
  while (i < length && isSpace(comment.charCodeAt(i))) i++;
  if (!comment.startsWith(KEYWORD, i)) return null;
  i += KEYWORD.length;
  const start = i;
  while (i < length && !isSpace(comment.charCodeAt(i))) i++;
  const url = comment.slice(start, i);
  for (; i < length; i++) if (!isSpace(comment.charCodeAt(i))) return null;
  return url;
}
