/**
 * A small pool of worker threads (Node only). Workers start lazily and take jobs once they say they are ready; the
 * calling thread may take queued jobs itself (`steal`). One job runs in each worker at a time (so at most `size`
 * jobs hold their data at once), idle workers do not keep the process alive, and `close()` ends them all. A job
 * that throws, or a worker that dies under it, rejects that job's promise; the pool goes on with a new worker.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { builtin } from '../runtime/builtin';
import { ForensicsError } from '../errors';
import { distUrl } from '../runtime/here';

/** What the pool sends a worker: one job. */
export interface JobMessage<J> {
  id: number;
  job: J;
}

/** What a worker sends back: `ready` once started; per job, progress (any number of times), then a result or an error. */
export type ReplyMessage<R> =
  | { id: 0; type: 'ready' }
  | { id: number; type: 'progress'; value: unknown }
  | { id: number; type: 'done'; value: R }
  | { id: number; type: 'failed'; error: SerializedError };

/** An error as it crosses the thread boundary (a `ForensicsError` keeps its code, diagnostics and violations). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  diagnostics?: unknown[];
  violations?: unknown[];
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const e = error as Error & Partial<SerializedError>;
  const out: SerializedError = { name: e.name, message: e.message };
  if (e.stack !== undefined) out.stack = e.stack;
  if (typeof e.code === 'string') out.code = e.code;
  if (Array.isArray(e.diagnostics)) out.diagnostics = e.diagnostics;
  if (Array.isArray(e.violations)) out.violations = e.violations;
  return out;
}

/** The error again, on this side: a `ForensicsError` is one again (`isForensicsError` and `instanceof` hold). */
export function deserializeError(e: SerializedError): Error {
  if (e.name === 'ForensicsError' && e.code !== undefined) {
    const message = e.message.replace(/^\[sourcemap-forensics\] /, '');
    return new ForensicsError(e.code as ForensicsError['code'], message, (e.diagnostics ?? []) as never, (e.violations ?? []) as never);
  }
  const error = new Error(e.message);
  error.name = e.name;
  if (e.stack !== undefined) error.stack = e.stack;
  return error;
}

/**
 * The worker script: `worker.cjs` beside the bundle that runs this code (`dist/node.js`, `dist/node.cjs` and
 * `dist/cli.cjs` all sit beside `dist/worker.cjs`), or, when this module runs from `src/` (the tests), the built
 * `dist/worker.cjs`. Null when neither exists (the library was re-bundled without it): callers scan in-process.
 */
export function workerScript(): URL | null {
  const url = new URL('worker.cjs', distUrl());
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Checks the `jobs` option: a whole number >= 1; the default is the cores Node may use. */
export function resolveJobs(jobs: unknown): number {
  if (jobs === undefined) return availableParallelism();
  if (typeof jobs !== 'number' || !Number.isInteger(jobs) || jobs < 1) {
    throw new ForensicsError('INVALID_OPTION', `option "jobs" must be an integer >= 1, got ${JSON.stringify(jobs)}`);
  }
  return jobs;
}

interface Pending<J, R> {
  id: number;
  job: J;
  resolve(value: R): void;
  reject(error: Error): void;
  onProgress: ((value: unknown) => void) | undefined;
}

interface Slot<J, R> {
  worker: Worker;
  /** The worker has started and said so: jobs go only to ready workers. */
  ready: boolean;
  /** Jobs posted to this worker, in order: the first runs, the others wait in its port. */
  jobs: Pending<J, R>[];
}

/** A queued job taken to run in the calling thread: `job`, and `settle` with its result (or its failure). */
export interface StolenJob<J, R> {
  job: J;
  settle(result: Promise<R>): void;
}

/** Counters for tests and benchmarks: workers started, and jobs they finished, over the life of the process. */
export const poolStats = { started: 0, finished: 0 };

export class WorkerPool<J, R> {
  readonly size: number;
  /** Jobs posted ahead to one worker, so it never waits for this thread to hand it the next (this thread may be busy). */
  readonly depth: number;
  private readonly script: URL;
  private readonly slots: Slot<J, R>[] = [];
  private readonly queue: Pending<J, R>[] = [];
  private nextId = 1;
  private closed = false;
  /** Set when a worker dies before it is ready: no more are started (the queue is left to the calling thread). */
  private broken = false;

  constructor(script: URL, size: number, depth = 1) {
    this.script = script;
    this.size = Math.max(0, size);
    this.depth = Math.max(1, depth);
  }

  /** Runs one job in a worker (or in the calling thread, if it {@link steal}s it first). */
  run(job: J, onProgress?: (value: unknown) => void): Promise<R> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject, onProgress });
      this.pump();
    });
  }

  /**
   * Takes the next queued job to run in the calling thread, which then settles it: so the calling thread works
   * too, and a worker that is slow to start only gets what is left when it is ready.
   */
  steal(): StolenJob<J, R> | undefined {
    const pending = this.queue.shift();
    if (pending === undefined) return undefined;
    return { job: pending.job, settle: (result) => void result.then(pending.resolve, pending.reject) };
  }

  /** Ends every worker; jobs still queued or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error('the worker pool was closed');
    for (const p of this.queue.splice(0)) p.reject(stopped);
    const slots = this.slots.splice(0);
    for (const slot of slots) for (const p of slot.jobs.splice(0)) p.reject(stopped);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      // A ready worker with room, idle ones first.
      const ready = this.slots.filter((s) => s.ready && s.jobs.length < this.depth).sort((a, b) => a.jobs.length - b.jobs.length)[0];
      if (ready === undefined) break;
      const pending = this.queue.shift()!;
      ready.jobs.push(pending);
      ready.worker.ref();
      ready.worker.postMessage({ id: pending.id, job: pending.job } satisfies JobMessage<J>);
    }
    // Workers still starting will take what is queued; start more while the queue outnumbers them.
    if (this.broken || this.closed) return;
    const starting = this.slots.filter((s) => !s.ready).length;
    for (let n = starting; n < this.queue.length && this.slots.length < this.size; n++) this.start();
  }

  private start(): void {
    poolStats.started++;
    const worker = new (builtin<typeof import('node:worker_threads')>('node:worker_threads').Worker)(this.script);
    const slot: Slot<J, R> = { worker, ready: false, jobs: [] };
    this.slots.push(slot);
    worker.on('message', (message: ReplyMessage<R>) => {
      if (message.type === 'ready') {
        slot.ready = true;
        if (this.queue.length === 0) worker.unref();
        this.pump();
        return;
      }
      const pending = slot.jobs[0];
      if (pending === undefined || message.id !== pending.id) return;
      if (message.type === 'progress') {
        pending.onProgress?.(message.value);
        return;
      }
      slot.jobs.shift();
      // An idle worker must not keep the process alive.
      if (slot.jobs.length === 0) worker.unref();
      poolStats.finished++;
      if (message.type === 'done') pending.resolve(message.value);
      else pending.reject(deserializeError(message.error));
      this.pump();
    });
    let failure: Error | null = null;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => {
      const index = this.slots.indexOf(slot);
      if (index === -1) return; // closed
      this.slots.splice(index, 1);
      if (!slot.ready) this.broken = true;
      const [running, ...waiting] = slot.jobs.splice(0);
      if (running !== undefined) {
        const reason = failure?.message ?? `exit code ${code}`;
        running.reject(new Error(`the worker died while running this job: ${reason}`));
      }
      // Jobs that had not started go back to the queue, for another worker or the calling thread.
      this.queue.unshift(...waiting);
      this.pump();
      if (this.slots.length === 0 && this.broken) {
        for (const p of this.queue.splice(0)) p.reject(new Error(`the worker could not start: ${failure?.message ?? `exit code ${code}`}`));
      }
    });
  }
}
