import { builtin } from '../runtime/builtin';
import { ForensicsError } from '../errors';
import { resolveScanOptions, type ScanOptions } from '../report/options';
import { scanOpened } from '../report/api';
import type { ReferenceHooks } from '../report/scan';
import { openMemoryFile } from '../report/target';
import type { ExposureReport } from '../types';
import { defaultFetch, readBody, type FetchLike } from './fetch';
import { load } from '../runtime/load';

/** Options of {@link scanNpmPackage}: the scan options plus where and how to fetch. */
export interface NpmScanOptions extends ScanOptions {
  /**
   * Registry base URL.
   * @default the npm configuration's `registry` (`npm_config_registry`, else `npm config get registry`), else https://registry.npmjs.org/
   */
  registry?: string;
  /**
   * The fetch to use (proxies, authentication, tests).
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
}

/** A parsed `name@version` spec. */
export interface NpmSpec {
  /** Package name, scope included. */
  name: string;
  /** Exact version, dist-tag or semver range. */
  version: string;
}

const EXTRA_KEYS = ['registry', 'fetch'];

/** Parses `npm:name@version`, `@scope/name@^1`, `name` (meaning `latest`). */
export function parseNpmSpec(spec: string): NpmSpec {
  const text = spec.startsWith('npm:') ? spec.slice(4) : spec;
  const at = text.indexOf('@', text.startsWith('@') ? 1 : 0);
  const name = at === -1 ? text : text.slice(0, at);
  const version = at === -1 ? 'latest' : text.slice(at + 1) || 'latest';
  if (name.length > 214 || !/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) {
    throw new ForensicsError('INVALID_TARGET', `${JSON.stringify(spec)} is not a package spec like npm:name@version`);
  }
  return { name, version };
}

/**
 * Resolves a registry package (exact version, dist-tag or range) through the registry's JSON metadata, downloads its
 * tarball, checks it against the `integrity` (sha512) the registry publishes, and scans it in memory.
 * Throws `ForensicsError` `REGISTRY_ERROR` when the registry cannot answer and `INTEGRITY_MISMATCH` on a tampered tarball.
 */
export async function scanNpmPackage(spec: string, options: NpmScanOptions = {}, hooks: ReferenceHooks = {}): Promise<ExposureReport> {
  const resolved = resolveScanOptions(options, true, EXTRA_KEYS);
  const { name, version } = parseNpmSpec(spec);
  if (options.registry !== undefined && typeof options.registry !== 'string') {
    throw new ForensicsError('INVALID_OPTION', `option "registry" must be a URL string, got ${typeof options.registry}`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ForensicsError('INVALID_OPTION', `option "fetch" must be a function, got ${typeof options.fetch}`);
  }
  const fetch = options.fetch ?? defaultFetch();
  const registry = (options.registry ?? (await configuredRegistry())).replace(/\/*$/, '/');
  const metadataUrl = `${registry}${name.replace('/', '%2f')}`;

  const metadata = await get(fetch, metadataUrl, resolved.limits.maxTotalBytes, `metadata of ${name}`, {
    accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8',
  });
  let packument: Packument;
  try {
    packument = JSON.parse(new TextDecoder().decode(metadata)) as Packument;
  } catch {
    throw new ForensicsError('REGISTRY_ERROR', `the registry's metadata of ${name} at ${metadataUrl} is not JSON`);
  }
  if (packument === null || typeof packument !== 'object' || Array.isArray(packument)) {
    throw new ForensicsError('REGISTRY_ERROR', `the registry's metadata of ${name} at ${metadataUrl} is not a package document`);
  }
  const versions = isRecord(packument.versions) ? packument.versions : {};
  const tags = isRecord(packument['dist-tags']) ? packument['dist-tags'] : {};
  // Loaded on first use, like every dependency only one kind of target needs.
  const [{ default: satisfies }, { default: maxSatisfying }] = await Promise.all([
    load<{ default: typeof import('semver/functions/satisfies.js') }>('semver/functions/satisfies.js'),
    load<{ default: typeof import('semver/ranges/max-satisfying.js') }>('semver/ranges/max-satisfying.js'),
  ]);
  const exact = pickVersion(version, versions, tags, satisfies, maxSatisfying);
  const manifest = exact ? versions[exact] : undefined;
  if (!exact || !isRecord(manifest)) throw new ForensicsError('REGISTRY_ERROR', `${name} has no version matching ${JSON.stringify(version)} at ${registry}`);
  const dist = (isRecord(manifest.dist) ? manifest.dist : {}) as { tarball?: unknown; integrity?: unknown; shasum?: unknown };
  if (typeof dist.tarball !== 'string' || !/^https?:\/\//.test(dist.tarball)) {
    throw new ForensicsError('REGISTRY_ERROR', `${name}@${exact} has no http(s) tarball URL in the registry metadata`);
  }
  const tarball = await get(fetch, dist.tarball, resolved.limits.maxTotalBytes, `tarball of ${name}@${exact}`);
  verifyIntegrity(tarball, dist, `${name}@${exact}`);
  const file = `${name.replace('/', '-').replace(/^@/, '')}-${exact}.tgz`;
  return scanOpened(openMemoryFile(file, tarball, 'npm', `npm:${name}@${exact}`), options, EXTRA_KEYS, hooks);
}

/**
 * npm's choice: an exact version, else a dist-tag, else for a range the `latest` tag when it satisfies the range
 * (as npm-pick-manifest does), else the highest satisfying version.
 */
function pickVersion(
  wanted: string,
  versions: Record<string, unknown>,
  tags: Record<string, unknown>,
  satisfies: (version: string, range: string) => boolean,
  maxSatisfying: (versions: string[], range: string) => string | null,
): string | null {
  if (Object.hasOwn(versions, wanted)) return wanted;
  if (Object.hasOwn(tags, wanted) && typeof tags[wanted] === 'string') return tags[wanted] as string;
  const latest = typeof tags.latest === 'string' ? tags.latest : null;
  if (latest !== null && Object.hasOwn(versions, latest) && satisfies(latest, wanted)) return latest;
  return maxSatisfying(Object.keys(versions), wanted);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface Packument {
  'dist-tags'?: unknown;
  versions?: unknown;
}

async function get(fetch: FetchLike, url: string, max: number, what: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
  let response;
  try {
    response = await fetch(url, { headers, redirect: 'follow' });
  } catch (error) {
    throw new ForensicsError('REGISTRY_ERROR', `cannot fetch the ${what} from ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new ForensicsError('REGISTRY_ERROR', `the ${what} at ${url} answered HTTP ${response.status}`);
  const body = await readBody(response, max);
  if (body === null) throw new ForensicsError('REGISTRY_ERROR', `the ${what} at ${url} is larger than ${max} bytes (maxTotalBytes)`);
  return body;
}

const STRENGTH = ['sha512', 'sha384', 'sha256', 'sha1'] as const;

/**
 * Checks the SRI `integrity` (its strongest algorithm; any listed digest of it may match) or, for old packages,
 * the sha1 `shasum`. A package with neither is refused.
 */
function verifyIntegrity(bytes: Uint8Array, dist: { integrity?: unknown; shasum?: unknown }, what: string): void {
  const entries = (typeof dist.integrity === 'string' ? dist.integrity : '').split(/\s+/).filter(Boolean);
  for (const algorithm of STRENGTH) {
    const expected = entries.filter((e) => e.startsWith(`${algorithm}-`)).map((e) => e.replace(/\?.*$/, ''));
    if (expected.length === 0) continue;
    const actual = `${algorithm}-${builtin<typeof import('node:crypto')>('node:crypto').createHash(algorithm).update(bytes).digest('base64')}`;
    if (!expected.includes(actual)) {
      throw new ForensicsError('INTEGRITY_MISMATCH', `the tarball of ${what} does not match the registry's integrity: expected ${expected.join(' or ')}, got ${actual}`);
    }
    return;
  }
  if (typeof dist.shasum === 'string') {
    const actual = builtin<typeof import('node:crypto')>('node:crypto').createHash('sha1').update(bytes).digest('hex');
    if (actual !== dist.shasum.toLowerCase()) {
      throw new ForensicsError('INTEGRITY_MISMATCH', `the tarball of ${what} does not match the registry's shasum: expected ${dist.shasum}, got ${actual}`);
    }
    return;
  }
  throw new ForensicsError('INTEGRITY_MISMATCH', `the registry publishes no integrity for ${what}; refusing to trust the tarball`);
}

/** The npm configuration's registry, as `npm config get registry` reports it (asked without blocking). */
async function configuredRegistry(): Promise<string> {
  const env = process.env.npm_config_registry ?? process.env.NPM_CONFIG_REGISTRY;
  if (env) return env;
  const out = await new Promise<string>((resolve) => {
    builtin<typeof import('node:child_process')>('node:child_process').execFile('npm', ['config', 'get', 'registry'], { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => resolve(error ? '' : stdout.trim()));
  });
  // npm missing or not configured: the public registry.
  return /^https?:\/\//.test(out) ? out : 'https://registry.npmjs.org/';
}
