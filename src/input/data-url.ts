import { utf8Encoder } from '../util/text';

/** A decoded `data:` URL, or why it could not be decoded. */
export type DataUrlResult =
  | { ok: true; /** Decoded body. */ bytes: Uint8Array; /** Media type as written, e.g. `application/json`. */ mediaType: string }
  | { ok: false; /** Why decoding failed, in English. */ reason: string };

const BASE64 = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  // URL-safe digits: browsers refuse them, but the content is still there for anyone reading the file.
  table[0x2d] = 62;
  table[0x5f] = 63;
  return table;
})();

/** Decodes a `data:` URL (base64 or percent-encoded, any media type), as the fetch spec's data: URL processor does. */
export function decodeDataUrl(url: string): DataUrlResult {
  if (url.slice(0, 5).toLowerCase() !== 'data:') return { ok: false, reason: 'not a data: URL' };
  const comma = url.indexOf(',');
  if (comma === -1) return { ok: false, reason: 'no "," between the media type and the data' };
  const params = url.slice(5, comma).split(';');
  const base64 = params.length > 1 && params[params.length - 1]!.trim().toLowerCase() === 'base64';
  if (base64) params.pop();
  const mediaType = params.join(';').trim();
  const body = percentDecode(url.slice(comma + 1));
  if (!base64) return { ok: true, bytes: body, mediaType };
  const bytes = decodeBase64(body);
  if (bytes === null) return { ok: false, reason: 'the base64 data is malformed' };
  return { ok: true, bytes, mediaType };
}

/** Percent-decodes into bytes; a `%` not followed by two hex digits stays as it is. */
export function percentDecode(text: string): Uint8Array {
  const input = utf8Encoder.encode(text);
  if (input.indexOf(0x25) === -1) return input;
  const out = new Uint8Array(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === 0x25 && i + 2 < input.length) {
      const hi = hex(input[i + 1]!);
      const lo = hex(input[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

function hex(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/** Forgiving base64 (ASCII white space skipped, padding optional); null on any other character or a bad length. */
export function decodeBase64(input: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(Math.floor((input.length * 3) / 4) + 3);
  let n = 0;
  let buffer = 0;
  let bits = 0;
  let digits = 0;
  let padding = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d) continue;
    if (b === 0x3d) {
      padding++;
      continue;
    }
    const v = b < 128 ? BASE64[b]! : -1;
    if (v < 0 || padding > 0) return null;
    digits++;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (buffer >> bits) & 0xff;
    }
  }
  if (digits % 4 === 1 || padding > 2) return null;
  return out.subarray(0, n);
}
