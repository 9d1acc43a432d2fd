import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes `text` to the file `path` (created or truncated) a slice at a time: one `writeFileSync` of a 1.5 MB report
 * first encoded it into a fresh buffer as big, whose pages cost more than the write itself.
 */
export function writeText(path: string, text: string): void {
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < text.length; ) {
      let to = Math.min(text.length, at + WRITE_SLICE);
      // A surrogate pair cut in two would be written as two replacement characters.
      if (to < text.length && (text.charCodeAt(to - 1) & 0xfc00) === 0xd800) to++;
      writeSync(fd, text.slice(at, to));
      at = to;
    }
  } finally {
    closeSync(fd);
  }
}

/** Characters per write: small enough for the encoding buffer to be reused, large enough to need few calls. */
const WRITE_SLICE = 1 << 16;
