import type { FindingCode, Severity } from './types';

/** Severity of each finding code. A code's severity is part of the report contract: changing one is a minor version. */
export const FINDING_SEVERITY: Readonly<Record<FindingCode, Severity>> = {
  FIRST_PARTY_SOURCE_EXPOSED: 'critical',
  SECRET_IN_SOURCE: 'critical',
  PRIVATE_KEY_IN_SOURCE: 'critical',
  INTERNAL_URL_IN_SOURCE: 'medium',
  COMMENTS_EXPOSED: 'low',
  DETECTOR_MATCH: 'info',
  ABSOLUTE_SOURCE_PATHS: 'medium',
  MAP_URL_OUTSIDE_TARGET: 'medium',
  ARCHIVE_LIMIT: 'medium',
  MAP_LIMIT: 'medium',
  MAP_ENCODING_INVALID: 'low',
  ARCHIVE_CORRUPT: 'low',
  THIRD_PARTY_SOURCE_EXPOSED: 'low',
  MAP_SPEC_VIOLATION: 'low',
  MAP_UNREADABLE: 'low',
  FILE_UNREADABLE: 'low',
  SOURCE_PATHS_EXPOSED: 'info',
  MAP_MISSING: 'info',
  MAP_REMOTE: 'info',
  MAP_ORPHAN: 'info',
};

/** Severities, highest first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** 0 for `critical` up to 4 for `info`: lower is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is `threshold` or worse. */
export function reaches(severity: Severity | 'none', threshold: Severity): boolean {
  return severity !== 'none' && severityRank(severity) <= severityRank(threshold);
}
