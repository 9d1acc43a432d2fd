import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertNoExposure, checkPolicy, evaluatePolicy, scanSync } from '../../src/node';
import type { ForensicsError } from '../../src/node';

const at = (path: string): string => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

describe('evaluatePolicy', () => {
  const chunks = scanSync(at('chunks'));

  it('lists each offending map and file when first-party content is exposed', () => {
    const violations = evaluatePolicy(chunks, {});
    expect(violations.map((v) => [v.rule, v.map, v.file])).toEqual([
      ['first-party-content', 'dist/app.js.map', 'src/a.ts'],
      ['first-party-content', 'dist/chunks/b.js.map', 'src/b.ts'],
      ['first-party-content', 'dist/app.js.map', 'src/shared.ts'],
      ['first-party-content', 'dist/chunks/b.js.map', 'src/shared.ts'],
      ['first-party-content', 'dist/chunks/c.js.map', 'src/shared.ts'],
    ]);
    expect(violations[0]!.message).toBe('src/a.ts (3 lines) is exposed by dist/app.js.map; 4 first-party files are exposed, the policy allows 0.');
  });

  it.each([
    [{ maxFirstPartyFiles: 4 }, []],
    [{ allowPaths: ['src/**'] }, []],
    [{ allowPaths: ['src/*.ts'] }, []],
    [{ allowPaths: ['src/shared.ts'], maxFirstPartyFiles: 2 }, []],
    [{ allowPaths: ['src/shared.ts'], maxFirstPartyFiles: 1 }, ['src/a.ts', 'src/b.ts']],
    [{ allowPaths: ['**'], allowThirdPartyContent: false }, ['node_modules/lib/index.js', 'node_modules/lib/index.js']],
    [{ allowPaths: ['**'], allowThirdPartyContent: false, allowPackages: ['lib'] }, []],
    [{ allowPaths: ['lib/**'], maxFirstPartyFiles: 3 }, ['src/a.ts', 'src/b.ts', 'src/shared.ts', 'src/shared.ts', 'src/shared.ts']],
  ])('%j -> %j', (policy, files) => {
    expect(evaluatePolicy(chunks, policy).map((v) => v.file)).toEqual(files);
  });

  it('flags maps without content when asked to', () => {
    const paths = scanSync({ files: [{ name: 'a.js.map', data: JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: '' }) }] });
    expect(evaluatePolicy(paths, {})).toEqual([]);
    expect(evaluatePolicy(paths, { allowMapsWithoutContent: false }).map((v) => [v.rule, v.map, v.message])).toEqual([
      ['map-without-content', 'a.js.map', 'a.js.map ships without content but names 1 sources.'],
    ]);
  });

  it('turns findings of failOn severity into violations', () => {
    const demo = scanSync(at('demo'));
    expect(evaluatePolicy(demo, { allowPaths: ['**'], failOn: 'medium' }).map((v) => [v.rule, v.file])).toEqual([
      ['finding-severity', null],
      ['finding-severity', '../src/api/client.ts:14'],
      ['finding-severity', '../src/api/client.ts:19'],
    ]);
  });

  it.each([
    [[], 'a policy must be a JSON object'],
    [{ allowPath: [] }, 'unknown policy key "allowPath"'],
    [{ maxFirstPartyFiles: -1 }, '"maxFirstPartyFiles" must be a whole number'],
    [{ allowPaths: 'src/**' }, '"allowPaths" must be a list of strings'],
    [{ failOn: 'severe' }, '"failOn" must be one of'],
  ])('rejects %j', (policy, message) => {
    expect(() => checkPolicy(policy)).toThrowError(message);
  });
});

describe('assertNoExposure', () => {
  it('resolves to the report when the target keeps to the policy', async () => {
    const report = await assertNoExposure(at('packages/acme-agent-clean'), {}, { publishable: true });
    expect(report.summary.exposure).toBe('none');
  });

  it('rejects with POLICY_VIOLATION listing each offending map and file', async () => {
    let error: ForensicsError | undefined;
    try {
      await assertNoExposure(at('packages/acme-agent'), { allowThirdPartyContent: true }, { publishable: true });
    } catch (e) {
      error = e as ForensicsError;
    }
    expect(error?.code).toBe('POLICY_VIOLATION');
    expect(error!.violations).toHaveLength(10);
    expect(new Set(error!.violations.map((v) => v.map))).toEqual(new Set(['dist/cli.js.map']));
    expect(error!.message).toContain('breaks the exposure policy: 10 violations over 10 files or maps');
  });
});
