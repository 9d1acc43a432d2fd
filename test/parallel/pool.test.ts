import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ForensicsError, isForensicsError } from '../../src/errors';
import { deserializeError, poolStats, resolveJobs, serializeError, WorkerPool } from '../../src/parallel/pool';

// A worker speaking the pool's protocol: doubles numbers, throws on "throw", dies on "exit", hangs on "hang".
const temp = mkdtempSync(join(tmpdir(), 'smf-pool-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const script = join(temp, 'worker.mjs');
writeFileSync(
  script,
  `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ id: 0, type: 'ready' });
parentPort.on('message', async ({ id, job }) => {
  if (job === 'exit') process.exit(3);
  if (job === 'crash') setImmediate(() => { throw new Error('boom'); });
  if (job === 'hang') return;
  if (job === 'throw') return parentPort.postMessage({ id, type: 'failed', error: { name: 'ForensicsError', code: 'TARGET_UNREADABLE', message: '[sourcemap-forensics] cannot read target "x"' } });
  parentPort.postMessage({ id, type: 'progress', value: job });
  await new Promise((r) => setTimeout(r, 5));
  parentPort.postMessage({ id, type: 'done', value: job * 2 });
});
`,
);
const url = pathToFileURL(script);
const broken = join(temp, 'broken.mjs');
writeFileSync(broken, 'process.exit(4);\n');

describe('WorkerPool', () => {
  it('runs jobs in at most `size` workers, started lazily, and gives each its own result and progress', async () => {
    const before = poolStats.started;
    const pool = new WorkerPool<number, number>(url, 2);
    expect(poolStats.started).toBe(before);
    const progress: unknown[] = [];
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(n, (p) => progress.push(p))));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(progress.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(poolStats.started - before).toBe(2);
    await pool.close();
  });

  it('rejects the job of a worker that dies or throws, and goes on with a new worker', async () => {
    const pool = new WorkerPool<unknown, number>(url, 1);
    const results = await Promise.allSettled([pool.run(1), pool.run('exit'), pool.run(2), pool.run('crash'), pool.run(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('the worker died while running this job: exit code 3');
    expect((results[3] as PromiseRejectedResult).reason.message).toBe('the worker died while running this job: boom');
    expect((results[4] as PromiseFulfilledResult<number>).value).toBe(6);
    await pool.close();
  });

  it('posts jobs ahead up to its depth, and moves those waiting behind a dying job to a new worker', async () => {
    const pool = new WorkerPool<unknown, number>(url, 1, 3);
    const results = await Promise.allSettled([pool.run('exit'), pool.run(1), pool.run(2), pool.run(3)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'died'))).toEqual(['died', 2, 4, 6]);
    await pool.close();
  });

  it('lets the calling thread take queued jobs while its worker starts', async () => {
    const pool = new WorkerPool<number, number>(url, 1);
    const results = Promise.all([1, 2, 3, 4, 5, 6].map((n) => pool.run(n)));
    const stolen = pool.steal()!;
    expect(stolen.job).toBe(1);
    stolen.settle(Promise.resolve(-1));
    expect(await results).toEqual([-1, 4, 6, 8, 10, 12]);
    expect(pool.steal()).toBeUndefined();
    await pool.close();
  });

  it('starts no more workers once one dies before it is ready, and leaves its jobs to the calling thread', async () => {
    const before = poolStats.started;
    const pool = new WorkerPool<number, number>(pathToFileURL(broken), 2);
    const results = Promise.allSettled([1, 2, 3].map((n) => pool.run(n)));
    pool.steal()!.settle(Promise.resolve(10));
    const settled = await results;
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 10 });
    expect(settled.slice(1).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('the worker could not start: exit code 4');
    expect(poolStats.started - before).toBe(2);
    await pool.close();
  });

  it('passes a ForensicsError back as one', async () => {
    const pool = new WorkerPool<unknown, number>(url, 1);
    const error = await pool.run('throw').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForensicsError);
    expect(isForensicsError(error) && error.code).toBe('TARGET_UNREADABLE');
    expect((error as Error).message).toBe('[sourcemap-forensics] cannot read target "x"');
    await pool.close();
  });

  it('rejects what is still running when closed, and refuses new jobs', async () => {
    const pool = new WorkerPool<unknown, number>(url, 1);
    const hanging = pool.run('hang').catch((e: unknown) => e);
    const queued = pool.run(1).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await pool.close();
    expect(await hanging).toEqual(new Error('the worker pool was closed'));
    expect(await queued).toEqual(new Error('the worker pool was closed'));
    await expect(pool.run(1)).rejects.toThrow('the worker pool is closed');
  });
});

describe('resolveJobs', () => {
  it.each([[1], [2], [64]])('takes %i', (n) => expect(resolveJobs(n)).toBe(n));
  it('defaults to the available cores', () => expect(resolveJobs(undefined)).toBeGreaterThanOrEqual(1));
  it.each([[0], [-1], [1.5], ['2'], [null]])('refuses %j', (n) => expect(() => resolveJobs(n)).toThrow('option "jobs" must be an integer >= 1'));
});

describe('errors across threads', () => {
  it('keeps a plain error a plain error with its name and message', () => {
    const back = deserializeError(serializeError(new TypeError('bad')));
    expect([back.name, back.message, isForensicsError(back)]).toEqual(['TypeError', 'bad', false]);
    expect(serializeError('text')).toEqual({ name: 'Error', message: 'text' });
  });

  it('keeps the code, diagnostics and violations of a ForensicsError', () => {
    const error = new ForensicsError('INVALID_SOURCE_MAP', 'bad map', [{ code: 'MAP_NOT_JSON', severity: 'error', message: 'x', pointer: '' }]);
    const back = deserializeError(serializeError(error)) as ForensicsError;
    expect(back).toBeInstanceOf(ForensicsError);
    expect([back.code, back.message, back.diagnostics]).toEqual([error.code, error.message, error.diagnostics]);
  });
});
