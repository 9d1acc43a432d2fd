/**
 * Worker thread entry (`dist/worker.cjs`): runs the jobs of a {@link WorkerPool} one at a time and answers each with
 * its result or its error. Target jobs are scanned single-threaded (`jobs: 1`) with the Node entry's `scanAny`.
 */
import { parentPort } from 'node:worker_threads';
import { scanAny } from '../node';
import type { ScanProgress } from '../report/options';
import { measureFile, type Job, type TargetJob, type TargetResult } from './jobs';
import { serializeError, type JobMessage, type ReplyMessage } from './pool';

/** Progress messages per target job: at most one every 50 ms (they only drive a display). */
const PROGRESS_INTERVAL_MS = 50;

async function runTarget(id: number, job: TargetJob): Promise<TargetResult> {
  let last: ScanProgress | null = null;
  let sent = 0;
  const report = await scanAny(job.target, {
    ...job.options,
    jobs: 1,
    onProgress(progress) {
      if (!job.progress) return;
      last = progress;
      const now = Date.now();
      if (now - sent < PROGRESS_INTERVAL_MS) return;
      sent = now;
      parentPort!.postMessage({ id, type: 'progress', value: progress } satisfies ReplyMessage<never>);
    },
  });
  return { report, progress: last };
}

/** One job, answered with its result or its error. */
async function handle({ id, job }: JobMessage<Job>): Promise<void> {
  try {
    const value = job.kind === 'target' ? await runTarget(id, job) : await measureFile(job);
    parentPort!.postMessage({ id, type: 'done', value } satisfies ReplyMessage<unknown>);
  } catch (error) {
    parentPort!.postMessage({ id, type: 'failed', error: serializeError(error) } satisfies ReplyMessage<unknown>);
  }
}

// Jobs posted ahead wait their turn: one at a time, so one job's data is in memory at once.
let turn = Promise.resolve();
parentPort!.on('message', (message: JobMessage<Job>) => {
  turn = turn.then(() => handle(message));
});
parentPort!.postMessage({ id: 0, type: 'ready' } satisfies ReplyMessage<never>);
