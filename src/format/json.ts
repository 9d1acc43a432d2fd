import type { ExposureReport } from '../types';

/** The report as pretty JSON with a final newline; several reports become one JSON array. Byte-stable for equal reports. */
export function formatJson(report: ExposureReport | readonly ExposureReport[]): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
