import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { analyzeSourceMap, FINDING_SEVERITY, REPORT_SCHEMA_URL, SCHEMA_VERSION, scanPackage, scanSync } from '../../src/node';
import type { ExposureReport } from '../../src/node';

// schema.json (the published JSON Schema of ExposureReport) against the reports of every fixture: a field the
// code writes but the schema does not know, or a field the schema requires but the code does not write, fails here.
const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'fixtures');
const at = (path: string): string => join(fixtures, path);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const schema = JSON.parse(readFileSync(join(root, 'schema.json'), 'utf8')) as { [key: string]: Json };

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile<ExposureReport>(schema);

/** ajv's errors, one per line, with the offending value, for assertion messages. */
function explain(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'no errors';
  return errors
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)} (${e.schemaPath})`)
    .join('\n');
}

function expectValid(label: string, report: ExposureReport): void {
  const ok = validate(report);
  expect(ok, `${label} does not match schema.json:\n${explain(validate.errors)}`).toBe(true);
  expect(report.$schema).toBe(REPORT_SCHEMA_URL);
}

/** Names of the entries of a directory, sorted. */
const list = (dir: string): string[] => readdirSync(at(dir)).sort();
/** Every regular file below a fixtures folder, as paths relative to fixtures/. */
function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const name of list(dir)) {
    const rel = `${dir}/${name}`;
    if (statSync(at(rel)).isDirectory()) out.push(...filesBelow(rel));
    else out.push(rel);
  }
  return out;
}
const subfolders = (dir: string): string[] => list(dir).filter((name) => statSync(at(`${dir}/${name}`)).isDirectory()).map((name) => `${dir}/${name}`);

const DIRECTORIES = ['demo', 'basic', ...subfolders('basic'), 'discovery', 'index-map', 'chunks', 'leaks', 'releases/v1', 'releases/v2', ...subfolders('packages')];
const FILES = [...filesBelow('archives'), ...filesBelow('hostile'), 'demo/cli.js', 'demo/cli.js.map', 'index-map/app.js.map', 'discovery/encoded.js'];
const PACKAGES = subfolders('packages');
const MAPS = ['demo/cli.js.map', 'basic/external/app.js.map', 'index-map/app.js.map', 'hostile/maps/not-json.js.map', 'hostile/maps/invalid-utf8.js.map', 'hostile/maps/many-errors.js.map'];

describe('schema.json', () => {
  it('is draft 2020-12, compiles in strict mode and is identified by REPORT_SCHEMA_URL', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(REPORT_SCHEMA_URL);
    expect(typeof schema.title === 'string' && schema.title.length > 0).toBe(true);
    expect(typeof schema.description === 'string' && schema.description.length > 0).toBe(true);
    expect(typeof validate).toBe('function');
  });

  it('pins schemaVersion to SCHEMA_VERSION', () => {
    const properties = schema.properties as { [key: string]: { [key: string]: Json } };
    expect(properties.schemaVersion!.const).toBe(SCHEMA_VERSION);
  });

  it('lists exactly the finding codes of FINDING_SEVERITY', () => {
    const defs = schema.$defs as { [key: string]: { enum?: Json[] } };
    const codes = defs.FindingCode!.enum as string[];
    expect([...codes].sort()).toEqual(Object.keys(FINDING_SEVERITY).sort());
    // And every severity FINDING_SEVERITY uses is one the schema allows.
    expect(defs.Severity!.enum).toEqual(expect.arrayContaining([...new Set(Object.values(FINDING_SEVERITY))]));
  });

  it('describes every property at every level', () => {
    const undescribed: string[] = [];
    const walk = (node: Json, pointer: string): void => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => walk(child, `${pointer}/${i}`));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        // `const`, `enum` and `default` hold data, not subschemas.
        if (key === 'const' || key === 'enum' || key === 'default') continue;
        if (key === 'properties' || key === '$defs') {
          for (const [name, sub] of Object.entries(value as { [key: string]: Json })) {
            const description = (sub as { description?: Json }).description;
            if (typeof description !== 'string' || description.trim() === '') undescribed.push(`${pointer}/${key}/${name}`);
          }
        }
        walk(value, `${pointer}/${key}`);
      }
    };
    walk(schema, '#');
    expect(undescribed).toEqual([]);
  });

  it('closes every object with fixed keys', () => {
    const open: string[] = [];
    const walk = (node: Json, pointer: string): void => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => walk(child, `${pointer}/${i}`));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      if ('properties' in node && node.additionalProperties !== false) open.push(pointer);
      if ('properties' in node) {
        const required = [...((node.required as string[] | undefined) ?? [])].sort();
        const optional = OPTIONAL[pointer] ?? [];
        expect(required, `${pointer}: required`).toEqual(Object.keys(node.properties as object).filter((k) => !optional.includes(k)).sort());
      }
      for (const [key, value] of Object.entries(node)) if (key !== 'const' && key !== 'enum') walk(value, `${pointer}/${key}`);
    };
    walk(schema, '#');
    expect(open).toEqual([]);
  });
});

/** The optional (`?:`) fields of src/types.ts and src/map/diagnostics.ts: every other property is required. */
const OPTIONAL: Record<string, string[]> = {
  '#/$defs/Location': ['source', 'line', 'column'],
  '#/$defs/Diagnostic': ['offset'],
  '#/$defs/ReportTarget': ['format', 'inMemory'],
};

describe('reports of every fixture match schema.json', () => {
  it.each(DIRECTORIES)('scanSync(fixtures/%s)', (dir) => {
    expectValid(dir, scanSync(at(dir)));
  });

  it.each(FILES)('scanSync(fixtures/%s)', (file) => {
    expectValid(file, scanSync(at(file)));
  });

  it.each(PACKAGES)('await scanPackage(fixtures/%s)', async (dir) => {
    expectValid(`package ${dir}`, await scanPackage(at(dir)));
  });

  it.each(MAPS)('analyzeSourceMap(fixtures/%s) as text, bytes and parsed JSON', (file) => {
    const bytes = readFileSync(at(file));
    expectValid(`${file} (bytes)`, analyzeSourceMap(new Uint8Array(bytes), { path: file }));
    expectValid(`${file} (text)`, analyzeSourceMap(bytes.toString('utf8')));
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      return; // not JSON: covered as text and bytes
    }
    expectValid(`${file} (parsed)`, analyzeSourceMap(parsed as object));
  });

  it('in-memory targets: { name, bytes } of a map and of an archive, and { files }', () => {
    expectValid('memory map', scanSync({ name: 'cli.js.map', bytes: readFileSync(at('demo/cli.js.map')) }));
    const archive = scanSync({ name: 'acme-agent.zip', bytes: new Uint8Array(readFileSync(at('archives/acme-agent.zip'))) });
    expect(archive.target.inMemory).toBe(true);
    expectValid('memory archive', archive);
    const files = list('basic/external').map((name) => ({ name, data: readFileSync(at(`basic/external/${name}`)) }));
    expectValid('memory files', scanSync({ files, name: 'basic' }));
  });

  it('the fixtures exercise most of the schema', () => {
    // Guards against the corpus shrinking to reports that prove little: these shapes must all occur somewhere.
    const reports = [...DIRECTORIES.map((d) => scanSync(at(d))), ...FILES.map((f) => scanSync(at(f)))];
    const codes = new Set(reports.flatMap((r) => r.findings.map((f) => f.code)));
    for (const code of ['FIRST_PARTY_SOURCE_EXPOSED', 'MAP_SPEC_VIOLATION', 'MAP_UNREADABLE', 'MAP_MISSING', 'MAP_REMOTE', 'ARCHIVE_LIMIT', 'ARCHIVE_CORRUPT']) {
      expect(codes).toContain(code);
    }
    expect(reports.some((r) => r.maps.some((m) => m.kind === 'inline'))).toBe(true);
    expect(reports.some((r) => r.maps.some((m) => m.format === 'index'))).toBe(true);
    expect(reports.some((r) => r.target.format !== undefined)).toBe(true);
    expect(reports.some((r) => r.invalidMaps.some((m) => m.diagnostics.some((d) => d.offset !== undefined)))).toBe(true);
  });
});

describe('schema.json rejects what the layout does not declare', () => {
  const report = (): ExposureReport => structuredClone(scanSync(at('basic')));

  it('accepts the unmodified report', () => {
    expectValid('basic', report());
  });

  it('rejects an extra top-level property', () => {
    const r = { ...report(), extra: 1 };
    expect(validate(r)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'extra' } }));
  });

  it('rejects an extra summary property', () => {
    const r = report();
    (r.summary as unknown as Record<string, unknown>).extra = 1;
    expect(validate(r)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/summary', keyword: 'additionalProperties', params: { additionalProperty: 'extra' } }));
  });

  it('rejects an unknown finding code, a bad sha256, a negative count and an array in args', () => {
    const r = report();
    r.findings[0]!.code = 'NOT_A_CODE' as never;
    r.maps[0]!.sha256 = 'ABC';
    r.summary.sources.total = -1;
    (r.findings[0]!.args as Record<string, unknown>).list = [1];
    expect(validate(r)).toBe(false);
    const paths = validate.errors!.map((e) => e.instancePath);
    expect(paths).toEqual(expect.arrayContaining(['/findings/0/code', '/maps/0/sha256', '/summary/sources/total', '/findings/0/args/list']));
  });

  it('rejects a missing required field and a wrong schemaVersion', () => {
    const r = report() as unknown as Record<string, unknown>;
    delete r.findings;
    r.schemaVersion = '2.0.0';
    expect(validate(r)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: 'required', params: { missingProperty: 'findings' } }));
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/schemaVersion', keyword: 'const' }));
  });
});
