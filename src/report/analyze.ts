import { ForensicsError } from '../errors';
import type { SourceMapInput } from '../map/parse';
import type { ScanOptions } from './options';
import type { ExposureReport } from '../types';
import { utf8Length } from '../util/text';
import { buildReport } from './build';
import { resolveScanOptions } from './options';
import { measureAndDetect } from './scan';

/** Options of {@link analyzeSourceMap}. */
export interface AnalyzeOptions extends Pick<ScanOptions, 'signals' | 'detectors'> {
  /**
   * Name of the map in the report (`maps[0].path`, `target.name`).
   * @default '<map>'
   */
  path?: string;
}

/**
 * Measures one source map given as text, bytes or parsed JSON: per-source and per-map figures, summed into
 * the report summary, with findings. Never throws on a bad map: an unmeasurable one is listed in `invalidMaps`.
 */
export function analyzeSourceMap(input: SourceMapInput, options: AnalyzeOptions = {}): ExposureReport {
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'path' && key !== 'signals' && key !== 'detectors') {
      throw new ForensicsError('INVALID_OPTION', `unknown option ${JSON.stringify(key)}; known options: path, signals, detectors`);
    }
  }
  const resolved = resolveScanOptions({ signals: options.signals, detectors: options.detectors }, false);
  if (options.path !== undefined && typeof options.path !== 'string') {
    throw new ForensicsError('INVALID_OPTION', `option "path" must be a string, got ${typeof options.path}`);
  }
  const path = options.path ?? '<map>';
  const { measurement: m, signals } = measureAndDetect(input, path, 'external', { ...resolved, limits: { maxSources: Infinity } });
  const bytes = m.entry?.bytes ?? (typeof input === 'string' ? utf8Length(input) : input instanceof Uint8Array ? input.length : 0);
  return buildReport({
    target: { kind: 'map', name: path },
    measured: m.entry ? [m.entry] : [],
    unmeasured: m.entry ? [] : [{ path, kind: 'external', measured: false, diagnostics: m.diagnostics }],
    missing: [],
    remote: [],
    problems: [],
    filesScanned: 1,
    bytesScanned: bytes,
    archives: { total: 0, entries: 0, inflatedBytes: 0 },
    signals,
  });
}
