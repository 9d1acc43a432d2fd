/** The base64 alphabet of VLQ digits. */
export const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The standard base64 VLQ encoder (sign in the lowest bit, 5 bits per digit, least significant first), on plain
 * numbers, so values past 32 bits (which a decoder must refuse) can be written too.
 */
export function encodeVlq(value: number): string {
  let rest = value < 0 ? -value * 2 + 1 : value * 2;
  let out = '';
  do {
    let digit = rest % 32;
    rest = Math.floor(rest / 32);
    if (rest > 0) digit += 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}
