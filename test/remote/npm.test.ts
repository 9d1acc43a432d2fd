import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatJson, parseNpmSpec, scanNpmPackage, scanPackage, scanSync } from '../../src/node';
import type { ExposureReport, FetchLike, MapEntry } from '../../src/node';
import { root, runCli, startServer, type TestServer } from '../helpers/http';
import { rejection } from '../helpers/rejection';

// A registry served from this process: packuments and tarballs, with real SRI integrity of the real `npm pack`
// output of fixtures/packages/acme-agent.
const tgz = new Uint8Array(readFileSync(join(root, 'fixtures/archives/acme-agent-3.1.0.tgz')));
const sri = (bytes: Uint8Array): string => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');
// One byte flipped in the middle of the deflate stream.
const tampered = Uint8Array.from(tgz);
tampered[Math.floor(tampered.length / 2)] ^= 0x01;
const WRONG_SHASUM = '0123456789abcdef0123456789abcdef01234567';

const temp = mkdtempSync(join(tmpdir(), 'smf-npm-'));
let server: TestServer;
let registry: string;
let packumentBytes: number;

const tarballPath = (version: string): string => `/acme-agent/-/acme-agent-${version}.tgz`;

function packument(origin: string): unknown {
  const dist = (version: string, extra: Record<string, string>) => ({ tarball: `${origin}${tarballPath(version)}`, ...extra });
  return {
    name: 'acme-agent',
    'dist-tags': { latest: '3.1.0', next: '3.2.0-beta.1' },
    versions: {
      '2.0.0': { name: 'acme-agent', version: '2.0.0', dist: dist('2.0.0', { shasum: sha1(tgz) }) },
      '2.0.1': { name: 'acme-agent', version: '2.0.1', dist: dist('2.0.1', { shasum: WRONG_SHASUM }) },
      '2.0.2': { name: 'acme-agent', version: '2.0.2', dist: dist('2.0.2', {}) },
      '3.0.0': { name: 'acme-agent', version: '3.0.0', dist: dist('3.0.0', { integrity: sri(tgz), shasum: sha1(tgz) }) },
      '3.1.0': { name: 'acme-agent', version: '3.1.0', dist: dist('3.1.0', { integrity: sri(tgz), shasum: sha1(tgz) }) },
      '3.2.0-beta.1': { name: 'acme-agent', version: '3.2.0-beta.1', dist: dist('3.2.0-beta.1', { integrity: sri(tgz) }) },
      // Several hashes: one sha512 matching is enough.
      '1.5.0': { name: 'acme-agent', version: '1.5.0', dist: dist('1.5.0', { integrity: `${sri(tampered)} sha1-AAAA ${sri(tgz)}` }) },
      // Its tarball answers 500.
      '4.0.0': { name: 'acme-agent', version: '4.0.0', dist: dist('4.0.0', { integrity: sri(tgz) }) },
      // Its tarball has one byte flipped; the integrity is the original's.
      '6.6.6': { name: 'acme-agent', version: '6.6.6', dist: dist('6.6.6', { integrity: sri(tgz), shasum: sha1(tgz) }) },
      // Not an http(s) tarball.
      '0.9.0': { name: 'acme-agent', version: '0.9.0', dist: { tarball: `file://${join(root, 'fixtures/archives/acme-agent-3.1.0.tgz')}`, integrity: sri(tgz) } },
    },
  };
}

function scopedPackument(origin: string): unknown {
  return {
    name: '@acme/agent',
    'dist-tags': { latest: '3.1.0' },
    versions: { '3.1.0': { name: '@acme/agent', version: '3.1.0', dist: { tarball: `${origin}/@acme/agent/-/agent-3.1.0.tgz`, integrity: sri(tgz) } } },
  };
}

const tgzReply = (body: Uint8Array) => ({ headers: { 'content-type': 'application/octet-stream' }, body });
const jsonReply = (value: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

beforeAll(async () => {
  server = await startServer();
  registry = `${server.origin}/`;
  const doc = jsonReply(packument(server.origin));
  packumentBytes = Buffer.byteLength(doc.body);
  server.routes.set('/acme-agent', doc);
  server.routes.set('/registry/acme-agent', doc);
  server.routes.set('/@acme%2fagent', jsonReply(scopedPackument(server.origin)));
  server.routes.set('/@acme%2Fagent', jsonReply(scopedPackument(server.origin)));
  server.routes.set('/@acme/agent/-/agent-3.1.0.tgz', tgzReply(tgz));
  for (const v of ['2.0.0', '2.0.1', '2.0.2', '3.0.0', '3.1.0', '3.2.0-beta.1', '1.5.0']) server.routes.set(tarballPath(v), tgzReply(tgz));
  server.routes.set(tarballPath('6.6.6'), tgzReply(tampered));
  server.routes.set(tarballPath('4.0.0'), { status: 500, body: 'internal error' });
  server.routes.set('/not-json', { headers: { 'content-type': 'application/json' }, body: '<html>maintenance</html>' });
  server.routes.set('/json-null', jsonReply(null));
  server.routes.set('/no-versions', jsonReply({ name: 'no-versions', 'dist-tags': {} }));
});
afterAll(async () => {
  await server.close();
  rmSync(temp, { recursive: true, force: true });
});
beforeEach(() => server.reset());

/** A summary without the fields that depend on how the files were held (archive, directory, package). */
function comparable(report: ExposureReport) {
  const { bytesScanned: _b, filesScanned: _f, archives: _a, ...rest } = report.summary;
  return rest;
}

describe('scanNpmPackage: resolution', () => {
  it('scans an exact version: target, requests, figures of the acme-agent map', async () => {
    const report = await scanNpmPackage('npm:acme-agent@3.1.0', { registry });
    expect(report.target).toEqual({ kind: 'npm', name: 'npm:acme-agent@3.1.0', format: 'tgz' });
    expect(server.paths()).toEqual(['/acme-agent', tarballPath('3.1.0')]);
    expect(server.log.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(report.summary.exposure).toBe('first-party-source');
    expect(report.summary.sources).toEqual({ total: 13, withContent: 13, withoutContent: 0, firstParty: 10, thirdParty: 3, ignoreListed: 0, absolutePaths: 0 });
    expect([report.summary.content.lines, report.summary.content.bytes, report.summary.content.firstPartyLines]).toEqual([712, 24453, 609]);
    expect(report.summary.maps).toEqual({ total: 1, external: 1, inline: 0, index: 0, invalid: 0, missing: 0, orphan: 0, remote: 0 });
    expect(report.maps.map((m) => [m.path, m.generatedFiles])).toEqual([['package/dist/cli.js.map', ['package/dist/cli.js']]]);
    // The tarball holds four entries; its inflated bytes are the tar stream's length.
    expect(report.summary.archives).toEqual({ total: 1, entries: 4, inflatedBytes: gunzipSync(tgz).length });
  });

  it.each([
    ['npm:acme-agent@3.0.0', '3.0.0'],
    ['npm:acme-agent@3.2.0-beta.1', '3.2.0-beta.1'],
    ['npm:acme-agent@next', '3.2.0-beta.1'],
    ['npm:acme-agent@latest', '3.1.0'],
    ['npm:acme-agent@^3.0.0', '3.1.0'],
    ['npm:acme-agent@~3.0.0', '3.0.0'],
    ['npm:acme-agent@>=3.0.0 <4', '3.1.0'],
    ['npm:acme-agent', '3.1.0'],
    ['npm:acme-agent@', '3.1.0'],
    ['acme-agent@3.0.0', '3.0.0'],
  ])('%s resolves to %s', async (spec, version) => {
    const report = await scanNpmPackage(spec, { registry });
    expect(report.target).toEqual({ kind: 'npm', name: `npm:acme-agent@${version}`, format: 'tgz' });
    expect(server.paths()).toEqual(['/acme-agent', tarballPath(version)]);
  });

  // npm (npm-pick-manifest) takes the `latest` dist-tag's version whenever it satisfies the range, and only
  // otherwise the highest match: `npm install acme-agent@*` installs 3.1.0, so that is the tarball to scan.
  it.each([
    ['npm:acme-agent@*', '3.1.0'],
    ['npm:acme-agent@>=3.0.0', '3.1.0'],
  ])('%s picks the latest-tagged %s when it satisfies the range, as npm does', async (spec, version) => {
    const report = await scanNpmPackage(spec, { registry });
    expect(report.target.name).toBe(`npm:acme-agent@${version}`);
    expect(server.paths()).toEqual(['/acme-agent', tarballPath(version)]);
  });

  it('scans a scoped package, its slash encoded as npm does', async () => {
    const report = await scanNpmPackage('npm:@acme/agent@^3', { registry });
    expect(report.target).toEqual({ kind: 'npm', name: 'npm:@acme/agent@3.1.0', format: 'tgz' });
    expect(server.paths().map((p) => p.toLowerCase())).toEqual(['/@acme%2fagent', '/@acme/agent/-/agent-3.1.0.tgz']);
    expect(report.summary.sources.total).toBe(13);
    expect(report.maps.map((m) => m.path)).toEqual(['package/dist/cli.js.map']);
  });

  it.each([
    ['origin with a trailing slash', '/', '/acme-agent'],
    ['origin without a trailing slash', '', '/acme-agent'],
    ['path with a trailing slash', '/registry/', '/registry/acme-agent'],
    ['path without a trailing slash', '/registry', '/registry/acme-agent'],
    ['path with two trailing slashes', '/registry//', '/registry/acme-agent'],
  ])('registry given as %s', async (_label, suffix, metadataPath) => {
    const report = await scanNpmPackage('npm:acme-agent@3.1.0', { registry: `${server.origin}${suffix}` });
    expect(report.target.name).toBe('npm:acme-agent@3.1.0');
    expect(server.paths()).toEqual([metadataPath, tarballPath('3.1.0')]);
  });

  it('uses options.fetch for every request, and nothing else', async () => {
    const calls: { url: string; accept: string | undefined }[] = [];
    const counting: FetchLike = (url, init) => {
      calls.push({ url, accept: init?.headers?.accept });
      return fetch(url, init);
    };
    const report = await scanNpmPackage('npm:acme-agent@3.1.0', { registry, fetch: counting });
    expect(calls.map((c) => c.url)).toEqual([`${server.origin}/acme-agent`, `${server.origin}${tarballPath('3.1.0')}`]);
    expect(calls[0]!.accept).toContain('application/vnd.npm.install-v1+json');
    expect(server.paths()).toEqual(['/acme-agent', tarballPath('3.1.0')]);
    expect(report.target.name).toBe('npm:acme-agent@3.1.0');
  });

  it('works with a minimal fetch that has no streaming body and no server at all', async () => {
    const origin = 'http://registry.invalid';
    const files: Record<string, Uint8Array> = {
      [`${origin}/acme-agent`]: new TextEncoder().encode(JSON.stringify(packument(origin))),
      [`${origin}${tarballPath('3.1.0')}`]: tgz,
    };
    const urls: string[] = [];
    const minimal: FetchLike = async (url) => {
      urls.push(url);
      const bytes = files[url];
      return {
        ok: bytes !== undefined,
        status: bytes === undefined ? 404 : 200,
        headers: { get: () => null },
        body: null,
        arrayBuffer: async () => (bytes ?? new Uint8Array(0)).slice().buffer,
      };
    };
    const report = await scanNpmPackage('npm:acme-agent', { registry: origin, fetch: minimal });
    expect(urls).toEqual([`${origin}/acme-agent`, `${origin}${tarballPath('3.1.0')}`]);
    expect(report.target.name).toBe('npm:acme-agent@3.1.0');
    expect(report.summary.sources.total).toBe(13);
    expect(server.paths()).toEqual([]);
  });
});

describe('scanNpmPackage: the same figures as the package on disk', () => {
  let fromRegistry: ExposureReport;
  beforeAll(async () => {
    fromRegistry = await scanNpmPackage('npm:acme-agent@3.1.0', { registry });
  });

  it('matches scanPackage of the directory npm packed it from (paths under package/)', async () => {
    const local = await scanPackage(join(root, 'fixtures/packages/acme-agent'));
    expect(comparable(fromRegistry)).toEqual(comparable(local));
    const prefixed = local.maps.map((m): MapEntry => ({ ...m, path: `package/${m.path}`, generatedFiles: m.generatedFiles.map((g) => `package/${g}`) }));
    expect(fromRegistry.maps).toEqual(prefixed);
    expect(fromRegistry.findings.map((f) => [f.code, f.location.path, f.args])).toEqual(local.findings.map((f) => [f.code, `package/${f.location.path}`, f.args]));
  });

  it('matches scanSync of the tarball unpacked by tar', () => {
    const dir = join(temp, 'unpacked');
    mkdirSync(dir);
    execFileSync('tar', ['-xzf', join(root, 'fixtures/archives/acme-agent-3.1.0.tgz'), '-C', dir]);
    const unpacked = scanSync(dir);
    expect(comparable(fromRegistry)).toEqual(comparable(unpacked));
    expect(fromRegistry.summary.filesScanned).toBe(unpacked.summary.filesScanned);
    expect(fromRegistry.maps).toEqual(unpacked.maps);
    expect(fromRegistry.maps[0]!.files.map((f) => [f.source, f.sha256, f.lines, f.bytes])).toEqual(unpacked.maps[0]!.files.map((f) => [f.source, f.sha256, f.lines, f.bytes]));
    expect(fromRegistry.maps[0]!.sha256).toBe(createHash('sha256').update(readFileSync(join(dir, 'package/dist/cli.js.map'))).digest('hex'));
    const { target: _t1, summary: _s1, ...restRegistry } = fromRegistry;
    const { target: _t2, summary: _s2, ...restUnpacked } = unpacked;
    expect(restRegistry).toEqual(restUnpacked);
  });

  it('matches scanSync of the same tarball bytes in memory, except the target', () => {
    const memory = scanSync({ name: 'acme-agent-3.1.0.tgz', bytes: tgz });
    expect(memory.target).toEqual({ kind: 'archive', name: 'acme-agent-3.1.0.tgz', inMemory: true, format: 'tgz' });
    expect({ ...fromRegistry, target: null }).toEqual({ ...memory, target: null });
  });
});

describe('scanNpmPackage: integrity', () => {
  it('rejects a tampered tarball, naming the expected and the actual sha512', async () => {
    const error = await rejection(scanNpmPackage('npm:acme-agent@6.6.6', { registry }));
    expect(error.code).toBe('INTEGRITY_MISMATCH');
    expect(error.message).toContain(`expected ${sri(tgz)}`);
    expect(error.message).toContain(`got ${sri(tampered)}`);
    expect(error.message).toContain('acme-agent@6.6.6');
    expect(server.paths()).toEqual(['/acme-agent', tarballPath('6.6.6')]);
  });

  it('accepts an integrity with several hashes when one sha512 matches', async () => {
    const report = await scanNpmPackage('npm:acme-agent@1.5.0', { registry });
    expect(report.target.name).toBe('npm:acme-agent@1.5.0');
  });

  it('checks the sha1 shasum when there is no integrity', async () => {
    const report = await scanNpmPackage('npm:acme-agent@2.0.0', { registry });
    expect(report.target.name).toBe('npm:acme-agent@2.0.0');
    expect(report.summary.sources.total).toBe(13);
  });

  it('rejects a wrong shasum, naming the expected and the actual sha1', async () => {
    const error = await rejection(scanNpmPackage('npm:acme-agent@2.0.1', { registry }));
    expect(error.code).toBe('INTEGRITY_MISMATCH');
    expect(error.message).toContain(`expected ${WRONG_SHASUM}`);
    expect(error.message).toContain(`got ${sha1(tgz)}`);
  });

  it('refuses a tarball the registry publishes no integrity for', async () => {
    const error = await rejection(scanNpmPackage('npm:acme-agent@2.0.2', { registry }));
    expect(error.code).toBe('INTEGRITY_MISMATCH');
    expect(error.message).toContain('acme-agent@2.0.2');
  });
});

describe('scanNpmPackage: registry errors', () => {
  it.each([
    ['an unknown version', 'npm:acme-agent@9.9.9', ['/acme-agent']],
    ['an unknown dist-tag', 'npm:acme-agent@canary', ['/acme-agent']],
    ['a range nothing satisfies', 'npm:acme-agent@^5', ['/acme-agent']],
    ['an unknown package (404)', 'npm:nope', ['/nope']],
    ['a packument that is not JSON', 'npm:not-json', ['/not-json']],
    ['a packument without versions', 'npm:no-versions', ['/no-versions']],
    ['a tarball answering 500', 'npm:acme-agent@4.0.0', ['/acme-agent', tarballPath('4.0.0')]],
    ['a tarball URL that is not http(s)', 'npm:acme-agent@0.9.0', ['/acme-agent']],
  ])('%s is REGISTRY_ERROR', async (_label, spec, paths) => {
    const error = await rejection(scanNpmPackage(spec, { registry }));
    expect(error.code).toBe('REGISTRY_ERROR');
    expect(server.paths()).toEqual(paths);
  });

  it('names the status of a failed request', async () => {
    const error = await rejection(scanNpmPackage('npm:nope@1.0.0', { registry }));
    expect(error.message).toContain('404');
    const error500 = await rejection(scanNpmPackage('npm:acme-agent@4.0.0', { registry }));
    expect(error500.message).toContain('500');
  });

  // A registry (or a proxy in front of it) answering the JSON `null` is a registry that cannot answer.
  it('a packument that is the JSON null is REGISTRY_ERROR, not a TypeError', async () => {
    const error = await rejection(scanNpmPackage('npm:json-null', { registry }));
    expect(error).toMatchObject({ name: 'ForensicsError', code: 'REGISTRY_ERROR' });
  });

  it('a fetch that throws is REGISTRY_ERROR with its message', async () => {
    const failing: FetchLike = async () => {
      throw new Error('ECONNREFUSED from the test');
    };
    const error = await rejection(scanNpmPackage('npm:acme-agent', { registry, fetch: failing }));
    expect(error.code).toBe('REGISTRY_ERROR');
    expect(error.message).toContain('ECONNREFUSED from the test');
  });

  it('a tarball over maxTotalBytes is REGISTRY_ERROR; a packument of exactly that size is read', async () => {
    expect(tgz.length).toBeGreaterThan(packumentBytes);
    const error = await rejection(scanNpmPackage('npm:acme-agent@3.1.0', { registry, maxTotalBytes: packumentBytes }));
    expect(error.code).toBe('REGISTRY_ERROR');
    expect(error.message).toContain('maxTotalBytes');
    expect(server.paths()).toEqual(['/acme-agent', tarballPath('3.1.0')]);
  });

  it('a packument over maxTotalBytes is REGISTRY_ERROR before any tarball is fetched', async () => {
    const error = await rejection(scanNpmPackage('npm:acme-agent@3.1.0', { registry, maxTotalBytes: packumentBytes - 1 }));
    expect(error.code).toBe('REGISTRY_ERROR');
    expect(server.paths()).toEqual(['/acme-agent']);
  });

  it('an invalid spec is INVALID_TARGET before any request', async () => {
    const error = await rejection(scanNpmPackage('npm:../etc/passwd', { registry }));
    expect(error.code).toBe('INVALID_TARGET');
    expect(server.paths()).toEqual([]);
  });

  it.each([
    [{ registry: 42 }],
    [{ fetch: 'fetch' }],
    [{ maxRequests: 3 }],
  ])('bad options %j are INVALID_OPTION before any request', async (options) => {
    const error = await rejection(scanNpmPackage('npm:acme-agent', { registry, ...(options as object) }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(server.paths()).toEqual([]);
  });
});

describe('parseNpmSpec', () => {
  it.each([
    ['npm:a@1', { name: 'a', version: '1' }],
    ['a@1', { name: 'a', version: '1' }],
    ['npm:@s/a@^2', { name: '@s/a', version: '^2' }],
    ['@s/a@^2', { name: '@s/a', version: '^2' }],
    ['a', { name: 'a', version: 'latest' }],
    ['npm:a', { name: 'a', version: 'latest' }],
    ['@s/a', { name: '@s/a', version: 'latest' }],
    ['a@', { name: 'a', version: 'latest' }],
    ['@s/a@next', { name: '@s/a', version: 'next' }],
    ['a@>=1 <2', { name: 'a', version: '>=1 <2' }],
    ['lodash.merge@4.6.2', { name: 'lodash.merge', version: '4.6.2' }],
    ['a-b_c@1.0.0-rc.1', { name: 'a-b_c', version: '1.0.0-rc.1' }],
    [`${'a'.repeat(214)}@1`, { name: 'a'.repeat(214), version: '1' }],
  ])('%s', (spec, expected) => {
    expect(parseNpmSpec(spec)).toEqual(expected);
  });

  it.each([
    [''],
    ['npm:'],
    ['@1.0.0'],
    ['@s'],
    ['@s/'],
    ['@/a'],
    ['a/b'],
    ['@s/a/b'],
    ['.a'],
    ['_a'],
    ['a b'],
    ['../a'],
    ['npm:npm:a'],
    [`${'a'.repeat(215)}@1`],
  ])('%j is INVALID_TARGET', (spec) => {
    let error: unknown;
    try {
      parseNpmSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INVALID_TARGET', name: 'ForensicsError' });
  });
});

describe('CLI on npm: targets', () => {
  it('prints the same JSON as the API', async () => {
    const r = await runCli('scan', 'npm:acme-agent@3.1.0', '--registry', registry, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatJson(await scanNpmPackage('npm:acme-agent@3.1.0', { registry }), { compact: true }));
    expect(server.paths()).toEqual(['/acme-agent', tarballPath('3.1.0'), '/acme-agent', tarballPath('3.1.0')]);
  });

  it('exits 2 on a tampered tarball with one line on stderr and no stack trace', async () => {
    const r = await runCli('scan', 'npm:acme-agent@6.6.6', '--registry', registry);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(/^sourcemap-forensics: the tarball of acme-agent@6\.6\.6 does not match/);
    expect(lines[0]).toContain(`expected ${sri(tgz)}, got ${sri(tampered)}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
