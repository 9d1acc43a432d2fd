import type { ExposedFile, Exposure, ExposureReport, Finding, FindingCode, ReportSummary, UniqueCounts } from '../types';

/** Options of {@link formatMarkdown}. */
export interface MarkdownOptions {
  /**
   * How many rows the "top" tables (directories, files, packages) list.
   * @default 10
   */
  top?: number;
  /** The command shown under "How to reproduce", verbatim; by default `npx sourcemap-forensics scan <target> --format json`. */
  command?: string;
}

const VERDICT: Readonly<Record<Exposure, string>> = {
  'first-party-source': 'EXPOSED: first-party original source can be recovered from the source maps',
  'third-party-source': 'THIRD-PARTY ONLY: only node_modules source can be recovered from the source maps',
  'paths-only': 'PATHS ONLY: source maps found, but they carry no source content',
  none: 'CLEAN: no source map found',
};

/** Findings that say what the recovered source gives away, beyond its mere presence. */
const LEAK_SIGNALS: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'SECRET_IN_SOURCE',
  'PRIVATE_KEY_IN_SOURCE',
  'INTERNAL_URL_IN_SOURCE',
  'COMMENTS_EXPOSED',
  'ABSOLUTE_SOURCE_PATHS',
  'DETECTOR_MATCH',
]);

/**
 * The report as GitHub-flavoured Markdown for an incident ticket: verdict, headline numbers, the most exposed
 * first-party directories and files, third-party packages, leak signals, every finding, and how to reproduce.
 * Several reports give one section each, separated by `---`. Pure and deterministic: the same report gives the
 * same text. Text from the artefact (paths, target names, messages) is escaped so it cannot break a table, open a
 * link or hide behind control or bidirectional characters. Secret values are never printed: findings carry
 * redacted messages, and of a `SECRET_IN_SOURCE` finding's args only `rule` is shown.
 *
 * Reports written before `summary.unique` and `files` existed are rendered without the parts that need them.
 */
export function formatMarkdown(report: ExposureReport | readonly ExposureReport[], options: MarkdownOptions = {}): string {
  const reports: readonly ExposureReport[] = isReportList(report) ? report : [report];
  return reports.map((r) => section(r, options)).join('\n---\n\n');
}

function isReportList(value: ExposureReport | readonly ExposureReport[]): value is readonly ExposureReport[] {
  return Array.isArray(value);
}

function section(report: ExposureReport, options: MarkdownOptions): string {
  const top = options.top === undefined || Number.isNaN(options.top) ? 10 : Math.max(0, Math.floor(options.top));
  const s = report.summary;
  // Typed as always present, but a report from an older writer (or loaded from an older JSON file) may lack them.
  const unique = (s as Partial<ReportSummary>).unique as UniqueCounts | undefined;
  const files = (report as Partial<ExposureReport>).files as ExposedFile[] | undefined;
  const out: string[] = [];

  out.push(`# Source map exposure: ${inline(report.target.name)}`, '');
  out.push(`**${VERDICT[s.exposure]} (${s.severity === 'none' ? 'no findings' : `highest severity: ${s.severity}`}).**`, '');
  const format = report.target.format ?? '';
  const memory = report.target.inMemory === true ? ', in memory' : '';
  out.push(`Target: ${code(report.target.name)} (${word(report.target.kind)}${format === '' ? '' : `, ${word(format)}`}${memory})`, '');

  out.push('## Headline numbers', '');
  const m = s.maps;
  out.push(
    ...table(
      ['Maps', 'External', 'Inline', 'Index', 'Invalid', 'Missing', 'Orphan', 'Remote'],
      [[m.total, m.external, m.inline, m.index, m.invalid, m.missing, m.orphan, m.remote].map(count)],
      'rrrrrrrr',
    ),
    '',
  );
  const party = partyCounts(report);
  const c = s.content;
  const summed = [
    count(s.sources.withContent),
    count(c.lines),
    size(c.bytes),
    count(party.firstFiles),
    count(c.firstPartyLines),
    size(c.firstPartyBytes),
    count(party.thirdFiles),
    count(c.thirdPartyLines),
    size(c.thirdPartyBytes),
    count(c.mappedLines),
    count(c.unmappedLines),
  ];
  const labels = [
    'Files with recoverable source',
    'Lines',
    'Bytes',
    'First-party files',
    'First-party lines',
    'First-party bytes',
    'Third-party files',
    'Third-party lines',
    'Third-party bytes',
    'Mapped lines (reached the bundle)',
    'Never-mapped lines (types, comments, dead code)',
  ];
  if (unique) {
    const distinct = [
      count(unique.files),
      count(unique.lines),
      size(unique.bytes),
      count(unique.firstPartyFiles),
      count(unique.firstPartyLines),
      size(unique.firstPartyBytes),
      count(unique.files - unique.firstPartyFiles),
      count(unique.lines - unique.firstPartyLines),
      size(unique.bytes - unique.firstPartyBytes),
      '—',
      '—',
    ];
    out.push(...table(['Recovered source', 'Distinct files', 'Summed over maps'], labels.map((label, i) => [label, distinct[i]!, summed[i]!]), 'lrr'));
  } else {
    out.push(...table(['Recovered source', 'Summed over maps'], labels.map((label, i) => [label, summed[i]!]), 'lr'));
  }
  out.push('');
  const a = s.archives;
  out.push(`- Archives opened: ${count(a.total)}${a.total > 0 ? ` (${count(a.entries)} entries, ${size(a.inflatedBytes)} inflated)` : ''}`);
  out.push(`- Files scanned: ${count(s.filesScanned)}; bytes read: ${size(s.bytesScanned)}`, '');

  if (files) {
    const first = files.filter((f) => f.origin === 'first-party');
    out.push('## Top exposed first-party directories', '');
    if (first.length === 0) {
      out.push('No first-party source is recoverable.', '');
    } else {
      const groups = new Map<string, { files: number; lines: number }>();
      for (const f of first) {
        const key = directoryGroup(f.path);
        const g = groups.get(key) ?? { files: 0, lines: 0 };
        g.files += 1;
        g.lines += f.lines;
        groups.set(key, g);
      }
      const rows = [...groups].sort(([ka, a], [kb, b]) => b.lines - a.lines || b.files - a.files || compare(ka, kb));
      out.push(...table(['Directory', 'Files', 'Lines'], rows.slice(0, top).map(([key, g]) => [cellCode(key), count(g.files), count(g.lines)]), 'lrr'));
      out.push(...more(rows.slice(top).map(([, g]) => g), 'directory', 'directories'));
      out.push('');

      out.push('## Top exposed first-party files', '');
      const sorted = [...first].sort((x, y) => y.lines - x.lines || y.bytes - x.bytes || compare(x.path, y.path) || compare(x.sha256, y.sha256));
      out.push(
        ...table(
          ['File', 'Lines', 'Bytes', 'SHA-256'],
          sorted.slice(0, top).map((f) => [cellCode(f.path), count(f.lines), size(f.bytes), cellCode(f.sha256.slice(0, 12))]),
          'lrrl',
        ),
      );
      out.push(...more(sorted.slice(top).map((f) => ({ files: 1, lines: f.lines })), 'file', 'files'));
      out.push('');
    }

    out.push('## Third-party packages', '');
    const packages = new Map<string, { files: number; lines: number }>();
    for (const f of files) {
      if (f.origin !== 'third-party') continue;
      const key = f.package ?? '(unknown package)';
      const g = packages.get(key) ?? { files: 0, lines: 0 };
      g.files += 1;
      g.lines += f.lines;
      packages.set(key, g);
    }
    if (packages.size === 0) {
      out.push('No third-party source is recoverable.', '');
    } else {
      const rows = [...packages].sort(([ka, a], [kb, b]) => b.lines - a.lines || b.files - a.files || compare(ka, kb));
      out.push(...table(['Package', 'Files', 'Lines'], rows.slice(0, top).map(([name, g]) => [cellCode(name), count(g.files), count(g.lines)]), 'lrr'));
      out.push(...more(rows.slice(top).map(([, g]) => g), 'package', 'packages'));
      out.push('');
    }
  }

  out.push('## Leak signals', '');
  const signals = report.findings.filter((f) => LEAK_SIGNALS.has(f.code));
  if (signals.length === 0) {
    out.push('None: no secret, private key, internal URL, exposed comments, absolute source path or custom detector match was reported.', '');
  } else {
    out.push(
      ...table(
        ['Severity', 'Code', 'Where', 'Message'],
        signals.map((f) => [word(f.severity), word(f.code), cellCode(where(f)), cell(signalMessage(f))]),
        'llll',
      ),
      '',
    );
  }

  out.push('## All findings', '');
  if (report.findings.length === 0) {
    out.push('No findings.', '');
  } else {
    out.push(
      ...table(
        ['Severity', 'Code', 'Location', 'Message'],
        report.findings.map((f) => [word(f.severity), word(f.code), location(f), cell(f.message)]),
        'llll',
      ),
      '',
    );
  }

  out.push('## How to reproduce', '');
  const command = options.command ?? defaultCommand(report);
  const block = [
    `# ${oneLine(report.tool.name)} ${oneLine(report.tool.version)}, report schemaVersion ${oneLine(report.schemaVersion)}`,
    ...command.split(/\r\n|\r|\n/),
  ];
  const fence = '`'.repeat(Math.max(3, longestRun(block.join('\n'), '`') + 1));
  out.push(`${fence}sh`, ...block, fence);
  if (report.target.inMemory === true || report.target.kind === 'files' || report.target.kind === 'map') {
    out.push('', `The target was given in memory: ${code(report.target.name)} is a label, not a path that can be scanned again.`);
  }
  return `${out.join('\n')}\n`;
}

/** First- and third-party sources with content, summed over maps (what `summary.sources` does not split). */
function partyCounts(report: ExposureReport): { firstFiles: number; thirdFiles: number } {
  let firstFiles = 0;
  let thirdFiles = 0;
  for (const map of report.maps) {
    for (const f of map.files) {
      if (!f.hasContent) continue;
      if (f.thirdParty) thirdFiles += 1;
      else firstFiles += 1;
    }
  }
  return { firstFiles, thirdFiles };
}

const PREFIX_SCHEMES: ReadonlySet<string> = new Set([
  'webpack',
  'webpack-internal',
  'rspack',
  'turbopack',
  'vite',
  'rollup',
  'parcel',
  'esbuild',
  'ng',
  'file',
  'http',
  'https',
]);
const SOURCE_ROOTS: ReadonlySet<string> = new Set(['src', 'source', 'sources', 'lib']);

/**
 * The directory group of a normalised `files[].path`, for "Top exposed first-party directories".
 *
 * Rule: the file's folder (the path without its last segment) is split into a prefix and the rest. The prefix is
 * `__outside__` (sources that climbed above the target) and/or a leading scheme folder (`webpack`, `vite`,
 * `file`…, as the normalisation turns `webpack://` into `webpack/`); it is kept in the group name, so the group
 * still names a real place of the tree. Under the prefix, when a folder named `src`, `source`, `sources` or `lib`
 * appears, the group is everything up to it plus one folder under it; otherwise the group is the first two
 * folders. Examples:
 *
 * - `__outside__/src/commands/chat.ts` → `__outside__/src/commands`; `__outside__/src/cli.ts` → `__outside__/src`
 * - `webpack/app/src/components/Button/index.tsx` → `webpack/app/src/components`
 * - `packages/core/src/util/deep/x.ts` → `packages/core/src/util`; `tools/build/steps/a/b.ts` → `tools/build`
 * - `index.ts` (no folder) → `.`
 *
 * So a shallow tree groups by its real folders, and a deep one by the first meaningful level (feature folders
 * under `src/`, or a monorepo's packages) instead of scattering into one group per leaf folder.
 */
export function directoryGroup(path: string): string {
  const folders = path.split('/').filter((segment) => segment !== '');
  folders.pop();
  const prefix: string[] = [];
  if (folders[0] === '__outside__') prefix.push(folders.shift()!);
  if (folders.length > 0 && PREFIX_SCHEMES.has(folders[0]!.toLowerCase())) prefix.push(folders.shift()!);
  const root = folders.findIndex((segment) => SOURCE_ROOTS.has(segment.toLowerCase()));
  const kept = root === -1 ? folders.slice(0, 2) : folders.slice(0, root + 2);
  const group = [...prefix, ...kept].join('/');
  return group === '' ? '.' : group;
}

/** "… and N more directories (F files, L lines)." after a truncated top list; nothing when nothing was left out. */
function more(rest: readonly { files: number; lines: number }[], one: string, many: string): string[] {
  if (rest.length === 0) return [];
  const files = rest.reduce((sum, g) => sum + g.files, 0);
  const lines = rest.reduce((sum, g) => sum + g.lines, 0);
  const what = one === 'file' ? '' : `${count(files)} file${files === 1 ? '' : 's'}, `;
  return ['', `… and ${count(rest.length)} more ${rest.length === 1 ? one : many} (${what}${count(lines)} line${lines === 1 ? '' : 's'}).`];
}

/** `source:line` of a leak signal (the map's path when the finding names no source). */
function where(f: Finding): string {
  const place = f.location.source ?? f.location.path;
  return f.location.line === undefined ? place : `${place}:${f.location.line}`;
}

/**
 * The finding's message (the library renders it without the secret). Of a secret's args only `rule` may be added,
 * when the message does not already name it; nothing else of the args is ever printed.
 */
function signalMessage(f: Finding): string {
  const rule = f.args.rule;
  if (f.code === 'SECRET_IN_SOURCE' && typeof rule === 'string' && rule !== '' && !f.message.includes(rule)) return `${f.message} (rule: ${rule})`;
  return f.message;
}

/** The location cell of a finding: the path inside the target, then the source entry it is about. */
function location(f: Finding): string {
  const l = f.location;
  const line = l.line === undefined ? '' : `:${l.line}`;
  if (l.source === undefined) return cellCode(`${l.path}${line}`);
  return `${cellCode(l.path)} → ${cellCode(`${l.source}${line}`)}`;
}

function defaultCommand(report: ExposureReport): string {
  const flags = report.target.kind === 'package' ? ' --publishable' : '';
  return `npx sourcemap-forensics scan${flags} ${shellQuote(report.target.name)} --format json`;
}

// ---------------------------------------------------------------------------------------------------------------
// Escaping. Everything below treats its input as hostile: it comes from the artefact or the caller.

/** Characters that would be invisible, reorder text (Trojan Source) or break a line: shown as escapes. */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Hidden characters as `\n`, `\t`, `\u202e`…, so they are seen and cannot act. */
function reveal(text: string): string {
  return text.replace(HIDDEN, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for one line outside a code span (a heading, a table cell): Markdown syntax escaped, hidden characters revealed. */
function inline(text: string): string {
  // Every ASCII punctuation mark that can start Markdown or HTML syntax here (mid-line, after other text): emphasis,
  // code, links and images (`[`), raw HTML and autolinks (`<`), entities, strikethrough, cell separators, a heading's
  // closing `#`s. Parentheses need no escape once `[` and `]` have one.
  return reveal(text.replace(/[\\`*_[\]<>#|~&]/g, (ch) => `\\${ch}`));
}

/** A table cell of prose: like {@link inline}, but newlines become `<br>` so a multi-line message stays one row. */
function cell(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => inline(line))
    .join('<br>');
}

/**
 * A keyword of the report (severity, code, kind) as it is when it is one (`FIRST_PARTY_SOURCE_EXPOSED` needs no
 * escape: underscores inside a word are not emphasis), escaped like prose when a hand-made report holds anything else.
 */
function word(text: string): string {
  return /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/.test(text) ? text : cell(text);
}

/** A code span that holds `text` whatever it contains: a fence longer than its longest backtick run. */
function code(text: string): string {
  const shown = reveal(text);
  if (shown === '') return '(empty)';
  const fence = '`'.repeat(longestRun(shown, '`') + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || (shown.startsWith(' ') && shown.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * A code span inside a table cell. GFM splits cells on `|` before it sees code spans, so pipes are written `\|`
 * (GFM removes that backslash again). A backslash right before a pipe cannot be said inside a code span (`\\|`
 * would still split the cell), so such text is written as escaped prose instead.
 */
function cellCode(text: string): string {
  if (/\\\|/.test(reveal(text))) return inline(text);
  return code(text).replace(/\|/g, '\\|');
}

/** A value on one line of the reproduce block (tool name, versions): no line breaks, nothing hidden. */
function oneLine(text: string): string {
  return reveal(text);
}

/** A shell word: bare when harmless, single-quoted otherwise, `$'…'` when it holds hidden characters. */
function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  if (new RegExp(HIDDEN.source).test(word)) {
    const body = word.replace(/[\\']/g, (ch) => `\\${ch}`).replace(HIDDEN, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return `$'${body}'`;
  }
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A Markdown table; `align` has one letter per column, `l` or `r`. */
function table(head: string[], rows: string[][], align: string): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (align[i] === 'r' ? '---:' : '---'))), ...rows.map(line)];
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers, the same on every machine (no locale).

/** `24453` → `24,453`. */
function count(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  const [whole, fraction] = String(Math.abs(value)).split('.');
  return `${sign}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** Exact and human: `741 B`, `24,453 (23.9 KiB)`, `1,073,741,824 (1.0 GiB)`. */
function size(bytes: number): string {
  if (!Number.isFinite(bytes) || Math.abs(bytes) < 1024) return `${count(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (unit < UNITS.length - 1 && Math.abs(Number(value.toFixed(1))) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  return `${count(bytes)} (${value.toFixed(1)} ${UNITS[unit]})`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
