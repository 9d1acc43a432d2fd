import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { reaches, SEVERITIES } from '../findings';
import { formatJson, formatText, isForensicsError, scanSync, VERSION } from '../node';
import type { ExposureReport, ScanProgress, Severity } from '../node';

const USAGE = `Usage: sourcemap-forensics scan <target...> [options]

Measure how much original source each target (a source map, a generated file, or a directory)
exposes through its source maps.

Options:
  --format text|json     output format (default: text); json with several targets is an array
  --output FILE          write the output to FILE instead of standard output
  --fail-on LEVEL        exit 1 when a finding is LEVEL or worse: critical|high|medium|low
  --quiet                print nothing on standard output and no progress (errors still go to stderr)
  -h, --help             show this help
  -v, --version          print the version

Exit codes: 0 done; 1 a finding reached --fail-on; 2 usage error or unreadable target.
`;

/** A usage problem: reported in one line, exit 2. */
class UsageError extends Error {}

function main(argv: readonly string[]): number {
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
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const [command, ...targets] = positionals;
    if (command !== 'scan') throw new UsageError(command === undefined ? 'missing command: use "scan <target...>"' : `unknown command ${JSON.stringify(command)}: use "scan <target...>"`);
    if (targets.length === 0) throw new UsageError('scan needs at least one target');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got ${JSON.stringify(format)}`);
    const failOn = values['fail-on'];
    if (failOn !== undefined && !(SEVERITIES as readonly string[]).includes(failOn)) {
      throw new UsageError(`--fail-on must be one of critical, high, medium, low, info; got ${JSON.stringify(failOn)}`);
    }
    return run(targets, format, values.output, failOn as Severity | undefined, values.quiet === true);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
}

function run(targets: string[], format: 'text' | 'json', output: string | undefined, failOn: Severity | undefined, quiet: boolean): number {
  const reports: ExposureReport[] = [];
  let unreadable = false;
  const progress = !quiet && process.stderr.isTTY ? createProgress() : undefined;
  for (const target of targets) {
    try {
      reports.push(scanSync(target, progress ? { onProgress: (p) => progress.update(target, p) } : undefined));
    } catch (error) {
      if (!isForensicsError(error)) throw error;
      progress?.clear();
      process.stderr.write(`sourcemap-forensics: ${error.message.replace(/^\[sourcemap-forensics\] /, '')}\n`);
      unreadable = true;
    }
    progress?.clear();
  }
  const text =
    format === 'json'
      ? formatJson(targets.length === 1 && reports.length === 1 ? reports[0]! : reports)
      : reports.map((r) => formatText(r)).join('\n');
  if (output !== undefined) {
    try {
      writeFileSync(output, text);
    } catch (error) {
      process.stderr.write(`sourcemap-forensics: cannot write ${JSON.stringify(output)}: ${(error as Error).message}\n`);
      return 2;
    }
  } else if (!quiet) {
    process.stdout.write(text);
  }
  if (unreadable) return 2;
  if (failOn !== undefined && reports.some((r) => reaches(r.summary.severity, failOn))) return 1;
  return 0;
}

/** One self-overwriting stderr line, at most ten updates a second. */
function createProgress() {
  let last = 0;
  let shown = false;
  return {
    update(target: string, p: ScanProgress): void {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const mb = (p.bytesRead / 1e6).toFixed(1);
      process.stderr.write(`\r\x1b[Kscanning ${target}: ${p.filesDone}/${p.filesTotal} files, ${mb} MB read`);
    },
    clear(): void {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

function usage(message: string): number {
  process.stderr.write(`sourcemap-forensics: ${message}\nRun "sourcemap-forensics --help" for usage.\n`);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  // A bug, not bad input: say so in one line; the stack only when asked for.
  process.stderr.write(`sourcemap-forensics: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.SOURCEMAP_FORENSICS_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 2;
}
