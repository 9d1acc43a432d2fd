import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/format/json';
import { scanSync } from '../../src/node';

describe('formatJson', () => {
  const report = scanSync('fixtures/demo');

  it('writes the report on one line with a final newline, and reads back to the same report', () => {
    const text = formatJson(report);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.indexOf('\n')).toBe(text.length - 1);
    expect(JSON.parse(text)).toStrictEqual(report);
  });

  it('writes several reports as one array, and is byte-stable', () => {
    const text = formatJson([report, report]);
    expect(text.startsWith('[{')).toBe(true);
    expect(JSON.parse(text)).toStrictEqual([report, report]);
    expect(formatJson(scanSync('fixtures/demo'))).toBe(formatJson(report));
  });
});
