import type { SignalFinding } from '../report/build';
import { trimSecretlintProfiler, type SecretlintProfiler } from './profiler';
import type { KeepContent } from '../analysis/measure';
import type { MapEntry } from '../types';
import { load } from '../runtime/load';

/** One recovered first-party file to check for secrets. */
export interface SecretCandidate {
  /** The map it came from. */
  map: string;
  /** Raw `sources` entry (or `#index` for a null one). */
  source: string;
  /** Content. */
  content: string;
}

/** secretlint's own private-key rule overlaps PRIVATE_KEY_IN_SOURCE, which the core reports already. */
const SKIP_RULES = new Set(['@secretlint/secretlint-rule-privatekey']);

/**
 * Secrets in recovered first-party files, with secretlint's core and its recommended preset (maintained rules for
 * cloud keys, tokens, passwords in URLs and more) rather than home-made patterns. The finding never holds the
 * secret: only the rule, its message id and the position.
 */
export async function findSecrets(candidates: readonly SecretCandidate[]): Promise<SignalFinding[]> {
  if (candidates.length === 0) return [];
  // Loaded on first use: secretlint is only needed when there is first-party content to check.
  const [{ lintSource }, { creator }, { secretLintProfiler }] = await Promise.all([
    load<typeof import('@secretlint/core')>('@secretlint/core'),
    load<typeof import('@secretlint/secretlint-rule-preset-recommend')>('@secretlint/secretlint-rule-preset-recommend'),
    load<typeof import('@secretlint/profiler')>('@secretlint/profiler'),
  ]);
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  const found: SignalFinding[] = [];
  for (const c of candidates) {
    const result = await lintSource({ source: { filePath: c.source, content: c.content, contentType: 'text' }, options: { config } });
    // The profiler's observer is called on a later turn of the event loop: let it run, then empty what it kept.
    await new Promise((resolve) => setImmediate(resolve));
    trimSecretlintProfiler(secretLintProfiler as unknown as SecretlintProfiler);
    for (const m of result.messages) {
      if (SKIP_RULES.has(m.ruleId)) continue;
      const line = m.loc.start.line;
      found.push({
        code: 'SECRET_IN_SOURCE',
        location: { path: c.map, source: c.source, line, column: m.loc.start.column },
        args: { rule: m.ruleId.replace(/^@secretlint\/secretlint-rule-/, ''), title: m.messageId, line },
      });
    }
  }
  return found;
}

/** A scan hook that keeps the first-party contents secretlint will need once the (synchronous) scan is done. */
export function collectCandidates(): {
  candidates: SecretCandidate[];
  onMap: (entry: MapEntry, contents: readonly (string | null)[]) => void;
  keepContent: KeepContent;
} {
  const candidates: SecretCandidate[] = [];
  return {
    candidates,
    keepContent: 'first-party',
    onMap(entry, contents) {
      for (const file of entry.files) {
        const content = contents[file.index] ?? null;
        if (content !== null && !file.thirdParty && content.length > 0) {
          candidates.push({ map: entry.path, source: file.source ?? `#${file.index}`, content });
        }
      }
    },
  };
}
