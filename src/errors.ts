/**
 * Stable codes of {@link ForensicsError}: misuse of the API or an input that cannot be read at all.
 * Problems found *inside* a scan are findings, not errors (see `findings.ts`).
 */
export type ErrorCode =
  /** `parseSourceMap` was given a map that ECMA-426 rejects; `diagnostics` says why. */
  | 'INVALID_SOURCE_MAP'
  /** An option has the wrong type or value, or is unknown. */
  | 'INVALID_OPTION'
  /** The scan target is neither a path, `{ bytes, name }` nor `{ files }`. */
  | 'INVALID_TARGET'
  /** A path target does not exist or cannot be read. */
  | 'TARGET_UNREADABLE'
  /** A path target was given to the browser-safe entry, which has no file system. */
  | 'PATH_NEEDS_NODE'
  /** The npm registry could not answer: unreachable, HTTP error, unknown package or version, oversized response. */
  | 'REGISTRY_ERROR'
  /** A downloaded tarball does not match the integrity the registry publishes for it. */
  | 'INTEGRITY_MISMATCH'
  /** A site target could not be fetched at all (its first page or script). */
  | 'FETCH_ERROR'
  /** The extraction folder exists and is not empty (pass `force`). */
  | 'OUTPUT_NOT_EMPTY'
  /** The extraction folder cannot be created or written, or is not a plain folder (a link, a file). */
  | 'OUTPUT_UNWRITABLE'
  /** `assertNoExposure`: the target breaks the policy; `violations` lists each offending map and file. */
  | 'POLICY_VIOLATION';

/** A problem the caller must fix; `code` is stable, `message` names the offending value. */
export class ForensicsError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Validation diagnostics, for `INVALID_SOURCE_MAP`. */
  readonly diagnostics: readonly import('./map/diagnostics').Diagnostic[];
  /** Each offending map and file, for `POLICY_VIOLATION`. */
  readonly violations: readonly import('./report/policy').PolicyViolation[];

  constructor(
    code: ErrorCode,
    message: string,
    diagnostics: readonly import('./map/diagnostics').Diagnostic[] = [],
    violations: readonly import('./report/policy').PolicyViolation[] = [],
  ) {
    super(`[sourcemap-forensics] ${message}`);
    this.name = 'ForensicsError';
    this.code = code;
    this.diagnostics = diagnostics;
    this.violations = violations;
  }
}

/** True when `error` is a {@link ForensicsError}, also across bundle copies of this class. */
export function isForensicsError(error: unknown): error is ForensicsError {
  return error instanceof Error && error.name === 'ForensicsError' && typeof (error as ForensicsError).code === 'string';
}
