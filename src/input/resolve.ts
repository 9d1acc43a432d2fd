import { percentDecode } from './data-url';
import { normalizePath } from './vfs';
import { utf8Decoder } from '../util/text';

/** Where a `sourceMappingURL` leads. */
export type MapReference =
  /** A `data:` URL: the map is inline. */
  | { kind: 'inline' }
  /** A URL with a scheme (`https:`, `file:`, …) or a protocol-relative `//host/x`: listed, never fetched or read. */
  | { kind: 'remote' }
  /** An absolute path or one whose `..` segments leave the target: reported, never read. */
  | { kind: 'outside' }
  /** A file inside the target. */
  | { kind: 'local'; path: string }
  /** Deliberately not looked at (a site scan's request limit); a finding elsewhere says so. */
  | { kind: 'skipped' };

/**
 * Resolves a `sourceMappingURL` against the generated file that holds it. Containment is decided on path
 * segments after percent-decoding and backslash folding, never by string prefix, so `..%2f..%2fetc/passwd`
 * and `..\..\x` are recognised as leaving the target.
 */
export function resolveMapUrl(url: string, generatedPath: string): MapReference {
  if (/^data:/i.test(url)) return { kind: 'inline' };
  // A scheme is two or more characters, so `C:\x` reads as a Windows path, not a URL.
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(url) || url.startsWith('//')) return { kind: 'remote' };
  let path = url;
  const cut = path.search(/[?#]/);
  if (cut !== -1) path = path.slice(0, cut);
  // An empty path (a URL that is only `?query` or `#fragment`) names the referring file itself (RFC 3986 5.2.2).
  if (path === '') return { kind: 'local', path: generatedPath };
  path = utf8Decoder.decode(percentDecode(path));
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path) || path.includes('\0')) return { kind: 'outside' };
  const slash = generatedPath.lastIndexOf('/');
  const base = slash === -1 ? '' : generatedPath.slice(0, slash + 1);
  const resolved = normalizePath(base + path);
  if (resolved === null || resolved === '') return { kind: 'outside' };
  return { kind: 'local', path: resolved };
}
