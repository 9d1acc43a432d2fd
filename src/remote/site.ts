import { ForensicsError } from '../errors';
import { extractSourceMappingUrl } from '../input/source-mapping-url';
import { comparePaths, type Vfs } from '../input/vfs';
import { resolveScanOptions, type ScanOptions } from '../report/options';
import { isScanRelevant, scanInput, type ReferenceHooks } from '../report/scan';
import type { ExposureReport } from '../types';
import { utf8Decoder } from '../util/text';
import { defaultFetch, readBody, type FetchLike } from './fetch';
import { findAssets } from './html';

/** Options of {@link scanUrl}: the scan options plus how to fetch and how much. */
export interface UrlScanOptions extends ScanOptions {
  /**
   * The fetch to use.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
  /**
   * Requests allowed in all: the page, its scripts and stylesheets, and their maps.
   * @default 100
   */
  maxRequests?: number;
}

const EXTRA_KEYS = ['fetch', 'maxRequests'];
/** `get`'s answer for an HTTP 404: a map that is not there, not an error worth a finding of its own. */
const NOT_FOUND = 'HTTP 404';

interface Resource {
  url: URL;
  bytes: Uint8Array;
  contentType: string;
  /** The `SourceMap` (or legacy `X-SourceMap`) response header. */
  header: string | null;
}

/**
 * Scans a live page or script: follows `<script src>` and `<link rel=stylesheet>` on the page's origin, takes a
 * file's `SourceMap` (or `X-SourceMap`) response header before its comment, fetches the maps on that origin, and
 * reports them with the same figures as a file scan. Maps on other origins are listed as remote, never fetched.
 * Throws `FETCH_ERROR` when the first URL cannot be fetched; later failures are findings.
 */
export async function scanUrl(url: string, options: UrlScanOptions = {}, extra: Pick<ReferenceHooks, 'onMap' | 'keepContent'> = {}): Promise<ExposureReport> {
  const resolved = resolveScanOptions(options, false, EXTRA_KEYS);
  let start: URL;
  try {
    start = new URL(url);
  } catch {
    throw new ForensicsError('INVALID_TARGET', `${JSON.stringify(url)} is not a URL`);
  }
  if (start.protocol !== 'http:' && start.protocol !== 'https:') throw new ForensicsError('INVALID_TARGET', `${JSON.stringify(url)} is not an http(s) URL`);
  const maxRequests = options.maxRequests ?? 100;
  if (!Number.isInteger(maxRequests) || maxRequests < 1) {
    throw new ForensicsError('INVALID_OPTION', `option "maxRequests" must be an integer >= 1, got ${JSON.stringify(options.maxRequests)}`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ForensicsError('INVALID_OPTION', `option "fetch" must be a function, got ${typeof options.fetch}`);
  }
  const fetch = options.fetch ?? defaultFetch();
  const origin = start.origin;
  const maxBytes = resolved.limits.maxEntryBytes;
  const maxTotal = resolved.limits.maxTotalBytes;
  let requests = 0;
  let bytesRead = 0;
  const problems: { path: string; reason: string }[] = [];
  const skipped: string[] = [];

  const skippedMaps = new Set<string>();
  const get = async (target: URL): Promise<Resource | string> => {
    let url = target;
    // Redirects are followed by hand, so a redirect to another origin is refused before any request goes there.
    for (let hop = 0; ; hop++) {
      if (requests >= maxRequests) {
        skipped.push(url.href);
        return `not fetched: the ${maxRequests}-request limit was reached`;
      }
      requests++;
      let response;
      try {
        response = await fetch(url.href, { redirect: 'manual' });
      } catch (error) {
        return `cannot fetch ${url.href}: ${error instanceof Error ? error.message : String(error)}`;
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return `${url.href} redirects to an invalid URL`;
        }
        if (next.origin !== origin) return `${url.href} redirects to another origin (${next.origin}); not followed`;
        if (hop >= 5) return `${target.href} redirects more than 5 times`;
        url = next;
        continue;
      }
      // A caller's fetch may follow redirects itself: judge where the answer really came from.
      if (response.url) {
        const final = new URL(response.url);
        if (final.origin !== origin) return `${url.href} redirects to another origin (${final.origin}); not followed`;
        url = final;
      }
      if (response.status === 404) return NOT_FOUND;
      if (!response.ok) return `${url.href} answered HTTP ${response.status}`;
      if (bytesRead >= maxTotal) return `not fetched: ${maxTotal} bytes (maxTotalBytes) already read from this site`;
      const bytes = await readBody(response, Math.min(maxBytes, maxTotal - bytesRead));
      if (bytes === null) return `${url.href} is larger than ${maxBytes} bytes (maxEntryBytes)`;
      bytesRead += bytes.length;
      resolved.onProgress?.({ filesDone: requests, filesTotal: requests, bytesRead, archiveEntries: 0, bytesInflated: 0 });
      return {
        url,
        bytes,
        contentType: (response.headers.get('content-type') ?? '').toLowerCase(),
        header: response.headers.get('sourcemap') ?? response.headers.get('x-sourcemap'),
      };
    }
  };

  start.hash = '';
  const first = await get(start);
  if (typeof first === 'string') throw new ForensicsError('FETCH_ERROR', first === NOT_FOUND ? `${start.href} answered HTTP 404` : first);

  // Assets: the page's same-origin scripts and stylesheets, or the URL itself when it is one.
  const assets: Resource[] = [];
  const isHtml = first.contentType.includes('html') || (!first.contentType && /^\s*</.test(utf8Decoder.decode(first.bytes.subarray(0, 64))));
  if (isHtml) {
    const page = findAssets(utf8Decoder.decode(first.bytes));
    const seen = new Set<string>();
    for (const [ref, kind] of [...page.scripts.map((s) => [s, 'js'] as const), ...page.stylesheets.map((s) => [s, 'css'] as const)]) {
      let target: URL;
      try {
        target = new URL(ref, first.url);
      } catch {
        continue;
      }
      target.hash = '';
      if (target.origin !== origin || seen.has(target.href)) continue;
      seen.add(target.href);
      const resource = await get(target);
      if (typeof resource === 'string') problems.push({ path: pathOf(target, kind), reason: resource === NOT_FOUND ? `${target.href} answered HTTP 404` : resource });
      else assets.push({ ...resource, contentType: resource.contentType || (kind === 'css' ? 'text/css' : 'text/javascript') });
    }
  } else {
    assets.push(first);
  }

  // Files of the view, by path; generated files keep a js/css extension so the scan reads them as such.
  const files = new Map<string, Uint8Array>();
  const urls = new Map<string, URL>();
  const headers = new Map<string, string>();
  for (const asset of assets) {
    // Two URLs that differ only in their query get distinct paths (`q.js`, `q~2.js`) rather than one overwriting the other.
    const base = pathOf(asset.url, asset.contentType.includes('css') ? 'css' : 'js');
    let path = base;
    for (let n = 2; files.has(path); n++) path = base.replace(/(\.[^./]*)?$/, `~${n}$1`);
    files.set(path, asset.bytes);
    urls.set(path, asset.url);
    if (asset.header) headers.set(path, asset.header);
  }
  const resolve = (ref: string, from: string): URL | null => {
    try {
      return new URL(ref, urls.get(from));
    } catch {
      return null;
    }
  };
  // Fetch every same-origin map the assets name (header first, comment otherwise).
  for (const [path, bytes] of [...files]) {
    const ref = headers.get(path) ?? extractSourceMappingUrl(bytes, path.endsWith('.css') ? 'css' : 'js');
    if (!ref || /^data:/i.test(ref)) continue;
    const target = resolve(ref, path);
    if (target === null || target.origin !== origin) continue;
    const mapPath = pathOf(target, null);
    if (files.has(mapPath)) continue;
    if (requests >= maxRequests) {
      // Not fetched for the request limit: the limit finding says so; it is neither missing nor remote.
      skipped.push(target.href);
      skippedMaps.add(mapPath);
      continue;
    }
    const map = await get(target);
    // A 404 is a missing map (MAP_MISSING); other failures are also worth a finding of their own.
    if (typeof map === 'string') {
      if (map !== NOT_FOUND) problems.push({ path: mapPath, reason: map });
    } else files.set(mapPath, map.bytes);
  }
  if (skipped.length > 0) problems.push({ path: pathOf(start, null), reason: `${skipped.length} URLs were not fetched: the ${maxRequests}-request limit was reached` });

  const list = [...files.keys()].sort(comparePaths);
  const vfs: Vfs = {
    list: () => list,
    has: (path) => files.has(path),
    read(path) {
      const data = files.get(path);
      if (data === undefined) throw new Error(`${path} was not fetched`);
      return data;
    },
    problems,
  };
  const hooks: ReferenceHooks = {
    ...extra,
    headerUrl: (path) => headers.get(path) ?? null,
    resolve(ref, from) {
      if (/^data:/i.test(ref)) return undefined;
      const target = resolve(ref, from);
      if (target === null) return { kind: 'outside' };
      if (target.origin !== origin) return { kind: 'remote' };
      const path = pathOf(target, null);
      return skippedMaps.has(path) ? { kind: 'skipped' } : { kind: 'local', path };
    },
  };
  return scanInput({ kind: 'vfs', vfs }, { kind: 'url', name: url }, resolved, hooks);
}

/**
 * Where a URL sits in the scanned view: its path without the leading `/` (`index.html` for a directory), with
 * `.js`/`.css` added when a script or stylesheet is served without such an extension. The query is dropped.
 */
function pathOf(url: URL, kind: 'js' | 'css' | null): string {
  let path = decodeURIComponentSafe(url.pathname.replace(/^\/+/, ''));
  if (path === '' || path.endsWith('/')) path += 'index.html';
  if (kind !== null && !isScanRelevant(path)) path += kind === 'css' ? '.css' : '.js';
  return path;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
