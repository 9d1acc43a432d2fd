/**
 * sourcemap-forensics: how much original source does an artefact expose through its source maps?
 * This entry is pure (no Node built-ins): it runs in browsers. Paths on disk need `sourcemap-forensics/node`.
 */
export { ForensicsError, isForensicsError } from './errors';
export type { ErrorCode } from './errors';
export type { Diagnostic, DiagnosticCode, ValidationResult } from './map/diagnostics';
export { parseSourceMap, validateSourceMap } from './map/parse';
export type { SourceMapInput } from './map/parse';
export { ParsedMap } from './map/parsed-map';
export type { MapSection } from './map/parsed-map';
export { isIgnored, originalPositionFor } from './map/lookup';
export type { GeneratedPosition, OriginalPosition } from './map/lookup';
export { analyzeSourceMap } from './report/analyze';
export type { AnalyzeOptions } from './report/analyze';
export { scan, scanSync } from './report/api';
export type { ScanOptions, ScanProgress } from './report/options';
export type { Detector, DetectorInput, DetectorMatch } from './analysis/signals';
export type { ScanTarget } from './report/target';
export type { MemoryFile } from './input/vfs';
export { extractSourceMappingUrl } from './input/source-mapping-url';
export type { CommentSyntax } from './input/source-mapping-url';
export { formatJson, type JsonFormatOptions } from './format/json';
export { formatText } from './format/text';
export type { TextOptions } from './format/text';
export { formatMarkdown } from './format/markdown';
export { formatSarif } from './format/sarif';
export { FINDING_SEVERITY } from './findings';
export { REPORT_SCHEMA_URL, SCHEMA_VERSION } from './types';
export type * from './types';
export { VERSION } from './version';
export { diffReports, formatDiffText } from './report/diff';
export type { ChangedFile, DiffFile, ExposureDiff } from './report/diff';
export { checkPolicy, evaluatePolicy } from './report/policy';
export type { ExposurePolicy, PolicyViolation } from './report/policy';
