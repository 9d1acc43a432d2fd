import type { Severity } from '../types';

/** A place in recovered source. */
export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 0-based column, UTF-16 units. */
  column: number;
}

/** What a caller's detector sees: one recovered file. */
export interface DetectorInput {
  /** The map it came from (path inside the target). */
  map: string;
  /** The raw `sources` entry. */
  source: string | null;
  /** The `sourceRoot`-joined path. */
  path: string | null;
  /** The recovered content. */
  content: string;
  /** The raw entry contains `node_modules/`. */
  thirdParty: boolean;
}

/** One match of a detector. */
export interface DetectorMatch {
  /** 1-based line in the recovered file. */
  line: number;
  /** 0-based column, UTF-16 units. */
  column: number;
  /** How bad it is. */
  severity: Severity;
  /** One sentence; never the secret itself. */
  message: string;
  /** A stable name of what matched, for de-duplication (`rule` in the finding's args). */
  rule?: string;
}

/** A caller's own check over each recovered file (the `detectors` scan option). Must not throw; a throw is reported. */
export interface Detector {
  /** Name shown in findings (`args.detector`). */
  name: string;
  /** Matches in one file; empty when none. */
  detect(file: DetectorInput): readonly DetectorMatch[];
}

/** 1-based line and 0-based column of a UTF-16 offset, counting `\n` from `from` (a known line start). */
export function positionAt(text: string, offset: number, from = 0, fromLine = 1): SourcePosition {
  let line = fromLine;
  let start = from;
  let at = text.indexOf('\n', from);
  while (at !== -1 && at < offset) {
    line++;
    start = at + 1;
    at = text.indexOf('\n', start);
  }
  return { line, column: offset - start };
}

/** Private key blocks: `-----BEGIN … PRIVATE KEY-----` (PEM, OpenSSH, PGP). */
export function findPrivateKeys(text: string): (SourcePosition & { kind: string })[] {
  const found: (SourcePosition & { kind: string })[] = [];
  let at = text.indexOf('-----BEGIN ');
  while (at !== -1) {
    const end = text.indexOf('-----', at + 11);
    if (end !== -1 && end - at < 80) {
      const kind = text.slice(at + 11, end);
      if (/PRIVATE KEY( BLOCK)?$/.test(kind)) found.push({ ...positionAt(text, at), kind });
    }
    at = text.indexOf('-----BEGIN ', at + 11);
  }
  return found;
}

const INTERNAL_SUFFIX = /\.(internal|intranet|corp|local|lan|private|home\.arpa|localdomain)$/i;

/** True for hosts that only resolve inside an organisation: private and loopback IPs, `localhost`, internal suffixes. */
export function isInternalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || INTERNAL_SUFFIX.test(h)) return true;
  // A label that says so, anywhere in the name: api.internal.acme.com, git.corp.example.
  if (h.split('.').some((label) => label === 'internal' || label === 'intranet' || label === 'corp')) return true;
  const ip = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (ip) {
    const [a, b] = [Number(ip[1]), Number(ip[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  // IPv6 loopback and unique-local addresses.
  return h === '::1' || /^f[cd][0-9a-f]{2}:/.test(h);
}

/** `http(s)://` and `ws(s)://` URLs with an internal host: first position and count per host. */
export function findInternalUrls(text: string): (SourcePosition & { host: string; url: string; occurrences: number })[] {
  const byHost = new Map<string, SourcePosition & { host: string; url: string; occurrences: number }>();
  let at = text.indexOf('://');
  let lastOffset = 0;
  let lastLine = 1;
  while (at !== -1) {
    const schemeStart = scanBack(text, at);
    const scheme = text.slice(schemeStart, at).toLowerCase();
    if (scheme === 'http' || scheme === 'https' || scheme === 'ws' || scheme === 'wss') {
      let end = at + 3;
      while (end < text.length && end - at < 300 && !/[\s"'`<>()\\{}|^]/.test(text[end]!)) end++;
      const url = text.slice(schemeStart, end);
      const authority = url.slice(scheme.length + 3).split(/[/?#]/, 1)[0]!;
      const host = authority.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
      if (host && isInternalHost(host)) {
        const seen = byHost.get(host);
        if (seen) seen.occurrences++;
        else {
          const position = positionAt(text, schemeStart, lastOffset, lastLine);
          // Positions are found in order: resume counting lines from the last one.
          lastOffset = schemeStart - position.column;
          lastLine = position.line;
          byHost.set(host, { ...position, host, url, occurrences: 1 });
        }
      }
    }
    at = text.indexOf('://', at + 3);
  }
  return [...byHost.values()];
}

function scanBack(text: string, at: number): number {
  let i = at;
  while (i > 0 && at - i < 10 && /[A-Za-z]/.test(text[i - 1]!)) i--;
  return i;
}
