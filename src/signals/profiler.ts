import { performance } from 'node:perf_hooks';

/**
 * Switches off `performance.mark` in this thread. secretlint 11's profiler is always on: it marks each rule on
 * each checked file, and its observer walks every entry seen so far at each mark, so a thread that checks many
 * files spends time quadratic in their number (about 0.3 s for 300 files, a minute for 5,000) and keeps every mark.
 * Only for threads whose code is all ours (the CLI process, scan workers): a library must not change its host's
 * globals. Nothing here reads performance marks; findings are the same.
 */
export function muteSecretlintProfiler(): void {
  Object.defineProperty(performance, 'mark', { value: () => undefined, configurable: true, writable: true });
}
