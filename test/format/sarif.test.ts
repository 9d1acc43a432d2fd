import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv/dist/2020';
import { afterAll, describe, expect, it } from 'vitest';
import { FINDING_SEVERITY } from '../../src/findings';
import { fingerprint, formatSarif, toSarif, toUriReference } from '../../src/format/sarif';
import type { SarifLog, SarifResult } from '../../src/format/sarif';
import { formatSarif as publicFormatSarif, scan, scanSync } from '../../src/node';
import type { ExposureReport, Finding, FindingCode, Severity } from '../../src/types';
import { sha256Hex } from '../../src/util/sha256';
import { VERSION } from '../../src/version';

// The SARIF output against the official SARIF 2.1.0 JSON Schema (ajv) and, where it runs, Microsoft's own
// validator (Sarif.Multitool), plus exact checks of what GitHub code scanning reads: rules, levels, columns,
// fingerprints and URIs.
const root = fileURLToPath(new URL('../../', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'smf-sarif-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const TARGETS = [
  'fixtures/demo',
  'fixtures/discovery',
  'fixtures/archives/nested.zip',
  'fixtures/hostile/maps/traversal.js.map',
  'fixtures/hostile/archives/nested6.zip',
] as const;
// Relative targets, as on the command line (vitest runs in the package root).
const reports = new Map<string, ExposureReport>(TARGETS.map((t) => [t, scanSync(t)]));
const report = (target: (typeof TARGETS)[number]): ExposureReport => reports.get(target)!;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------------------------------------------
// A report with findings no fixture has (yet): every severity, positions in recovered source, odd paths.

function finding(code: FindingCode, severity: Severity, location: Finding['location'], args: Finding['args'] = {}, message = `${code} here.`): Finding {
  return { code, severity, message, location, args };
}

const FAKE_FINDINGS: Finding[] = [
  finding('SECRET_IN_SOURCE', 'critical', { path: 'dist/app.js.map', source: 'webpack://app/./src/config.ts', line: 12, column: 8 }, { rule: 'aws', title: 'AWSAccessKeyID', line: 12 }),
  finding('DETECTOR_MATCH', 'high', { path: 'dist/app.js.map', source: '../src/a.ts', line: 3, column: 0 }, { detector: 'acme', rule: 'todo', message: 'a TODO', line: 3 }),
  finding('INTERNAL_URL_IN_SOURCE', 'medium', { path: 'out er.zip!/in#ner.tgz!/x.js.map', source: 'C:\\Users\\me\\src\\ü.ts', line: 1, column: 41 }, { host: 'db.corp', url: 'http://db.corp/', occurrences: 2, line: 1 }),
  finding('MAP_SPEC_VIOLATION', 'low', { path: 'weird/100%[1]?.js.map', line: 7, column: 2 }, { errors: 1, first: 'MAPPINGS_BAD_CHARACTER' }),
  finding('MAP_ORPHAN', 'info', { path: 'a:b/c:d.js.map' }),
];

const fake: ExposureReport = { ...structuredClone(report('fixtures/demo')), findings: FAKE_FINDINGS };

// ---------------------------------------------------------------------------------------------------------------
// ajv with the official schema. It ships inside the platform package of @microsoft/sarif-multitool.

function schemaPath(): string {
  for (const platform of ['linux', 'darwin', 'win32']) {
    const path = join(root, `node_modules/@microsoft/sarif-multitool-${platform}/sarif-2.1.0.json`);
    if (existsSync(path)) return path;
  }
  throw new Error('sarif-2.1.0.json not found: run npm install (devDependency @microsoft/sarif-multitool)');
}

const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as { [key: string]: Json };

// The schema's formats, checked rather than ignored (ajv knows none of them without ajv-formats).
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
function isUriReference(value: string): boolean {
  if (!URI_REFERENCE.test(value)) return false;
  // RFC 3986 §4.2: a relative reference may not have a colon in its first segment (it would read as a scheme).
  return SCHEME.test(value) || !value.split(/[/?#]/, 1)[0]!.includes(':');
}
const formats = {
  uri: (value: string) => SCHEME.test(value) && isUriReference(value),
  'uri-reference': isUriReference,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};
// Strict, but for one rule the official schema breaks: it lists `required` properties inside `anyOf` branches that
// declare them in the parent object (`strictRequired`), which is valid JSON Schema.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, formats });
const validate = ajv.compile<SarifLog>(schema);

function explain(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'no errors';
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)} (${e.schemaPath})`).join('\n');
}

function expectSchemaValid(label: string, text: string): void {
  const log = JSON.parse(text) as SarifLog;
  const ok = validate(log);
  expect(ok, `${label} does not match sarif-2.1.0.json:\n${explain(validate.errors)}`).toBe(true);
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft's validator: decided once, at module load, by asking the binary for its version.

const MULTITOOL = join(root, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

function multitoolUnavailable(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `Sarif.Multitool is tested here on linux x64 only, not ${process.platform} ${process.arch}`;
  if (!existsSync(MULTITOOL)) return `${MULTITOOL} is not installed (optional dependency of @microsoft/sarif-multitool)`;
  try {
    // Its postinstall (chmod u+x) does not run where npm asks for install scripts to be approved.
    const mode = statSync(MULTITOOL).mode;
    if ((mode & 0o100) === 0) chmodSync(MULTITOOL, mode | 0o100);
    execFileSync(MULTITOOL, ['--version'], { timeout: 120_000, stdio: 'pipe', encoding: 'utf8' });
    return null;
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    const detail = (e.stderr || e.message || String(error)).trim().split('\n')[0];
    return `Sarif.Multitool cannot run on this machine: ${detail}`;
  }
}

const multitoolSkip = multitoolUnavailable();

interface ValidatorResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string; id?: string; arguments?: string[] };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
}
interface ValidatorLog {
  runs: {
    results?: ValidatorResult[];
    invocations?: {
      executionSuccessful?: boolean;
      toolExecutionNotifications?: { level?: string; message?: { text?: string } }[];
      toolConfigurationNotifications?: { level?: string; message?: { text?: string } }[];
    }[];
    rules?: unknown;
    tool: { driver: { rules?: { id: string; messageStrings?: Record<string, { text: string }> }[] } };
  }[];
}

/** A validator result as one line: `level RULE file:line message`. */
function describeResult(r: ValidatorResult, rules: Map<string, Record<string, { text: string }>>): string {
  const where = r.locations?.[0]?.physicalLocation;
  const file = (where?.artifactLocation?.uri ?? '?').replace(/^.*\//, '');
  let text = r.message?.text;
  if (text === undefined && r.message?.id !== undefined) {
    const template = rules.get(r.ruleId ?? '')?.[r.message.id]?.text ?? r.message.id;
    text = template.replace(/\{(\d+)\}/g, (_, i: string) => r.message?.arguments?.[Number(i)] ?? '');
  }
  return `${r.level ?? 'warning'} ${r.ruleId} ${file}:${where?.region?.startLine ?? '?'} ${text ?? ''}`;
}

// ---------------------------------------------------------------------------------------------------------------

describe('SARIF 2.1.0 output', () => {
  describe('validates against the official SARIF 2.1.0 JSON Schema (ajv)', () => {
    it.each(TARGETS)('%s', (target) => {
      expectSchemaValid(target, formatSarif(report(target)));
    });

    it('several reports in one log', () => {
      expectSchemaValid('all targets', formatSarif(TARGETS.map(report)));
    });

    it('findings with positions in recovered source, every severity, odd paths', () => {
      expectSchemaValid('fake report', formatSarif(fake));
    });

    it('an empty log', () => {
      expectSchemaValid('no reports', formatSarif([]));
    });

    it('and the format checks are not vacuous: a bad URI or a stray property fails', () => {
      const log = toSarif(fake);
      log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'has space';
      expect(validate(log)).toBe(false);
      const extra = toSarif(fake) as unknown as { runs: { [key: string]: unknown }[] };
      extra.runs[0]!.notASarifProperty = true;
      expect(validate(extra)).toBe(false);
      const fine = toSarif(fake);
      expect(validate(fine), explain(validate.errors)).toBe(true);
    });
  });

  it.skipIf(multitoolSkip !== null)(
    `passes Microsoft's Sarif.Multitool validate with no error${multitoolSkip === null ? '' : ` (skipped: ${multitoolSkip})`}`,
    () => {
      const files: string[] = [];
      TARGETS.forEach((target, i) => {
        const file = join(temp, `target-${i}.sarif`);
        writeFileSync(file, formatSarif(report(target)));
        files.push(file);
      });
      for (const [name, content] of [
        ['all.sarif', formatSarif(TARGETS.map(report))],
        ['fake.sarif', formatSarif(fake)],
      ] as const) {
        writeFileSync(join(temp, name), content);
        files.push(join(temp, name));
      }
      const out = join(temp, 'multitool.sarif');
      let failure: unknown = null;
      try {
        execFileSync(MULTITOOL, ['validate', ...files, '--output', out, '--level', 'Error;Warning;Note', '--log', 'ForceOverwrite', '--quiet'], {
          timeout: 120_000,
          stdio: 'pipe',
          encoding: 'utf8',
        });
      } catch (error) {
        // A non-zero exit is expected when it finds errors; its log says which. No log: the tool itself failed.
        failure = error;
      }
      if (!existsSync(out)) throw failure ?? new Error('Sarif.Multitool wrote no log');
      const log = JSON.parse(readFileSync(out, 'utf8')) as ValidatorLog;
      const run = log.runs[0]!;
      const rules = new Map((run.tool.driver.rules ?? []).map((r) => [r.id, r.messageStrings ?? {}]));
      const results = run.results ?? [];
      const lines = results.map((r) => describeResult(r, rules));
      const errors = lines.filter((line) => line.startsWith('error '));
      expect(errors, errors.join('\n')).toEqual([]);
      // The tool ran to the end and had no trouble reading the files (parse errors land here, not in results).
      const invocation = run.invocations?.[0];
      expect(invocation?.executionSuccessful).toBe(true);
      const notifications = [...(invocation?.toolExecutionNotifications ?? []), ...(invocation?.toolConfigurationNotifications ?? [])];
      expect(notifications.filter((n) => n.level === 'error').map((n) => n.message?.text)).toEqual([]);
      expect(failure, String(failure)).toBeNull();
      // Warnings and notes are allowed; their rule ids, for the record.
      const counts = new Map<string, number>();
      for (const line of lines) {
        const key = line.split(' ', 2).join(' ');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      console.info(`Sarif.Multitool: ${[...counts].map(([k, n]) => `${n}× ${k}`).join(', ') || 'nothing to say'}`);
    },
    150_000,
  );

  describe('rules', () => {
    const log = toSarif(report('fixtures/demo'));
    const rules = log.runs[0]!.tool.driver.rules;
    const codes = Object.keys(FINDING_SEVERITY) as FindingCode[];

    it('one rule per finding code, in FINDING_SEVERITY order', () => {
      expect(rules).toHaveLength(Object.keys(FINDING_SEVERITY).length);
      expect(rules.map((r) => r.id)).toEqual(codes);
    });

    it('a PascalCase name, descriptions, help text and Markdown', () => {
      expect(rules.find((r) => r.id === 'FIRST_PARTY_SOURCE_EXPOSED')!.name).toBe('FirstPartySourceExposed');
      expect(rules.find((r) => r.id === 'MAP_URL_OUTSIDE_TARGET')!.name).toBe('MapUrlOutsideTarget');
      for (const rule of rules) {
        expect(rule.name).toMatch(/^(?:[A-Z][a-z]+)+$/);
        expect(rule.name.toUpperCase()).toBe(rule.id.replace(/_/g, ''));
        for (const text of [rule.shortDescription.text, rule.fullDescription.text, rule.help.text, rule.help.markdown]) {
          expect(text.length, rule.id).toBeGreaterThan(20);
          expect(text, rule.id).toMatch(/\.$/);
        }
        expect(rule.fullDescription.text).not.toBe(rule.shortDescription.text);
        expect(rule.help.text, rule.id).toContain('How to fix:');
        expect(rule.help.text, rule.id).not.toContain('`');
        expect(rule.help.markdown, rule.id).toContain('**How to fix:**');
      }
      const firstParty = rules.find((r) => r.id === 'FIRST_PARTY_SOURCE_EXPOSED')!;
      expect(firstParty.help.text).toMatch(/build without sourcesContent/i);
      expect(firstParty.help.text).toMatch(/\.map files out of what you publish/);
    });

    it('default level and security-severity from the code severity, tagged security', () => {
      const score: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '3.0', info: '1.0' };
      const level: Record<Severity, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
      for (const rule of rules) {
        const severity = FINDING_SEVERITY[rule.id];
        expect(rule.defaultConfiguration.level, rule.id).toBe(level[severity]);
        expect(rule.properties['security-severity'], rule.id).toBe(score[severity]);
        expect(Number.isFinite(Number(rule.properties['security-severity']))).toBe(true);
        expect(rule.properties.tags).toEqual(['security']);
      }
      expect(rules.find((r) => r.id === 'FIRST_PARTY_SOURCE_EXPOSED')!.properties['security-severity']).toBe('9.5');
      expect(rules.find((r) => r.id === 'MAP_ORPHAN')!.defaultConfiguration.level).toBe('note');
    });
  });

  describe('runs', () => {
    it('one run per report, with the tool, the target, the summary and no timestamps', () => {
      const r = report('fixtures/archives/nested.zip');
      const log = toSarif(r);
      expect(log.$schema).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
      expect(log.version).toBe('2.1.0');
      expect(log.runs).toHaveLength(1);
      const run = log.runs[0]!;
      expect(run.tool.driver).toMatchObject({
        name: 'sourcemap-forensics',
        fullName: `sourcemap-forensics ${VERSION}`,
        version: VERSION,
        semanticVersion: VERSION,
        informationUri: 'https://www.npmjs.com/package/sourcemap-forensics',
      });
      expect(run.invocations).toEqual([{ executionSuccessful: true }]);
      expect(run.columnKind).toBe('utf16CodeUnits');
      expect(run.properties).toEqual({ schemaVersion: r.schemaVersion, summary: r.summary });
      expect(run.originalUriBaseIds.TARGET!.properties).toEqual({ target: r.target });
      expect(run.originalUriBaseIds.TARGET!.description!.text).toBe(
        'The scanned archive (zip): fixtures/archives/nested.zip. Result paths are relative to it; ! separates an archive from a path inside it.',
      );
      expect(run.automationDetails).toBeUndefined();
      expect(run.results).toHaveLength(r.findings.length);
    });

    it('several reports: one run each, in order, each in its own GitHub category', () => {
      const all = toSarif(TARGETS.map(report));
      expect(all.runs.map((run) => (run.originalUriBaseIds.TARGET!.properties as { target: { name: string } }).target.name)).toEqual(
        [...TARGETS],
      );
      const ids = all.runs.map((run) => run.automationDetails!.id);
      expect(new Set(ids).size).toBe(TARGETS.length);
      expect(ids[0]).toBe(`sourcemap-forensics/${TARGETS[0]}/`);
      const twice = toSarif([fake, fake]);
      expect(twice.runs.map((run) => run.automationDetails!.id)).toEqual([
        `sourcemap-forensics/${fake.target.name}/`,
        `sourcemap-forensics/${fake.target.name} (2)/`,
      ]);
      // One report and a list of one give the same log.
      expect(formatSarif([fake])).toBe(formatSarif(fake));
    });

    it('pretty JSON with a final newline, byte-equal for equal reports, exported from the entries', () => {
      const text = formatSarif(report('fixtures/discovery'));
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).toBe(`${JSON.stringify(toSarif(report('fixtures/discovery')), null, 2)}\n`);
      expect(formatSarif(scanSync('fixtures/discovery'))).toBe(text);
      expect(publicFormatSarif).toBe(formatSarif);
    });

    it('is a pure module (no Node built-ins)', () => {
      const source = readFileSync(join(root, 'src/format/sarif.ts'), 'utf8');
      expect(source).not.toMatch(/from ['"](?:node:|fs|path|crypto|url|os)/);
      expect(source).not.toMatch(/\bprocess\./);
    });
  });

  describe('results', () => {
    it('one per finding: rule, level, message, properties', () => {
      for (const target of TARGETS) {
        const r = report(target);
        const run = toSarif(r).runs[0]!;
        expect(run.results).toHaveLength(r.findings.length);
        run.results.forEach((result, i) => {
          const f = r.findings[i]!;
          expect(result.ruleId).toBe(f.code);
          expect(run.tool.driver.rules[result.ruleIndex!]!.id).toBe(f.code);
          expect(result.message).toEqual({ text: f.message });
          expect(result.properties).toEqual({ severity: f.severity, args: f.args });
        });
      }
    });

    it('levels: critical and high → error, medium → warning, low and info → note', () => {
      const results = toSarif(fake).runs[0]!.results;
      expect(results.map((r) => [r.properties.severity, r.level])).toEqual([
        ['critical', 'error'],
        ['high', 'error'],
        ['medium', 'warning'],
        ['low', 'note'],
        ['info', 'note'],
      ]);
      // A result's level follows its own severity (detector matches carry theirs), not the rule's default.
      expect(results[1]!.ruleId).toBe('DETECTOR_MATCH');
      expect(FINDING_SEVERITY.DETECTOR_MATCH).toBe('info');
      expect(results[1]!.level).toBe('error');
    });

    it('a finding in recovered source: the map first, the original file as a related location with 1-based columns', () => {
      const results = toSarif(fake).runs[0]!.results;
      expect(results[0]!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'dist/app.js.map', uriBaseId: 'TARGET' } } }]);
      expect(results[0]!.relatedLocations).toEqual([
        {
          id: 1,
          physicalLocation: { artifactLocation: { uri: 'webpack://app/./src/config.ts' }, region: { startLine: 12, startColumn: 9 } },
          message: { text: 'Original source "webpack://app/./src/config.ts", line 12, column 9, recovered from the sourcesContent of dist/app.js.map.' },
        },
      ]);
      // Column 0 is column 1.
      expect(results[1]!.relatedLocations![0]!.physicalLocation).toEqual({
        artifactLocation: { uri: '../src/a.ts' },
        region: { startLine: 3, startColumn: 1 },
      });
      expect(results[2]!.relatedLocations![0]!.physicalLocation).toEqual({
        artifactLocation: { uri: 'C%3A%5CUsers%5Cme%5Csrc%5C%C3%BC.ts' },
        region: { startLine: 1, startColumn: 42 },
      });
      // A line without a source is a line of the file itself; no line, no region.
      expect(results[3]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 7, startColumn: 3 });
      expect(results[3]!.relatedLocations).toBeUndefined();
      expect(results[4]!.locations[0]!.physicalLocation.region).toBeUndefined();
    });

    it('the same on a real report: internal URLs of fixtures/demo', () => {
      const r = report('fixtures/demo');
      const i = r.findings.findIndex((f) => f.code === 'INTERNAL_URL_IN_SOURCE' && f.location.line === 14);
      expect(r.findings[i]!.location).toEqual({ path: 'cli.js.map', source: '../src/api/client.ts', line: 14, column: 34 });
      const result = toSarif(r).runs[0]!.results[i]!;
      expect(result.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'cli.js.map', uriBaseId: 'TARGET' } });
      expect(result.relatedLocations![0]!.physicalLocation).toEqual({
        artifactLocation: { uri: '../src/api/client.ts' },
        region: { startLine: 14, startColumn: 35 },
      });
    });

    it('URIs of nested archive paths stay readable', () => {
      const uris = (target: (typeof TARGETS)[number]) => toSarif(report(target)).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
      expect(uris('fixtures/archives/nested.zip')[0]).toEqual({ uri: 'release/acme-agent-3.1.0.tgz!/package/dist/cli.js.map', uriBaseId: 'TARGET' });
      expect(uris('fixtures/hostile/archives/nested6.zip').map((l) => l.uri)).toEqual([
        'inner/level2.zip!/inner/level3.zip!/level3.js.map',
        'inner/level2.zip!/level2.js.map',
        'level1.js.map',
        'inner/level2.zip!/inner/level3.zip!/inner/level4.zip',
        'inner/level2.zip!/inner/level3.zip!/level3.js.map',
        'inner/level2.zip!/level2.js.map',
        'level1.js.map',
      ]);
      for (const target of TARGETS) {
        for (const location of uris(target)) {
          expect(location.uriBaseId).toBe('TARGET');
          expect(isUriReference(location.uri!), location.uri).toBe(true);
        }
      }
      expect(toSarif(fake).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual([
        'dist/app.js.map',
        'dist/app.js.map',
        'out%20er.zip!/in%23ner.tgz!/x.js.map',
        'weird/100%25%5B1%5D%3F.js.map',
        'a%3Ab/c:d.js.map',
      ]);
    });

    it('percent-encodes what a URI reference cannot hold, and nothing else', () => {
      expect(toUriReference("a-z_0.9~!$&'()*+,;=@/x")).toBe("a-z_0.9~!$&'()*+,;=@/x");
      expect(toUriReference('a b#c?d%e[f]g\\h"i<j>k^l`m{n|o}p')).toBe('a%20b%23c%3Fd%25e%5Bf%5Dg%5Ch%22i%3Cj%3Ek%5El%60m%7Bn%7Co%7Dp');
      expect(toUriReference('ü/日本/😀.js')).toBe('%C3%BC/%E6%97%A5%E6%9C%AC/%F0%9F%98%80.js');
      expect(toUriReference('\u0000\n\u007f.js')).toBe('%00%0A%7F.js');
      expect(toUriReference('bad\ud800x.js')).toBe('bad%EF%BF%BDx.js');
      expect(toUriReference('c:d.js')).toBe('c%3Ad.js');
      expect(toUriReference('webpack://app/./a.ts', true)).toBe('webpack://app/./a.ts');
      expect(toUriReference('file:///home/me/a b.ts', true)).toBe('file:///home/me/a%20b.ts');
      expect(toUriReference('C:\\x.ts', true)).toBe('C%3A%5Cx.ts');
      expect(toUriReference('#3', true)).toBe('%233');
      for (const value of ['a b', '100%', 'c:d', '[x]', '😀', 'bad\udfffx']) expect(isUriReference(toUriReference(value)), value).toBe(true);
    });

    it('fingerprints: sha256 of code, path, source, line and the stable args; equal across runs, different per finding', () => {
      const first = toSarif(TARGETS.map(report));
      const again = toSarif(TARGETS.map((t) => scanSync(t)));
      expect(again).toEqual(first);
      const prints = (run: { results: SarifResult[] }) => run.results.map((r) => r.partialFingerprints['sourcemapForensics/v1']!);
      for (const run of first.runs) {
        for (const p of prints(run)) expect(p).toMatch(/^[0-9a-f]{64}$/);
        expect(new Set(prints(run)).size, 'one fingerprint per finding').toBe(run.results.length);
      }
      // The recipe, on a finding with every part.
      const secret = FAKE_FINDINGS[0]!;
      expect(toSarif(fake).runs[0]!.results[0]!.partialFingerprints).toEqual({
        'sourcemapForensics/v1': sha256Hex('SECRET_IN_SOURCE\0dist/app.js.map\0webpack://app/./src/config.ts\x0012\0rule=aws'),
      });
      expect(fingerprint(secret)).toBe(sha256Hex('SECRET_IN_SOURCE\0dist/app.js.map\0webpack://app/./src/config.ts\x0012\0rule=aws'));
      // What names the finding changes it...
      const moved = (change: Partial<Finding>, location: Partial<Finding['location']> = {}) =>
        fingerprint({ ...secret, ...change, location: { ...secret.location, ...location } });
      const base = fingerprint(secret);
      expect(moved({ code: 'PRIVATE_KEY_IN_SOURCE' })).not.toBe(base);
      expect(moved({}, { path: 'dist/other.js.map' })).not.toBe(base);
      expect(moved({}, { source: 'webpack://app/./src/other.ts' })).not.toBe(base);
      expect(moved({}, { line: 13 })).not.toBe(base);
      expect(moved({ args: { ...secret.args, rule: 'github' } })).not.toBe(base);
      // ...what merely describes it does not: message, counts, severity, column.
      expect(moved({ message: 'Reworded.', severity: 'high', args: { ...secret.args, title: 'Other' } }, { column: 99 })).toBe(base);
      const count = finding('FIRST_PARTY_SOURCE_EXPOSED', 'critical', { path: 'cli.js.map' }, { files: 1, lines: 2, bytes: 3 });
      expect(fingerprint({ ...count, args: { files: 9, lines: 99, bytes: 999 } })).toBe(fingerprint(count));
      expect(fingerprint(count)).toBe(sha256Hex('FIRST_PARTY_SOURCE_EXPOSED\0cli.js.map\0\0\0'));
    });
  });

  describe('CLI', () => {
    const cli = join(root, 'dist/cli.cjs');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });

    it('--format sarif prints the library log (needs npm run build)', () => {
      const r = run('scan', 'fixtures/demo', '--format', 'sarif');
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toBe(formatSarif(scanSync('fixtures/demo')));
    });

    it('several targets give one log with one run per target', () => {
      const r = run('scan', 'fixtures/demo', 'fixtures/archives/nested.zip', '--format', 'sarif');
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toBe(formatSarif([scanSync('fixtures/demo'), scanSync('fixtures/archives/nested.zip')]));
      expect((JSON.parse(r.stdout) as SarifLog).runs).toHaveLength(2);
    });

    it('lists sarif in --help and in the usage error', () => {
      expect(run('--help').stdout).toContain('--format sarif');
      expect(run('scan', 'fixtures/demo', '--format', 'xml').stderr).toContain('--format must be text, json, markdown or sarif');
    });
  });
});

// Every fixture's SARIF, as the CLI makes it (async scan: secrets included), against the official schema.
describe('SARIF of every fixture matches sarif-2.1.0.json', () => {
  const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
  const below = (dir: string): string[] =>
    readdirSync(join(fixtures, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? below(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
  const targets = [
    'demo',
    'basic',
    'discovery',
    'index-map',
    'chunks',
    'leaks',
    'releases/v1',
    'packages/acme-agent',
    ...below('archives'),
    ...below('hostile'),
  ];
  it.each(targets)('fixtures/%s', async (target) => {
    expectSchemaValid(target, formatSarif(await scan(join(fixtures, target))));
  });
});
