import { ForensicsError } from '../errors';
import { reaches, SEVERITIES } from '../findings';
import type { ExposureReport, Severity } from '../types';

/** What a build gate allows. Every field is optional; the defaults allow nothing first-party. */
export interface ExposurePolicy {
  /**
   * Maps without any `sourcesContent` (paths and names only) pass.
   * @default true
   */
  allowMapsWithoutContent?: boolean;
  /**
   * Third-party (`node_modules/`) content passes.
   * @default true
   */
  allowThirdPartyContent?: boolean;
  /**
   * Globs over normalised paths (`report.files[].path`) of first-party files that may be exposed, for intentional
   * open source: `*` matches within a folder, `**` across folders, `?` one character.
   * @default []
   */
  allowPaths?: readonly string[];
  /**
   * npm packages whose content passes even when `allowThirdPartyContent` is false.
   * @default []
   */
  allowPackages?: readonly string[];
  /**
   * Distinct first-party files (not allowed by `allowPaths`) that may be exposed.
   * @default 0
   */
  maxFirstPartyFiles?: number;
  /**
   * Findings of this severity or worse violate the policy (e.g. `critical` for secrets).
   * @default none
   */
  failOn?: Severity;
}

/** One reason a report breaks a policy, naming the offending map and file. */
export interface PolicyViolation {
  /** Which rule. */
  rule: 'first-party-content' | 'third-party-content' | 'map-without-content' | 'finding-severity';
  /** The map (path inside the target). */
  map: string;
  /** The file (normalised path), when the rule is about one. */
  file: string | null;
  /** One sentence. */
  message: string;
}

const KEYS = ['allowMapsWithoutContent', 'allowThirdPartyContent', 'allowPaths', 'allowPackages', 'maxFirstPartyFiles', 'failOn'];

/** Checks a policy object (from JSON or code): unknown keys and wrong types are `INVALID_OPTION` errors naming them. */
export function checkPolicy(value: unknown): ExposurePolicy {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ForensicsError('INVALID_OPTION', 'a policy must be a JSON object');
  }
  const p = value as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!KEYS.includes(key)) throw new ForensicsError('INVALID_OPTION', `unknown policy key ${JSON.stringify(key)}; known keys: ${KEYS.join(', ')}`);
  }
  for (const key of ['allowMapsWithoutContent', 'allowThirdPartyContent']) {
    if (p[key] !== undefined && typeof p[key] !== 'boolean') throw new ForensicsError('INVALID_OPTION', `policy "${key}" must be true or false`);
  }
  for (const key of ['allowPaths', 'allowPackages']) {
    if (p[key] !== undefined && (!Array.isArray(p[key]) || (p[key] as unknown[]).some((x) => typeof x !== 'string'))) {
      throw new ForensicsError('INVALID_OPTION', `policy "${key}" must be a list of strings`);
    }
  }
  if (p.maxFirstPartyFiles !== undefined && !(Number.isInteger(p.maxFirstPartyFiles) && (p.maxFirstPartyFiles as number) >= 0)) {
    throw new ForensicsError('INVALID_OPTION', 'policy "maxFirstPartyFiles" must be a whole number >= 0');
  }
  if (p.failOn !== undefined && !(SEVERITIES as readonly unknown[]).includes(p.failOn)) {
    throw new ForensicsError('INVALID_OPTION', `policy "failOn" must be one of ${SEVERITIES.join(', ')}`);
  }
  return p as ExposurePolicy;
}

/** Every violation of `policy` by `report` (empty when it passes), in report order. Pure. */
export function evaluatePolicy(report: ExposureReport, policy: ExposurePolicy): PolicyViolation[] {
  const p = checkPolicy(policy);
  const violations: PolicyViolation[] = [];
  const allowed = (p.allowPaths ?? []).map(globToRegExp);
  const packages = new Set(p.allowPackages ?? []);
  const max = p.maxFirstPartyFiles ?? 0;
  const firstParty = report.files.filter((f) => f.origin === 'first-party' && !allowed.some((re) => re.test(f.path)));
  if (firstParty.length > max) {
    for (const f of firstParty) {
      for (const m of f.maps) {
        violations.push({
          rule: 'first-party-content',
          map: m.map,
          file: f.path,
          message: `${f.path} (${f.lines} lines) is exposed by ${m.map}; ${firstParty.length} first-party files are exposed, the policy allows ${max}.`,
        });
      }
    }
  }
  if (p.allowThirdPartyContent === false) {
    for (const f of report.files) {
      if (f.origin !== 'third-party' || (f.package !== null && packages.has(f.package))) continue;
      for (const m of f.maps) {
        violations.push({ rule: 'third-party-content', map: m.map, file: f.path, message: `${f.path} (${f.package ?? 'unknown package'}) is exposed by ${m.map}.` });
      }
    }
  }
  if (p.allowMapsWithoutContent === false) {
    for (const m of report.maps) {
      if (m.sources.withContent === 0) {
        violations.push({ rule: 'map-without-content', map: m.path, file: null, message: `${m.path} ships without content but names ${m.sources.total} sources.` });
      }
    }
  }
  if (p.failOn !== undefined) {
    for (const f of report.findings) {
      if (!reaches(f.severity, p.failOn)) continue;
      const where = f.location.source !== undefined && f.location.line !== undefined ? `${f.location.source}:${f.location.line}` : null;
      violations.push({ rule: 'finding-severity', map: f.location.path, file: where, message: `${f.severity} ${f.code}: ${f.message}` });
    }
  }
  return violations;
}

/** A glob as an anchored regular expression: `**` any folders, `*` within one folder, `?` one character. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a bare `**` anything.
        if (glob[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 2;
        } else {
          re += '.*';
          i++;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
