import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatJson, scanUrl } from '../../src/node';
import type { ExposureReport, FetchLike } from '../../src/node';
import { runCli, startServer, type Handler, type TestServer } from '../helpers/http';
import { rejection } from '../helpers/rejection';

// A small site with maps whose figures are known by construction.
const APP_SOURCE = 'const a = 1;\nconsole.log(a);\n'; // 2 lines, 29 bytes
const LIB_SOURCE = 'export {};\n'; // 1 line, 11 bytes
const STYLE_SOURCE = 'a { b: c }'; // 1 line, 10 bytes
const INLINE_SOURCE = 'x\ny\nz\n'; // 3 lines, 6 bytes

const appMap = JSON.stringify({
  version: 3,
  file: 'app.js',
  sources: ['src/app.ts', 'node_modules/lib/index.js'],
  sourcesContent: [APP_SOURCE, LIB_SOURCE],
  names: [],
  mappings: 'AAAA',
});
const vendorMap = JSON.stringify({ version: 3, file: 'vendor.js', sources: ['src/vendor.ts'], names: [], mappings: '' });
const styleMap = JSON.stringify({ version: 3, file: 'style.css', sources: ['src/style.scss'], sourcesContent: [STYLE_SOURCE], names: [], mappings: 'AAAA' });
const inlineMap = JSON.stringify({ version: 3, sources: ['src/inline.ts'], sourcesContent: [INLINE_SOURCE], names: [], mappings: 'AAAA;AACA' });
// A decoy: if it were read (comment instead of header), the figures would change.
const wrongMap = JSON.stringify({ version: 3, sources: ['src/wrong.ts'], sourcesContent: ['wrong\n'], names: [], mappings: 'AAAA' });

const html = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>demo</title>
<!-- <script src="/assets/commented.js"></script> -->
<link rel="stylesheet" href="/assets/style.css">
<link rel="preload" href="/assets/ignored.css" as="style">
<script>var markup = '<script src="/not-a-tag.js">';</script>
</head>
<body>
<script src="/assets/app.js"></script>
<script src="./assets/app.js"></script>
<script src="assets/vendor.js"></script>
<script src="https://cdn.example.invalid/x.js"></script>
<script src="/assets/remote.js"></script>
<script src="/assets/missing.js"></script>
<script src="/assets/inline.js"></script>
</body>
</html>
`;

const js = (body: string, headers: Record<string, string> = {}): Handler => ({ headers: { 'content-type': 'text/javascript; charset=utf-8', ...headers }, body });
const css = (body: string): Handler => ({ headers: { 'content-type': 'text/css' }, body });
const map = (body: string): Handler => ({ headers: { 'content-type': 'application/json' }, body });

const SITE: Record<string, Handler> = {
  '/': { headers: { 'content-type': 'text/html; charset=utf-8' }, body: html },
  '/assets/app.js': js('console.log("app");\n//# sourceMappingURL=wrong.js.map\n', { SourceMap: '/maps/app.js.map' }),
  '/maps/app.js.map': map(appMap),
  '/assets/wrong.js.map': map(wrongMap),
  '/assets/vendor.js': js('vendor();\n', { 'X-SourceMap': 'vendor.js.map' }),
  '/assets/vendor.js.map': map(vendorMap),
  '/assets/style.css': css('a{b:c}\n/*# sourceMappingURL=style.css.map */\n'),
  '/assets/style.css.map': map(styleMap),
  '/assets/remote.js': js('remote();\n//# sourceMappingURL=https://other.example.invalid/a.map\n'),
  '/assets/missing.js': js('missing();\n//# sourceMappingURL=missing.js.map\n'),
  '/assets/inline.js': js(`inline();\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(inlineMap).toString('base64')}\n`),
  // Decoys that must never be requested.
  '/assets/commented.js': js('commented();\n'),
  '/not-a-tag.js': js('notATag();\n'),
  '/assets/ignored.css': css('ignored{}\n'),
};

/** Every request the full scan of `/` should make: the page, its same-origin assets once each, their same-origin maps. */
const EXPECTED_REQUESTS = [
  '/',
  '/assets/app.js',
  '/assets/vendor.js',
  '/assets/remote.js',
  '/assets/missing.js',
  '/assets/inline.js',
  '/assets/style.css',
  '/maps/app.js.map',
  '/assets/vendor.js.map',
  '/assets/missing.js.map',
  '/assets/style.css.map',
];

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let site: TestServer;
let other: TestServer;
let base: string;

beforeAll(async () => {
  site = await startServer(SITE);
  other = await startServer({
    '/evil.js': js('evil();\n//# sourceMappingURL=evil.js.map\n'),
    '/evil.js.map': map(appMap),
  });
  base = site.origin;
  site.routes.set('/hop.js', { status: 302, headers: { location: `${other.origin}/evil.js` } });
  site.routes.set('/redirected', {
    headers: { 'content-type': 'text/html' },
    body: '<script src="/hop.js"></script><script src="/assets/vendor.js"></script>',
  });
  site.routes.set('/old/app.js', { status: 301, headers: { location: '/assets/app.js' } });
  site.routes.set('/fragments', {
    headers: { 'content-type': 'text/html' },
    body: '<script src="/assets/vendor.js"></script><script src="/assets/vendor.js#again"></script>',
  });
  site.routes.set('/broken', { status: 500, body: 'oops' });
  site.routes.set('/loop', { status: 302, headers: { location: '/loop' } });
  site.routes.set('/queries', {
    headers: { 'content-type': 'text/html' },
    body: '<script src="/q.js?v=1"></script><script src="/q.js?v=2"></script>',
  });
  site.routes.set('/q.js?v=1', js('one();\n', { SourceMap: '/m1.map' }));
  site.routes.set('/q.js?v=2', js('two();\n', { SourceMap: '/m2.map' }));
  site.routes.set('/m1.map', map(appMap));
  site.routes.set('/m2.map', map(styleMap));
});
afterAll(async () => {
  await site.close();
  await other.close();
});
beforeEach(() => {
  site.reset();
  other.reset();
});

describe('scanUrl on a page', () => {
  let report: ExposureReport;
  let requests: string[];
  beforeAll(async () => {
    site.reset();
    report = await scanUrl(`${base}/`);
    requests = site.paths();
  });

  it('requests exactly the page, its same-origin assets and their same-origin maps, each once', () => {
    expect(requests[0]).toBe('/');
    expect([...requests].sort()).toEqual([...EXPECTED_REQUESTS].sort());
    expect(new Set(requests).size).toBe(requests.length);
  });

  it('never follows comments, script bodies, preloads, cross-origin scripts or a comment the header overrides', () => {
    for (const path of ['/assets/commented.js', '/not-a-tag.js', '/assets/ignored.css', '/assets/wrong.js.map']) expect(requests).not.toContain(path);
    expect(requests.some((p) => p.includes('example.invalid') || p.endsWith('/x.js') || p.endsWith('/a.map'))).toBe(false);
  });

  it('reports the target as the URL given', () => {
    expect(report.target).toEqual({ kind: 'url', name: `${base}/` });
  });

  it('measures each map with the figures it was built with', () => {
    expect(report.maps.map((m) => [m.path, m.kind, m.generatedFiles, m.sources.total, m.sources.withContent, m.content.lines, m.content.bytes])).toEqual([
      ['assets/inline.js', 'inline', ['assets/inline.js'], 1, 1, 3, 6],
      ['assets/style.css.map', 'external', ['assets/style.css'], 1, 1, 1, 10],
      ['assets/vendor.js.map', 'external', ['assets/vendor.js'], 1, 0, 0, 0],
      ['maps/app.js.map', 'external', ['assets/app.js'], 2, 2, 3, 40],
    ]);
    const byPath = new Map(report.maps.map((m) => [m.path, m]));
    expect(byPath.get('maps/app.js.map')!.sha256).toBe(sha256(appMap));
    expect(byPath.get('maps/app.js.map')!.bytes).toBe(appMap.length);
    expect(byPath.get('assets/vendor.js.map')!.sha256).toBe(sha256(vendorMap));
    expect(byPath.get('assets/style.css.map')!.sha256).toBe(sha256(styleMap));
    expect(byPath.get('assets/inline.js')!.sha256).toBe(sha256(inlineMap));
    expect(byPath.get('maps/app.js.map')!.files.map((f) => [f.source, f.lines, f.bytes, f.sha256, f.thirdParty, f.mappedLines])).toEqual([
      ['src/app.ts', 2, 29, sha256(APP_SOURCE), false, 1],
      ['node_modules/lib/index.js', 1, 11, sha256(LIB_SOURCE), true, 0],
    ]);
  });

  it('sums the figures over the four maps', () => {
    expect(report.summary.exposure).toBe('first-party-source');
    expect(report.summary.severity).toBe('critical');
    expect(report.summary.maps).toEqual({ total: 4, external: 3, inline: 1, index: 0, invalid: 0, missing: 1, orphan: 0, remote: 1 });
    expect(report.summary.sources).toEqual({ total: 5, withContent: 4, withoutContent: 1, firstParty: 4, thirdParty: 1, ignoreListed: 0, absolutePaths: 0 });
    expect(report.summary.content).toEqual({
      lines: 7,
      bytes: 56,
      firstPartyLines: 6,
      firstPartyBytes: 45,
      thirdPartyLines: 1,
      thirdPartyBytes: 11,
      mappedLines: 4,
      unmappedLines: 3,
    });
    expect(report.summary.archives).toEqual({ total: 0, entries: 0, inflatedBytes: 0 });
  });

  it('lists the remote map without fetching it and the 404 map as missing', () => {
    expect(report.remoteMaps).toEqual([{ url: 'https://other.example.invalid/a.map', generatedFile: 'assets/remote.js' }]);
    expect(report.missingMaps).toEqual([{ url: 'missing.js.map', generatedFile: 'assets/missing.js', resolvedPath: 'assets/missing.js.map', reason: 'not-found' }]);
    expect(report.orphanMaps).toEqual([]);
    expect(report.invalidMaps).toEqual([]);
  });

  it('has one finding per exposure, plus the missing and remote maps (a 404 map is missing, reported once)', () => {
    expect(report.findings.map((f) => [f.code, f.location.path])).toEqual([
      ['FIRST_PARTY_SOURCE_EXPOSED', 'assets/inline.js'],
      ['FIRST_PARTY_SOURCE_EXPOSED', 'assets/style.css.map'],
      ['FIRST_PARTY_SOURCE_EXPOSED', 'maps/app.js.map'],
      ['MAP_MISSING', 'assets/missing.js'],
      ['MAP_REMOTE', 'assets/remote.js'],
      ['SOURCE_PATHS_EXPOSED', 'assets/vendor.js.map'],
    ]);
    expect(report.findings[3]!.args).toEqual({ url: 'missing.js.map', resolvedPath: 'assets/missing.js.map' });
  });

  it('is deterministic: a second scan gives the same JSON', async () => {
    expect(formatJson(await scanUrl(`${base}/`))).toBe(formatJson(report));
  });
});

describe('scanUrl: limits, single files, errors', () => {
  it('maxRequests: 3 stops after three requests and says so in a finding', async () => {
    const report = await scanUrl(`${base}/`, { maxRequests: 3 });
    expect(site.paths()).toEqual(['/', '/assets/app.js', '/assets/vendor.js']);
    expect(report.target).toEqual({ kind: 'url', name: `${base}/` });
    expect(report.maps).toEqual([]);
    const limit = report.findings.filter((f) => f.location.path === 'index.html');
    expect(limit.map((f) => [f.code, f.args])).toEqual([['FILE_UNREADABLE', { reason: '6 URLs were not fetched: the 3-request limit was reached' }]]);
    // Each script or stylesheet left out is named where it would have been.
    expect(
      report.findings
        .filter((f) => f.code === 'FILE_UNREADABLE' && f.location.path !== 'index.html' && !f.location.path.endsWith('.map'))
        .map((f) => [f.location.path, f.args.reason])
        .sort(),
    ).toEqual(
      ['assets/inline.js', 'assets/missing.js', 'assets/remote.js', 'assets/style.css'].map((p) => [p, 'not fetched: the 3-request limit was reached']),
    );
    // What it got: the two scripts it fetched, scanned for their references.
    expect(report.summary.filesScanned).toBe(2);
  });

  // The two maps were never requested: they are not "not-found" (documented as: resolves inside the target but no
  // such file). They are already reported as not fetched because of the limit.
  it('maxRequests does not report maps it never requested as missing (not-found)', async () => {
    const report = await scanUrl(`${base}/`, { maxRequests: 3 });
    expect(report.missingMaps).toEqual([]);
    expect(report.findings.filter((f) => f.code === 'MAP_MISSING')).toEqual([]);
  });

  it('maxRequests: 1 fetches only the page', async () => {
    const report = await scanUrl(`${base}/`, { maxRequests: 1 });
    expect(site.paths()).toEqual(['/']);
    expect(report.findings.find((f) => f.location.path === 'index.html')!.args).toEqual({ reason: '6 URLs were not fetched: the 1-request limit was reached' });
  });

  it('maxRequests equal to what the page needs is not a limit', async () => {
    const report = await scanUrl(`${base}/`, { maxRequests: EXPECTED_REQUESTS.length });
    expect(site.paths()).toHaveLength(EXPECTED_REQUESTS.length);
    expect(report.findings.filter((f) => f.location.path === 'index.html')).toEqual([]);
    expect(report.summary.maps.total).toBe(4);
  });

  it('scans a URL that is itself a script, taking its SourceMap header', async () => {
    const report = await scanUrl(`${base}/assets/app.js`);
    expect(site.paths()).toEqual(['/assets/app.js', '/maps/app.js.map']);
    expect(report.target).toEqual({ kind: 'url', name: `${base}/assets/app.js` });
    expect(report.maps.map((m) => [m.path, m.generatedFiles])).toEqual([['maps/app.js.map', ['assets/app.js']]]);
    expect(report.summary.sources.total).toBe(2);
    expect(report.summary.content.lines).toBe(3);
  });

  it('scans a URL that is itself a stylesheet', async () => {
    const report = await scanUrl(`${base}/assets/style.css`);
    expect(site.paths()).toEqual(['/assets/style.css', '/assets/style.css.map']);
    expect(report.maps.map((m) => [m.path, m.generatedFiles])).toEqual([['assets/style.css.map', ['assets/style.css']]]);
  });

  it('follows a same-origin redirect and names files by where they ended up', async () => {
    const report = await scanUrl(`${base}/old/app.js`);
    expect(site.paths()).toEqual(['/old/app.js', '/assets/app.js', '/maps/app.js.map']);
    expect(report.maps.map((m) => [m.path, m.generatedFiles])).toEqual([['maps/app.js.map', ['assets/app.js']]]);
  });

  it('fetches a script once when the page names it twice, once with a #fragment', async () => {
    await scanUrl(`${base}/fragments`);
    expect(site.paths()).toEqual(['/fragments', '/assets/vendor.js', '/assets/vendor.js.map']);
  });

  // Two different scripts (a loader serving /q.js?v=1 and /q.js?v=2): each has its own map, and each map exposes source.
  it('scans both of two scripts that differ only in their query', async () => {
    const report = await scanUrl(`${base}/queries`);
    expect([...site.paths()].sort()).toEqual(['/m1.map', '/m2.map', '/q.js?v=1', '/q.js?v=2', '/queries']);
    expect(report.maps.map((m) => m.path).sort()).toEqual(['m1.map', 'm2.map']);
    expect(report.summary.sources.total).toBe(3);
  });

  it('a redirect loop is FETCH_ERROR after a bounded number of requests', async () => {
    const error = await rejection(scanUrl(`${base}/loop`));
    expect(error.code).toBe('FETCH_ERROR');
    expect(error.message).toContain('redirect');
    const paths = site.paths();
    expect(paths.every((p) => p === '/loop')).toBe(true);
    expect(paths.length).toBeGreaterThan(1);
    expect(paths.length).toBeLessThanOrEqual(21);
  });

  it.each([
    ['a 404', '/nope', '404'],
    ['a 500', '/broken', '500'],
  ])('a first URL answering %s is FETCH_ERROR', async (_label, path, status) => {
    const error = await rejection(scanUrl(`${base}${path}`));
    expect(error.code).toBe('FETCH_ERROR');
    expect(error.message).toContain(status);
    expect(site.paths()).toEqual([path]);
  });

  it('a first URL whose fetch throws is FETCH_ERROR with the reason', async () => {
    const failing: FetchLike = async () => {
      throw new Error('socket hang up from the test');
    };
    const error = await rejection(scanUrl(`${base}/`, { fetch: failing }));
    expect(error.code).toBe('FETCH_ERROR');
    expect(error.message).toContain('socket hang up from the test');
  });

  it.each([['ftp://127.0.0.1/x.js'], ['file:///etc/passwd'], ['javascript:alert(1)'], ['data:text/html,<script src=x.js></script>'], ['not a url'], ['/relative/path'], ['']])(
    '%j is INVALID_TARGET',
    async (url) => {
      const error = await rejection(scanUrl(url));
      expect(error.code).toBe('INVALID_TARGET');
    },
  );

  it.each([[0], [-1], [1.5], [Number.NaN]])('maxRequests %s is INVALID_OPTION before any request', async (maxRequests) => {
    const error = await rejection(scanUrl(`${base}/`, { maxRequests }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(site.paths()).toEqual([]);
  });

  it('uses options.fetch for every request', async () => {
    const calls: string[] = [];
    const counting: FetchLike = (url, init) => {
      calls.push(url);
      return fetch(url, init);
    };
    const report = await scanUrl(`${base}/`, { fetch: counting });
    expect(calls).toHaveLength(EXPECTED_REQUESTS.length);
    expect(calls.map((u) => u.slice(base.length)).sort()).toEqual([...EXPECTED_REQUESTS].sort());
    expect(site.paths()).toHaveLength(EXPECTED_REQUESTS.length);
    expect(report.summary.maps.total).toBe(4);
  });

  it('works with a custom fetch and no server at all', async () => {
    const origin = 'http://site.invalid';
    const files: Record<string, { type: string; body: string; sourceMap?: string }> = {
      [`${origin}/`]: { type: 'text/html', body: '<script src="/a.js"></script>' },
      [`${origin}/a.js`]: { type: 'text/javascript', body: 'a();\n', sourceMap: 'a.js.map' },
      [`${origin}/a.js.map`]: { type: 'application/json', body: appMap },
    };
    const fake: FetchLike = async (url) => {
      const file = files[url];
      const bytes = new TextEncoder().encode(file?.body ?? '');
      return {
        ok: file !== undefined,
        status: file === undefined ? 404 : 200,
        url,
        headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? (file?.type ?? null) : name.toLowerCase() === 'sourcemap' ? (file?.sourceMap ?? null) : null) },
        body: null,
        arrayBuffer: async () => bytes.slice().buffer,
      };
    };
    const report = await scanUrl(`${origin}/`, { fetch: fake });
    expect(report.maps.map((m) => [m.path, m.generatedFiles, m.sha256])).toEqual([['a.js.map', ['a.js'], sha256(appMap)]]);
  });
});

describe('scanUrl and other origins', () => {
  it('does not scan what a cross-origin redirect leads to', async () => {
    const report = await scanUrl(`${base}/redirected`);
    expect(report.maps.map((m) => m.path)).toEqual(['assets/vendor.js.map']);
    const hop = report.findings.filter((f) => f.location.path === 'hop.js');
    expect(hop.map((f) => f.code)).toEqual(['FILE_UNREADABLE']);
    expect(String(hop[0]!.args.reason)).toContain(`redirects to another origin (${other.origin})`);
    expect(site.paths()).toEqual(['/redirected', '/hop.js', '/assets/vendor.js', '/assets/vendor.js.map']);
  });

  // "Not followed" means the other origin receives nothing: following the redirect and then discarding the answer
  // still sends a request (with the scanner's fetch) to a host the page did not name.
  it('sends no request to the origin a redirect points at', async () => {
    await scanUrl(`${base}/redirected`);
    expect(other.paths()).toEqual([]);
  });

  it('a first URL redirecting to another origin is FETCH_ERROR, and the other origin receives nothing', async () => {
    const error = await rejection(scanUrl(`${base}/hop.js`));
    expect(error.code).toBe('FETCH_ERROR');
    expect(error.message).toContain('another origin');
    expect(other.paths()).toEqual([]);
  });

  // A fetch passed in may ignore `redirect: 'manual'` and follow by itself; its response's `url` then names the other
  // origin, and that content must not be scanned as if it came from the page's origin.
  it('does not scan content of another origin when a custom fetch follows the redirect itself', async () => {
    const following: FetchLike = (url, init) => fetch(url, { ...init, redirect: 'follow' });
    const report = await scanUrl(`${base}/redirected`, { fetch: following });
    const hop = report.findings.filter((f) => f.location.path === 'hop.js');
    expect(hop.map((f) => f.code)).toEqual(['FILE_UNREADABLE']);
    expect(String(hop[0]!.args.reason)).toContain(`redirects to another origin (${other.origin})`);
    expect(report.missingMaps).toEqual([]);
    expect(report.summary.filesScanned).toBe(2);
  });

  it('never requests a cross-origin script even when its host is reachable', async () => {
    site.routes.set('/cross', { headers: { 'content-type': 'text/html' }, body: `<script src="${other.origin}/evil.js"></script>` });
    const report = await scanUrl(`${base}/cross`);
    expect(site.paths()).toEqual(['/cross']);
    expect(other.paths()).toEqual([]);
    expect(report.maps).toEqual([]);
    expect(report.summary.exposure).toBe('none');
  });
});

describe('CLI on http targets', () => {
  it('prints the same JSON as the API', async () => {
    const r = await runCli('scan', `${base}/`, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect([...site.paths()].sort()).toEqual([...EXPECTED_REQUESTS].sort());
    expect(r.stdout).toBe(formatJson(await scanUrl(`${base}/`), { compact: true }));
  });

  it('passes --max-requests through', async () => {
    const r = await runCli('scan', `${base}/`, '--format', 'json', '--max-requests', '3');
    expect(r.code).toBe(0);
    expect(site.paths()).toEqual(['/', '/assets/app.js', '/assets/vendor.js']);
    expect(r.stdout).toBe(formatJson(await scanUrl(`${base}/`, { maxRequests: 3 }), { compact: true }));
  });

  it('exits 2 with one line on stderr when the first URL fails', async () => {
    const r = await runCli('scan', `${base}/nope`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`sourcemap-forensics: ${base}/nope answered HTTP 404\n`);
  });
});
