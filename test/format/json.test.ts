import { describe, expect, it } from 'vitest';
import { formatJson, scanSync } from '../../src/node';

describe('formatJson', () => {
  const report = scanSync('fixtures/demo');

  it('indents by two spaces by default, with a final newline', () => {
    const text = formatJson(report);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(text.startsWith('{\n  "$schema": ')).toBe(true);
  });

  it('puts the same JSON on one line with compact, a third smaller here', () => {
    const compact = formatJson(report, { compact: true });
    expect(compact).toBe(`${JSON.stringify(report)}\n`);
    expect(compact.indexOf('\n')).toBe(compact.length - 1);
    expect(JSON.parse(compact)).toEqual(JSON.parse(formatJson(report)));
    expect(compact.length / formatJson(report).length).toBeLessThan(0.8);
  });

  it('makes one array of several reports either way', () => {
    const two = [report, scanSync('fixtures/basic/inline')];
    expect(JSON.parse(formatJson(two, { compact: true }))).toHaveLength(2);
    expect(formatJson(two)).toBe(`${JSON.stringify(two, null, 2)}\n`);
  });
});
