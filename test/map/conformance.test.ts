import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isIgnored, originalPositionFor, parseSourceMap, validateSourceMap } from '../../src/index';
import type { ParsedMap } from '../../src/index';

// The official ECMA-426 conformance data (tc39/source-map-tests), read in place from ../shared/.
const root = new URL('../../../shared/conformance/tc39-source-map-tests/', import.meta.url);
const resources = new URL('resources/', root);

interface Action {
  actionType: 'checkMapping' | 'checkMappingTransitive' | 'checkIgnoreList';
  generatedLine: number;
  generatedColumn: number;
  originalSource: string | null;
  originalLine: number | null;
  originalColumn: number | null;
  mappedName: string | null;
  intermediateMaps?: string[];
  present?: string[];
}
interface Case {
  name: string;
  sourceMapFile: string;
  sourceMapIsValid: boolean;
  testActions?: Action[];
}

const list = JSON.parse(readFileSync(new URL('source-map-spec-tests.json', root), 'utf8')) as { tests: Case[] };
const read = (file: string): string => readFileSync(new URL(file, resources), 'utf8');

let actionsRun = 0;

function lookup(map: ParsedMap, line0: number, column: number) {
  const p = originalPositionFor(map, { line: line0 + 1, column });
  return { source: p.source, line: p.line === null ? null : p.line - 1, column: p.column, name: p.name };
}

describe('TC39 source-map-spec-tests', () => {
  it('has the 99 tests the issue counts', () => {
    expect(list.tests).toHaveLength(99);
  });

  for (const test of list.tests) {
    it(test.name, () => {
      const text = read(test.sourceMapFile);
      const validation = validateSourceMap(text);
      if (!test.sourceMapIsValid) {
        expect(validation.valid).toBe(false);
        expect(validation.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        expect(() => parseSourceMap(text)).toThrowError(expect.objectContaining({ code: 'INVALID_SOURCE_MAP' }));
        return;
      }
      expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const map = parseSourceMap(text);
      for (const action of test.testActions ?? []) {
        actionsRun++;
        if (action.actionType === 'checkIgnoreList') {
          for (const source of action.present!) expect(isIgnored(map, source)).toBe(true);
          continue;
        }
        let result = lookup(map, action.generatedLine, action.generatedColumn);
        if (action.actionType === 'checkMappingTransitive') {
          for (const file of action.intermediateMaps!) {
            expect(result.line).not.toBeNull();
            result = lookup(parseSourceMap(read(file)), result.line!, result.column!);
          }
        }
        expect(result).toEqual({
          source: action.originalSource,
          line: action.originalLine,
          column: action.originalColumn,
          name: action.mappedName,
        });
      }
    });
  }

  it('ran every one of the 94 actions', () => {
    expect(actionsRun).toBe(94);
  });
});
