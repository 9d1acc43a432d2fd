/**
 * Lines of a `sourcesContent` string under the report's counting rule:
 * number of `\n` plus one when the text is non-empty and does not end with `\n`
 * (`""` → 0, `"a"` → 1, `"a\n"` → 1, `"a\nb"` → 2). `\r` is not a line break here,
 * so CRLF and LF files count alike.
 */
export function countLines(text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  let count = 0;
  // indexOf is a native memchr-like scan; far faster than a charCodeAt loop on big files.
  let at = text.indexOf('\n');
  while (at !== -1) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  return text.charCodeAt(length - 1) === 10 ? count : count + 1;
}

// Node's native counter when present (found on globalThis, so browsers fall back to the loop below).
const nativeByteLength = (globalThis as { Buffer?: { byteLength(text: string, encoding: 'utf8'): number } }).Buffer
  ?.byteLength;

/** UTF-8 byte length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  if (nativeByteLength !== undefined) return nativeByteLength(text, 'utf8');
  return utf8LengthPortable(text);
}

/** The portable loop behind {@link utf8Length}, exported for tests. */
export function utf8LengthPortable(text: string): number {
  const length = text.length;
  let bytes = length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair is 2 UTF-16 units and 4 UTF-8 bytes.
        bytes += 2;
        i++;
      } else {
        bytes += 2;
      }
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/** One decoder for the whole library; `fatal: false` so invalid UTF-8 becomes U+FFFD instead of throwing. */
export const utf8Decoder: TextDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The decoder that throws on invalid UTF-8: to tell whether bytes are UTF-8 at all. */
export const strictUtf8Decoder: TextDecoder = new TextDecoder('utf-8', { fatal: true });

/** Shared encoder. */
export const utf8Encoder: TextEncoder = new TextEncoder();
