/**
 * Turns a `sources` entry (attacker-controlled text) into path segments that can only name a place inside the
 * output folder, on every common file system. Containment is decided on segments after decoding and NFKC
 * normalisation, never by string prefix. Pure: no file system here.
 */

/** What sanitising changed, so the manifest can say it. */
export type PathNote =
  /** A URL scheme (`webpack:`, `file:`, `vite:`, `ng:`) became the first folder. */
  | 'scheme'
  /** Percent-encoded characters were decoded. */
  | 'decoded'
  /** NFKC normalisation changed the name (full-width or look-alike characters). */
  | 'normalized'
  /** The path was absolute (`/x`, `C:\x`, `\\server\x`): kept under `__outside__/`. */
  | 'absolute'
  /** `..` segments led above the root: kept under `__outside__/`. */
  | 'parent-traversal'
  /** Control characters (NUL included) or characters Windows forbids were replaced by `_`. */
  | 'invalid-characters'
  /** A Windows reserved name (`CON`, `NUL`, `COM1`…) got a `_` suffix. */
  | 'reserved-name'
  /** Trailing dots or spaces, which Windows drops, were replaced by `_`. */
  | 'trailing-dot-or-space'
  /** A segment over 200 UTF-8 bytes was shortened and suffixed with a hash. */
  | 'too-long'
  /** The entry was null or empty: named after its map and index. */
  | 'unnamed';

/** The folder that receives paths that pointed outside the output folder. */
export const OUTSIDE = '__outside__';
/** The folder for sources without a usable name. */
export const UNNAMED = '__unnamed__';

const MAX_SEGMENT_BYTES = 200;
// Superscript digits written as escapes: one non-ASCII character would make V8 hold the whole CLI bundle as two-byte text.
const RESERVED = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;
// Control characters and what Windows forbids in names; `/` and `\` are separators by then.
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u001f\u007f-\u009f<>:"|?*]/g;

/** A sanitised path: segments to join under the output folder, and what was changed. */
export interface SanitizedPath {
  /** Non-empty segments, none of them `.`, `..` or containing a separator. */
  segments: string[];
  /** What sanitising changed, sorted, without repeats. */
  notes: PathNote[];
}

/**
 * Sanitises one source path. A relative path is resolved against `base`, the folder of its map inside the target
 * (as ECMA-426 resolves sources against the map's URL), so `../src/x.ts` of `package/dist/x.js.map` lands at
 * `package/src/x.ts`. `fallback` names a null or empty entry (e.g. `cli.js.map/source-3`).
 */
export function sanitizeSourcePath(path: string | null, fallback: string, base = ''): SanitizedPath {
  // Nearly every real path is plain relative ASCII that no rule changes: it is only split (a tenth of the cost).
  if (path !== null && PLAIN.test(path) && path.charCodeAt(0) !== SLASH && (base === '' || PLAIN.test(base))) {
    const plain = plainSegments(base === '' ? path : `${base}/${path}`);
    // `..` above the root is common (`../../node_modules/x` of a map scanned alone): kept under OUTSIDE, as below.
    if (plain?.escaped === true) return { segments: [OUTSIDE, ...plain.segments], notes: ['parent-traversal'] };
    if (plain !== null && plain.segments.length > 0) return { segments: plain.segments, notes: [] };
  }
  return sanitizeFully(path, fallback, base);
}

/**
 * `sanitizeSourcePath(path, fallback, base).segments.join('/')`, for callers that only need the text (a report lists
 * thousands): a plain path that no rule changes but `..` above the root is only checked with two regular expressions.
 */
export function sanitizedPathText(path: string | null, fallback: string, base = ''): string {
  if (path !== null && PLAIN.test(path) && (base === '' || (PLAIN.test(base) && !touched(base)))) {
    let rest = path;
    let escaped = false;
    if (base === '') {
      while (rest.startsWith('../')) {
        rest = rest.slice(3);
        escaped = true;
      }
    }
    if (rest !== '' && !touched(rest)) {
      const text = base === '' ? rest : `${base}/${rest}`;
      return escaped ? `${OUTSIDE}/${text}` : text;
    }
  }
  return sanitizeSourcePath(path, fallback, base).segments.join('/');
}

/**
 * Anything in a {@link PLAIN} path that a rule changes: an empty, `.` or `..` segment (a leading `/` included), a
 * segment ending in a dot or a space, a reserved name; and a segment over 200 bytes (tried only on long paths).
 */
const TOUCHED = /(?:^|\/)\.{0,2}(?:\/|$)|[. ](?:\/|$)|(?:^|\/)(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.[^/]*)?(?:\/|$)/i;
const LONG_SEGMENT = /[^/]{201}/;

function touched(text: string): boolean {
  return TOUCHED.test(text) || (text.length > MAX_SEGMENT_BYTES && LONG_SEGMENT.test(text));
}

/** Characters that no rule below touches, outside a segment's end (no scheme, drive, escape, backslash or non-ASCII). */
const PLAIN = /^[\w\-.@+~/ ()[\]{}$!#&',;=]+$/;
const SLASH = 0x2f;
/** First letters of Windows reserved names. */
const RESERVED_START = /^[cpanlCPANL]/;

/**
 * The segments of a {@link PLAIN} path when no rule changes any of them, and whether `..` went above the root; null
 * when a rule might change one (a trailing dot or space, a reserved name, a long segment), for the full rules to decide.
 */
function plainSegments(text: string): { segments: string[]; escaped: boolean } | null {
  const segments: string[] = [];
  let escaped = false;
  let from = 0;
  for (;;) {
    let to = text.indexOf('/', from);
    if (to === -1) to = text.length;
    const length = to - from;
    if (length === 0 || (length === 1 && text.charCodeAt(from) === 0x2e)) {
      // An empty or `.` segment is dropped.
    } else if (length === 2 && text.charCodeAt(from) === 0x2e && text.charCodeAt(from + 1) === 0x2e) {
      if (segments.length === 0) escaped = true;
      else segments.pop();
    } else {
      const last = text.charCodeAt(to - 1);
      if (last === 0x2e || last === 0x20 || length > MAX_SEGMENT_BYTES) return null;
      const segment = text.slice(from, to);
      if (RESERVED_START.test(segment) && RESERVED.test(segment)) return null;
      segments.push(segment);
    }
    if (to === text.length) return { segments, escaped };
    from = to + 1;
  }
}

/** @internal {@link sanitizeSourcePath} without its shortcut for plain paths (the tests check that both agree). */
export function sanitizeFully(path: string | null, fallback: string, base = ''): SanitizedPath {
  const notes = new Set<PathNote>();
  if (path === null || path.trim() === '') {
    notes.add('unnamed');
    return finish([UNNAMED, ...split(fallback, notes).segments], notes);
  }
  let text = path;
  const prefix: string[] = [];
  // A scheme becomes a folder: webpack://app/./src/x -> webpack/app/src/x, vite:/x -> vite/x, file:///x -> file/x.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(text);
  if (scheme && scheme[1]!.length > 1) {
    // The scheme is attacker text too: it goes through the same clean-up as any segment.
    prefix.push(portable(scheme[1]!.toLowerCase(), notes));
    text = text.slice(scheme[0].length).replace(/^\/+/, '');
    notes.add('scheme');
  }
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    const decoded = percentDecode(text);
    if (decoded !== text) {
      text = decoded;
      notes.add('decoded');
    }
  }
  // ASCII is its own NFKC form; normalising loads Unicode tables the first time (about 3 ms of a small scan).
  const normal = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKC');
  if (normal !== text) {
    text = normal;
    notes.add('normalized');
  }
  text = text.replace(/\\/g, '/');
  let absolute = false;
  if (prefix.length === 0) {
    const drive = /^([A-Za-z]):(\/|$)/.exec(text);
    if (drive) {
      absolute = true;
      text = `${drive[1]}/${text.slice(drive[0].length)}`;
    } else if (text.startsWith('/')) {
      absolute = true;
    }
  }
  // Relative paths start from the map's folder; the base comes from the target itself, so it is split the same way.
  if (prefix.length === 0 && !absolute && base !== '') text = `${base}/${text}`;
  const { segments, escaped } = split(text, notes);
  if (absolute) notes.add('absolute');
  if (escaped) notes.add('parent-traversal');
  const outside = absolute || escaped ? [OUTSIDE] : [];
  return finish([...outside, ...prefix, ...segments], notes);
}

/** Splits on `/`, drops `.` and empty segments, resolves `..`; `escaped` when `..` went above the root. */
function split(text: string, notes: Set<PathNote>): { segments: string[]; escaped: boolean } {
  const segments: string[] = [];
  let escaped = false;
  for (const raw of text.split('/')) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') {
      if (segments.length === 0) escaped = true;
      else segments.pop();
      continue;
    }
    segments.push(portable(raw, notes));
  }
  return { segments, escaped };
}

/** One segment made safe on Windows, macOS and Linux. */
function portable(segment: string, notes: Set<PathNote>): string {
  let s = segment;
  const replaced = s.replace(INVALID, '_');
  if (replaced !== s) {
    s = replaced;
    notes.add('invalid-characters');
  }
  if (/[. ]$/.test(s)) {
    s = s.replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
    notes.add('trailing-dot-or-space');
  }
  if (RESERVED.test(s)) {
    const dot = s.indexOf('.');
    s = dot === -1 ? `${s}_` : `${s.slice(0, dot)}_${s.slice(dot)}`;
    notes.add('reserved-name');
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: short segments (nearly all) need no count.
  if (s.length * 3 > MAX_SEGMENT_BYTES && utf8Bytes(s) > MAX_SEGMENT_BYTES) {
    s = shorten(s);
    notes.add('too-long');
  }
  // `.` and `..` cannot survive the steps above, but a segment made only of replaced characters could be empty.
  return s === '' || s === '.' || s === '..' ? '_' : s;
}

function finish(segments: string[], notes: Set<PathNote>): SanitizedPath {
  return { segments: segments.length > 0 ? segments : ['_'], notes: [...notes].sort() };
}

/** Keeps the start and the extension, and adds a short hash of the whole so shortened names stay distinct. */
function shorten(segment: string): string {
  const dot = segment.lastIndexOf('.');
  const ext = dot > 0 && segment.length - dot <= 16 ? segment.slice(dot) : '';
  let head = segment.slice(0, segment.length - ext.length);
  const tag = `~${fnv1a(segment)}`;
  while (utf8Bytes(head) + utf8Bytes(tag) + utf8Bytes(ext) > MAX_SEGMENT_BYTES) head = head.slice(0, -1);
  // Do not leave half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}${tag}${ext}`;
}

function utf8Bytes(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** 32-bit FNV-1a as 8 hex digits: a short, stable tag, not a security hash. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Decodes `%XX` escapes as UTF-8; malformed sequences stay as written. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => {
      const code = parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : `%${hex}`;
    });
  }
}

/** `name~N.ext` from `name.ext`, shortening the stem so the result stays within the segment limit. */
export function withSuffix(segment: string, suffix: string): string {
  const dot = segment.lastIndexOf('.');
  const ext = dot > 0 ? segment.slice(dot) : '';
  let stem = dot > 0 ? segment.slice(0, dot) : segment;
  while (stem.length > 1 && utf8Bytes(stem) + utf8Bytes(suffix) + utf8Bytes(ext) > MAX_SEGMENT_BYTES) stem = stem.slice(0, -1);
  if (/[\ud800-\udbff]$/.test(stem)) stem = stem.slice(0, -1);
  return `${stem}${suffix}${ext}`;
}

/** The key two paths collide on when a file system ignores case (Windows, macOS): lower-cased segments. */
export function collisionKey(segments: readonly string[]): string {
  return segments.map((s) => s.toLowerCase()).join('/');
}
