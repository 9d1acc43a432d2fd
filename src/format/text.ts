import type { Exposure, ExposureReport, SourceEntry } from '../types';

const VERDICT: Readonly<Record<Exposure, string>> = {
  'first-party-source': 'EXPOSED: first-party original source can be recovered from source maps',
  'third-party-source': 'THIRD-PARTY ONLY: only node_modules source can be recovered',
  'paths-only': 'PATHS ONLY: source maps found, but they carry no source content',
  none: 'CLEAN: no source map found',
};

/** Options of {@link formatText}. */
export interface TextOptions {
  /**
   * How many first-party files to list.
   * @default 10
   */
  top?: number;
}

const n = (value: number): string => value.toLocaleString('en-US');
const plural = (value: number, word: string): string => `${n(value)} ${word}${value === 1 ? '' : 's'}`;

/** A short human summary: verdict first, then counts, then the top exposed first-party files and the findings. */
export function formatText(report: ExposureReport, options: TextOptions = {}): string {
  const top = options.top ?? 10;
  const s = report.summary;
  const out: string[] = [];
  out.push(`sourcemap-forensics ${report.tool.version}: ${report.target.name} (${report.target.kind})`);
  out.push(`${VERDICT[s.exposure]}${s.severity === 'none' ? '' : ` [${s.severity}]`}`);
  out.push('');
  const m = s.maps;
  out.push(
    `Maps     ${n(m.total)} found: ${n(m.external)} external, ${n(m.inline)} inline, ${n(m.index)} index; ` +
      `${n(m.invalid)} invalid, ${n(m.missing)} missing, ${n(m.orphan)} orphan, ${n(m.remote)} remote`,
  );
  const src = s.sources;
  out.push(
    `Sources  ${n(src.total)}: ${n(src.withContent)} with content, ${n(src.withoutContent)} without; ` +
      `${n(src.firstParty)} first-party, ${n(src.thirdParty)} third-party; ${n(src.ignoreListed)} ignore-listed; ${plural(src.absolutePaths, 'absolute path')}`,
  );
  const c = s.content;
  out.push(
    `Content  ${plural(c.lines, 'line')}, ${plural(c.bytes, 'byte')}: first-party ${plural(c.firstPartyLines, 'line')}, ${plural(c.firstPartyBytes, 'byte')}; ` +
      `third-party ${plural(c.thirdPartyLines, 'line')}, ${plural(c.thirdPartyBytes, 'byte')}`,
  );
  if (c.lines > 0) {
    out.push(`Mapped   ${n(c.mappedLines)} of ${plural(c.lines, 'line')} hit by a mapping; ${n(c.unmappedLines)} never reached the bundle`);
  }

  const exposed: { file: SourceEntry; map: string }[] = [];
  for (const map of report.maps) {
    for (const file of map.files) if (file.hasContent && !file.thirdParty) exposed.push({ file, map: map.path });
  }
  if (exposed.length > 0) {
    exposed.sort((a, b) => b.file.lines - a.file.lines || compare(name(a.file), name(b.file)) || compare(a.map, b.map));
    const several = report.maps.length > 1;
    out.push('', `Top exposed first-party files (${n(exposed.length)} in all)`);
    out.push(`  ${'lines'.padStart(7)}  ${'bytes'.padStart(9)}  file`);
    for (const { file, map } of exposed.slice(0, top)) {
      out.push(`  ${n(file.lines).padStart(7)}  ${n(file.bytes).padStart(9)}  ${name(file)}${several ? `  (${map})` : ''}`);
    }
    if (exposed.length > top) out.push(`  … ${plural(exposed.length - top, 'more file')}`);
  }

  if (report.findings.length > 0) {
    out.push('', 'Findings');
    for (const f of report.findings) {
      const inSource = f.location.source !== undefined && f.location.line !== undefined ? ` (${f.location.source}:${f.location.line})` : '';
      out.push(`  ${f.severity.padEnd(8)}  ${f.code}  ${f.location.path}${inSource}: ${f.message}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function name(file: SourceEntry): string {
  return file.path ?? `(unnamed source #${file.index})`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
