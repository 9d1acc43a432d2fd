// A small tar writer for fixtures only: ustar headers, with the extras the reader must honour
// (ustar prefix, PAX records, GNU long names, links, directories). Deterministic: fixed mtime, uid, gid.
const enc = new TextEncoder();
const BLOCK = 512;

function octal(value, length) {
  return enc.encode(`${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** One 512-byte header. `type`: '0' file, '1' hard link, '2' symlink, '5' directory, 'x' PAX, 'L' GNU long name. */
export function header({ name, size = 0, type = '0', linkname = '', prefix = '', mode = 0o644, gnu = false }) {
  const h = new Uint8Array(BLOCK);
  h.set(enc.encode(name).subarray(0, 100), 0);
  h.set(octal(mode, 8), 100);
  h.set(octal(0, 8), 108);
  h.set(octal(0, 8), 116);
  h.set(octal(size, 12), 124);
  h.set(octal(499162500, 12), 136); // 1985-10-26, as npm pack does
  h.fill(0x20, 148, 156);
  h[156] = type.charCodeAt(0);
  h.set(enc.encode(linkname).subarray(0, 100), 157);
  h.set(enc.encode(gnu ? 'ustar  \0' : 'ustar\x0000'), 257);
  h.set(enc.encode(prefix).subarray(0, 155), 345);
  let sum = 0;
  for (const b of h) sum += b;
  h.set(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return h;
}

function padded(data) {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

function paxRecord(key, value) {
  // "<length> <key>=<value>\n", where <length> counts the whole record, its own digits included.
  const body = enc.encode(` ${key}=${value}\n`).length;
  let length = body + 1;
  while (String(length).length + body !== length) length = String(length).length + body;
  return `${length} ${key}=${value}\n`;
}

/**
 * Builds a tar from entries: `{ name, data?, type?, linkname?, pax?, longName?, prefix? }`.
 * `pax: true` writes the name in a PAX `path` record; `longName: true` in a GNU `L` entry; `prefix` splits ustar-style.
 */
export function tar(entries) {
  const parts = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' ? enc.encode(e.data) : (e.data ?? new Uint8Array(0));
    const type = e.type ?? '0';
    let name = e.name;
    if (e.pax || e.paxSize !== undefined) {
      const record = enc.encode((e.pax ? paxRecord('path', e.name) : '') + (e.paxSize !== undefined ? paxRecord('size', e.paxSize) : ''));
      parts.push(header({ name: 'PaxHeader', size: record.length, type: 'x' }), padded(record));
      if (e.pax) name = e.name.slice(-90);
    }
    if (e.longName) {
      const long = enc.encode(`${e.name}\0`);
      parts.push(header({ name: '././@LongLink', size: long.length, type: 'L', gnu: true }), padded(long));
      name = e.name.slice(0, 99);
    }
    // With a PAX size the header's own size field may say 0 (as for files over 8 GiB): the reader must use the record.
    const size = type === '0' && e.paxSize === undefined ? data.length : 0;
    parts.push(header({ name, size, type, linkname: e.linkname ?? '', prefix: e.prefix ?? '', gnu: e.longName }));
    if (type === '0') parts.push(padded(data));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
