export { ForensicsError, isForensicsError } from './errors';
export type { ErrorCode } from './errors';
export type { Diagnostic, DiagnosticCode, ValidationResult } from './map/diagnostics';
export { parseSourceMap, validateSourceMap } from './map/parse';
export type { SourceMapInput } from './map/parse';
export { ParsedMap } from './map/parsed-map';
export type { MapSection } from './map/parsed-map';
export { isIgnored, originalPositionFor } from './map/lookup';
export type { GeneratedPosition, OriginalPosition } from './map/lookup';
