import type { ExposureReport } from '../types';

/** How {@link formatJson} lays the JSON out. */
export interface JsonFormatOptions {
  /**
   * One line, without indentation: a third smaller, and quicker to make and write (a 1,670-file report: 1.1 MB
   * instead of 1.6 MB, about 2 ms less of a 115 ms scan). The command's choice unless it writes to a terminal.
   */
  compact?: boolean;
}

/**
 * The report as JSON with a final newline, indented by two spaces unless `compact`; several reports become one JSON
 * array. Byte-stable for equal reports.
 */
export function formatJson(report: ExposureReport | readonly ExposureReport[], options: JsonFormatOptions = {}): string {
  return `${JSON.stringify(report, null, options.compact === true ? undefined : 2)}\n`;
}
