import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { reaches, SEVERITIES } from '../findings';
import { writeText } from './write';
import { checkPolicy, diffReports, evaluatePolicy, extractSources, formatDiffText, formatJson, formatMarkdown, formatSarif, formatText, isForensicsError, scanMany, VERSION } from '../node';
import type { AnyScanOptions, ExposurePolicy, ExposureReport, ScanOptions, ScanProgress, Severity } from '../node';

const USAGE = `Usage: sourcemap-forensics scan <target...> [options]
       sourcemap-forensics diff <old-report.json> <new-report.json> [--format text|json] [--output FILE]

Measure how much original source each target exposes through its source maps. A target is a source
map, a generated file, an archive (.tgz .tar .zip .vsix .jar .xpi .whl .crx, told by content), a
directory, npm:<name>@<version> (a registry package), or an http(s):// page or script.

Options:
  --format text|json     output format (default: text); json with several targets is an array, and
                         is indented only on a terminal (one line in a file or a pipe)
  --format markdown      a Markdown report for a ticket; several targets are separated by ---
  --format sarif         a SARIF 2.1.0 log (GitHub code scanning); one run per target
  --output FILE          write the output to FILE instead of standard output
  --fail-on LEVEL        exit 1 when a finding is LEVEL or worse: critical|high|medium|low
  --policy FILE          exit 1 when a target breaks the exposure policy in FILE (JSON; see the README)
  --publishable          scan only the files \`npm pack\` would publish from each target directory
  --extract DIR          write every recoverable source under DIR, with DIR/manifest.json (one target)
  --force                let --extract write into a folder that is not empty
  --registry URL         npm registry for npm: targets (default: the npm configuration's)
  --max-total-bytes N    inflated bytes allowed over the scan (default 1073741824)
  --max-entry-bytes N    inflated bytes allowed for one archive entry (default 536870912)
  --max-entries N        archive entries allowed over the scan (default 200000)
  --max-depth N          archives inside archives (default 3)
  --max-ratio N          largest inflated/compressed ratio past 16 MiB (default 200)
  --max-map-bytes N      bytes of one map; larger maps are reported, not parsed (default 268435456)
  --max-sources N        sources of one map; maps with more are reported, not measured (default 100000)
  --max-requests N       HTTP requests allowed per site target (default 100)
  --jobs N               worker threads for several targets or a folder of many maps (default: the
                         available cores); 1 scans everything in this thread
  --no-signals           skip leak signals (secrets, private keys, internal URLs, comments) in recovered source
  --quiet                print nothing on standard output and no progress (errors still go to stderr)
  -h, --help             show this help
  -v, --version          print the version

Exit codes: 0 done; 1 a finding reached --fail-on; 2 usage error or unreadable target.
`;

const NUMERIC = {
  'max-total-bytes': 'maxTotalBytes',
  'max-entry-bytes': 'maxEntryBytes',
  'max-entries': 'maxEntries',
  'max-depth': 'maxDepth',
  'max-ratio': 'maxRatio',
  'max-map-bytes': 'maxMapBytes',
  'max-sources': 'maxSources',
} as const;

/** A usage problem: reported in one line, exit 2. */
class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string' },
        quiet: { type: 'boolean' },
        publishable: { type: 'boolean' },
        policy: { type: 'string' },
        'no-signals': { type: 'boolean' },
        extract: { type: 'string' },
        force: { type: 'boolean' },
        registry: { type: 'string' },
        'max-total-bytes': { type: 'string' },
        'max-entry-bytes': { type: 'string' },
        'max-entries': { type: 'string' },
        'max-depth': { type: 'string' },
        'max-ratio': { type: 'string' },
        'max-map-bytes': { type: 'string' },
        'max-sources': { type: 'string' },
        'max-requests': { type: 'string' },
        jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    toStdout(USAGE);
    return 0;
  }
  if (values.version) {
    toStdout(`${VERSION}\n`);
    return 0;
  }
  try {
    const [command, ...targets] = positionals;
    if (command === 'diff') return diff(targets, values.format ?? 'text', values.output);
    if (command !== 'scan') {
      throw new UsageError(command === undefined ? 'missing command: use "scan <target...>"' : `unknown command ${JSON.stringify(command)}: use "scan <target...>" or "diff <old> <new>"`);
    }
    if (targets.length === 0) throw new UsageError('scan needs at least one target');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json' && format !== 'markdown' && format !== 'sarif') throw new UsageError(`--format must be text, json, markdown or sarif, got ${JSON.stringify(format)}`);
    const failOn = values['fail-on'];
    if (failOn !== undefined && !(SEVERITIES as readonly string[]).includes(failOn)) {
      throw new UsageError(`--fail-on must be one of critical, high, medium, low, info; got ${JSON.stringify(failOn)}`);
    }
    const limits: ScanOptions = values['no-signals'] ? { signals: false } : {};
    for (const [flag, key] of Object.entries(NUMERIC)) {
      const value = values[flag as keyof typeof NUMERIC];
      if (value !== undefined) limits[key] = count(flag, value);
    }
    const maxRequests = values['max-requests'] === undefined ? undefined : count('max-requests', values['max-requests']);
    const jobs = values.jobs === undefined ? undefined : count('jobs', values.jobs);
    if (jobs === 0) throw new UsageError('--jobs must be at least 1');
    if (values.extract !== undefined && targets.length !== 1) throw new UsageError('--extract takes exactly one target');
    if (values.force && values.extract === undefined) throw new UsageError('--force only applies to --extract');
    const policy = values.policy === undefined ? undefined : readPolicy(values.policy);
    return await run(targets, {
      policy,
      format,
      output: values.output,
      failOn: failOn as Severity | undefined,
      quiet: values.quiet === true,
      publishable: values.publishable === true,
      registry: values.registry,
      limits,
      maxRequests,
      jobs,
      extract: values.extract,
      force: values.force === true,
    });
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
}

/** A non-negative integer flag value, or a usage error naming the flag. */
function count(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Reads and checks a policy file; a bad one is a usage error naming it. */
function readPolicy(file: string): ExposurePolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --policy ${JSON.stringify(file)}: ${(error as Error).message}`);
  }
  try {
    return checkPolicy(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`--policy ${JSON.stringify(file)}: ${(error as Error).message.replace(/^\[sourcemap-forensics\] /, '')}`);
  }
}

/** `diff old.json new.json`: what became exposed, what stopped, what changed. */
function diff(files: string[], format: string, output: string | undefined): number {
  if (files.length !== 2) throw new UsageError('diff takes two report files: diff <old.json> <new.json>');
  if (format !== 'text' && format !== 'json') throw new UsageError(`diff --format must be text or json, got ${JSON.stringify(format)}`);
  const reports = files.map((file) => {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read report ${JSON.stringify(file)}: ${(error as Error).message}`);
    }
    if (Array.isArray(value)) throw new UsageError(`${file} holds several reports; diff compares one report with one report`);
    return value as ExposureReport;
  });
  let result;
  try {
    result = diffReports(reports[0]!, reports[1]!);
  } catch (error) {
    if (isForensicsError(error)) throw new UsageError(error.message.replace(/^\[sourcemap-forensics\] /, ''));
    throw error;
  }
  const text = format === 'json' ? `${JSON.stringify(result, null, compactJson(output) ? undefined : 2)}\n` : formatDiffText(result);
  if (output !== undefined) writeText(output, text);
  else toStdout(text);
  return 0;
}

interface RunOptions {
  policy: ExposurePolicy | undefined;
  format: 'text' | 'json' | 'markdown' | 'sarif';
  output: string | undefined;
  failOn: Severity | undefined;
  quiet: boolean;
  publishable: boolean;
  registry: string | undefined;
  limits: ScanOptions;
  maxRequests: number | undefined;
  jobs: number | undefined;
  extract: string | undefined;
  force: boolean;
}

/** The scan options of the target kinds, from the flags. */
function anyOptions(o: RunOptions, options: ScanOptions): AnyScanOptions {
  const any: AnyScanOptions = { ...options, publishable: o.publishable };
  if (o.registry !== undefined) any.registry = o.registry;
  if (o.maxRequests !== undefined) any.maxRequests = o.maxRequests;
  if (o.jobs !== undefined) any.jobs = o.jobs;
  return any;
}

/** `--extract`: one target, scanned in this thread (the extractor needs every map's contents here). */
async function extractTarget(target: string, o: RunOptions, extract: string, options: ScanOptions): Promise<ExposureReport> {
  const { report, manifest } = await extractSources(target, extract, { ...anyOptions(o, options), force: o.force });
  if (!o.quiet) {
    const s = manifest.summary;
    toStderr(
      `sourcemap-forensics: extracted ${s.written} files (${s.bytes} bytes, ${s.lines} lines) to ${extract}; ` +
        `${s.skipped} not written, ${s.sanitized} renamed to stay inside or be portable; see ${extract}/manifest.json\n`,
    );
  }
  return report;
}

/** Every target, in order: several at once in worker threads (`--jobs`); a failed one is `rejected`. */
async function scanTargets(targets: string[], o: RunOptions, progress: ReturnType<typeof createProgress> | undefined): Promise<PromiseSettledResult<ExposureReport>[]> {
  const label = targets.length === 1 ? targets[0]! : `${targets.length} targets`;
  const options: ScanOptions = progress ? { ...o.limits, onProgress: (p) => progress.update(label, p) } : { ...o.limits };
  if (o.extract === undefined) return scanMany(targets, anyOptions(o, options));
  try {
    return [{ status: 'fulfilled', value: await extractTarget(targets[0]!, o, o.extract, options) }];
  } catch (reason) {
    return [{ status: 'rejected', reason }];
  }
}

async function run(targets: string[], o: RunOptions): Promise<number> {
  const { format, output, failOn, quiet } = o;
  const reports: ExposureReport[] = [];
  let unreadable = false;
  const progress = quiet ? undefined : createProgress();
  const results = await scanTargets(targets, o, progress);
  progress?.clear();
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') {
      reports.push(result.value);
      continue;
    }
    const error: unknown = result.reason;
    // A target that cannot be read is reported and the others still are; anything else is a bug, said as one.
    const message = isForensicsError(error)
      ? error.message.replace(/^\[sourcemap-forensics\] /, '')
      : `internal error while scanning ${targets[i]}: ${error instanceof Error ? error.message : String(error)}`;
    toStderr(`sourcemap-forensics: ${message}\n`);
    if (!isForensicsError(error) && process.env.SOURCEMAP_FORENSICS_DEBUG) toStderr(`${(error as Error).stack}\n`);
    unreadable = true;
  }
  // JSON: one target gives an object (nothing when it failed), several an array of the reports that could be made.
  const compact = format === 'json' && compactJson(output);
  const text =
    format === 'json'
      ? targets.length === 1
        ? reports.length === 1
          ? formatJson(reports[0]!, { compact })
          : ''
        : formatJson(reports, { compact })
      : format === 'markdown'
        ? formatMarkdown(reports)
        : format === 'sarif'
          ? formatSarif(reports)
          : reports.map((r) => formatText(r)).join('\n');
  if (output !== undefined) {
    try {
      writeText(output, text);
    } catch (error) {
      toStderr(`sourcemap-forensics: cannot write ${JSON.stringify(output)}: ${(error as Error).message}\n`);
      return 2;
    }
  } else if (!quiet) {
    toStdout(text);
  }
  if (unreadable) return 2;
  let violated = false;
  if (o.policy !== undefined) {
    for (const report of reports) {
      const violations = evaluatePolicy(report, o.policy);
      if (violations.length === 0) continue;
      violated = true;
      toStderr(`sourcemap-forensics: ${report.target.name} breaks the policy (${violations.length} violations):\n`);
      for (const v of violations) toStderr(`  ${v.rule}  ${v.map}${v.file ? `  ${v.file}` : ''}: ${v.message}\n`);
    }
  }
  if (violated) return 1;
  if (failOn !== undefined && reports.some((r) => reaches(r.summary.severity, failOn))) return 1;
  return 0;
}

/**
 * One self-overwriting stderr line when stderr is a terminal, at most ten updates a second, from a quarter of a second
 * on: a shorter scan never touches `process.stderr`, whose stream costs a small map's scan a few ms of start-up.
 */
function createProgress() {
  let last = Date.now() + 150;
  let shown = false;
  let terminal: boolean | undefined;
  return {
    update(target: string, p: ScanProgress): void {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      terminal ??= process.stderr.isTTY === true;
      if (!terminal) return;
      shown = true;
      const mb = (p.bytesRead / 1e6).toFixed(1);
      const archives = p.archiveEntries > 0 ? `, ${p.archiveEntries} archive entries, ${(p.bytesInflated / 1e6).toFixed(1)} MB inflated` : '';
      toStderr(`\r\x1b[Kscanning ${target}: ${p.filesDone}/${p.filesTotal} files, ${mb} MB read${archives}`);
    },
    clear(): void {
      if (shown) toStderr('\r\x1b[K');
      shown = false;
    },
  };
}

/**
 * JSON is indented only for a terminal: a file or a pipe gets it on one line, a third smaller and quicker to write
 * (as the GitHub CLI does with --json).
 */
function compactJson(output: string | undefined): boolean {
  return output !== undefined || process.stdout.isTTY !== true;
}

function usage(message: string): number {
  toStderr(`sourcemap-forensics: ${message}\nRun "sourcemap-forensics --help" for usage.\n`);
  return 2;
}

/** Set once anything went to stdout or stderr (see {@link end}). */
let streamed = false;

function toStdout(text: string): void {
  streamed = true;
  process.stdout.write(text);
}

function toStderr(text: string): void {
  streamed = true;
  process.stderr.write(text);
}

/**
 * Exits as soon as the work is done and everything written has gone out: leaving it to the event loop costs a short
 * scan a garbage collection V8 schedules for then, and the heap's teardown (about 2 ms of a 120 ms scan). Output still
 * queued (pipes are written asynchronously on macOS) is left to drain, with the exit code set.
 */
function end(code: number): void {
  process.exitCode = code;
  if (!streamed || (process.stdout.writableLength === 0 && process.stderr.writableLength === 0)) process.exit(code);
}

main(process.argv.slice(2)).then(end, (error: unknown) => {
  // A bug, not bad input: say so in one line; the stack only when asked for.
  toStderr(`sourcemap-forensics: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.SOURCEMAP_FORENSICS_DEBUG) toStderr(`${(error as Error).stack}\n`);
  end(2);
});
