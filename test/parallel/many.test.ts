import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJson, isForensicsError, scanAny, scanMany, type ExposureReport, type ScanProgress } from '../../src/node';
import { ForensicsError } from '../../src/errors';
import { PARALLEL_TUNING } from '../../src/parallel/many';
import { poolStats, workerScript } from '../../src/parallel/pool';

// Parallel scans run the built worker (dist/worker.cjs): `npm test` builds first; after a fresh clone, `npm run build`.
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.cjs');
const temp = mkdtempSync(join(tmpdir(), 'smf-many-'));
const many = join(temp, 'many');

/**
 * A release folder of many maps: every fixture with maps (chunks, leaks with planted secrets, discovery with its
 * broken, invalid, inline, orphan, missing and outside references, the demo, an index map, the basic forms, the
 * hostile maps) copied three times, plus an archive (its maps are measured in this thread: nested layer).
 */
const DEFAULTS = { ...PARALLEL_TUNING };
const PARTS = ['chunks', 'leaks', 'discovery', 'demo', 'index-map', 'basic', 'releases', 'hostile/maps'];
const COPIES = 3;

beforeAll(() => {
  for (let copy = 1; copy <= COPIES; copy++) {
    for (const part of PARTS) cpSync(join(root, 'fixtures', part), join(many, `copy${copy}`, part), { recursive: true });
  }
  cpSync(join(root, 'fixtures/archives/acme-agent-3.1.0.tgz'), join(many, 'acme-agent-3.1.0.tgz'));
  // Fixture maps are small: let the worker path run on them anyway.
  PARALLEL_TUNING.maps = 2;
  PARALLEL_TUNING.bytes = 0;
});

afterAll(() => {
  Object.assign(PARALLEL_TUNING, DEFAULTS);
  rmSync(temp, { recursive: true, force: true });
});

/** Runs `scan` with every job in a worker (this thread takes none). */
async function onlyWorkers<T>(scan: () => Promise<T>): Promise<T> {
  PARALLEL_TUNING.here = false;
  try {
    return await scan();
  } finally {
    PARALLEL_TUNING.here = true;
  }
}

/** Runs `scan` and says how many workers it started and how many jobs they did. */
async function counting<T>(scan: () => Promise<T>): Promise<{ value: T; workers: number; jobs: number }> {
  const before = { ...poolStats };
  const value = await scan();
  return { value, workers: poolStats.started - before.started, jobs: poolStats.finished - before.finished };
}

describe('a directory of many maps', () => {
  it('has the built worker to run', () => {
    expect(workerScript(), 'dist/worker.cjs is missing: run npm run build').not.toBeNull();
  });

  it('gives the same report with workers as in this thread, byte for byte', async () => {
    const one = await counting(() => scanAny(many, { jobs: 1 }));
    // This thread measures too (jobs - 1 workers take what it has not taken yet), or leaves every map to them.
    const shared = await counting(() => scanAny(many, { jobs: 2 }));
    const workers = await counting(() => onlyWorkers(() => scanAny(many, { jobs: 3 })));
    expect([one.workers, shared.workers, workers.workers]).toEqual([0, 1, 2]);
    expect(workers.jobs).toBe(COPIES * 28); // every .map file of the folder (the archive's map is inside it)
    expect(shared.value).toEqual(one.value);
    expect(formatJson(shared.value)).toBe(formatJson(one.value));
    expect(formatJson(workers.value)).toBe(formatJson(one.value));
  });

  it('counts every map, finding and file exactly', async () => {
    const report = await scanAny(many, { jobs: 2 });
    // Three copies of 32 maps (the fixtures' own counts) and the archive's one.
    expect(report.summary.maps).toEqual({ total: 97, external: 85, inline: 12, index: 3, invalid: 27, missing: 12, orphan: 42, remote: 6 });
    expect([report.summary.sources.total, report.summary.content.lines, report.summary.content.firstPartyBytes]).toEqual([301, 3346, 95398]);
    expect([report.findings.length, report.files.length, report.summary.filesScanned, report.summary.bytesScanned]).toEqual([250, 249, 165, 1945522]);
    // The leaks fixture's two planted secrets, three times, found from contents the workers sent back.
    const secrets = report.findings.filter((f) => f.code === 'SECRET_IN_SOURCE').map((f) => f.location.path);
    expect(secrets).toEqual(['copy1/leaks/app.js.map', 'copy1/leaks/app.js.map', 'copy2/leaks/app.js.map', 'copy2/leaks/app.js.map', 'copy3/leaks/app.js.map', 'copy3/leaks/app.js.map']);
  });

  it.each([
    ['no signals', { signals: false }],
    ['a map size limit', { maxMapBytes: 2000 }],
    ['a sources limit', { maxSources: 3 }],
  ])('gives the same report with %s', async (_, options) => {
    const one = await scanAny(many, { ...options, jobs: 1 });
    const two = await counting(() => onlyWorkers(() => scanAny(many, { ...options, jobs: 3 })));
    expect(two.workers).toBe(2);
    expect(formatJson(two.value)).toBe(formatJson(one));
  });

  it('runs detectors (functions) in this thread, with the same result', async () => {
    const detectors = [{ name: 'todo', detect: (file: { content: string }) => (file.content.includes('TODO') ? [{ line: 1, column: 0, severity: 'low' as const, message: 'a TODO' }] : []) }];
    const one = await scanAny(many, { detectors, jobs: 1 });
    const two = await counting(() => scanAny(many, { detectors, jobs: 2 }));
    expect(two.workers).toBe(0);
    expect(formatJson(two.value)).toBe(formatJson(one));
  });

  it('reports progress from this thread while the workers measure', async () => {
    const seen: ScanProgress[] = [];
    await scanAny(many, { jobs: 2, onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(seen.length).toBeGreaterThan(10);
    expect(last.filesDone).toBe(last.filesTotal);
  });

  it('keeps small folders in this thread', async () => {
    PARALLEL_TUNING.bytes = DEFAULTS.bytes;
    try {
      const { workers } = await counting(() => scanAny(many, { jobs: 2 }));
      expect(workers).toBe(0);
    } finally {
      PARALLEL_TUNING.bytes = 0;
    }
  });

  it('rejects a bad jobs option', async () => {
    for (const jobs of [0, 1.5, '2', -1]) {
      await expect(scanAny(many, { jobs: jobs as number })).rejects.toThrow('option "jobs" must be an integer >= 1');
    }
  });
});

describe('scanMany', () => {
  const targets = () => [
    join(root, 'fixtures/demo'),
    join(root, 'fixtures/archives/acme-agent-3.1.0.tgz'),
    join(root, 'fixtures/discovery/broken.js.map'),
    join(temp, 'does-not-exist'),
    many,
    join(root, 'fixtures/archives/truncated.tgz'),
    join(root, 'fixtures/leaks'),
  ];

  it('scans targets in workers, in target order, with the reports of a scan in this thread', async () => {
    const one = await counting(() => scanMany(targets(), { jobs: 1 }));
    const two = await counting(() => onlyWorkers(() => scanMany(targets(), { jobs: 3 })));
    expect([one.workers, two.workers, two.jobs]).toEqual([0, 2, 7]);
    expect(two.value.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    for (const [i, result] of two.value.entries()) {
      const expected = one.value[i]!;
      if (result.status === 'fulfilled' && expected.status === 'fulfilled') {
        expect(formatJson(result.value)).toBe(formatJson(expected.value));
        expect(result.value).toEqual(await scanAny(targets()[i]!, { jobs: 1 }));
      }
    }
    // The unreadable target is a ForensicsError on this side of the thread boundary too.
    const failed = two.value[3] as PromiseRejectedResult;
    expect(isForensicsError(failed.reason)).toBe(true);
    expect(failed.reason).toBeInstanceOf(ForensicsError);
    expect((failed.reason as ForensicsError).code).toBe('TARGET_UNREADABLE');
    expect((failed.reason as Error).message).toBe((one.value[3] as PromiseRejectedResult).reason.message);
  });

  it('scans in-memory targets here and paths in workers', async () => {
    const memory = { name: 'x.js.map', bytes: JSON.stringify({ version: 3, sources: ['a.ts'], sourcesContent: ['a'], names: [], mappings: 'AAAA' }) };
    const list = [join(root, 'fixtures/demo'), memory, join(root, 'fixtures/leaks')];
    const one = await scanMany(list, { jobs: 1 });
    const two = await counting(() => scanMany(list, { jobs: 4 }));
    expect(two.workers).toBe(1); // this thread and one worker for the two paths: never more threads than jobs
    expect(two.value).toEqual(one);
  });

  it('sums progress over the targets', async () => {
    const seen: ScanProgress[] = [];
    const results = await scanMany([join(root, 'fixtures/demo'), join(root, 'fixtures/discovery')], { jobs: 2, onProgress: (p) => seen.push(p) });
    const reports = results.map((r) => (r as PromiseFulfilledResult<ExposureReport>).value);
    const last = seen.at(-1)!;
    expect(last.bytesRead).toBe(reports.reduce((n, r) => n + r.summary.bytesScanned, 0));
    expect(last.filesDone).toBe(last.filesTotal);
  });

  it('checks its options before starting anything', async () => {
    await expect(scanMany([many], { nope: 1 } as never)).rejects.toThrow('unknown option "nope"');
    await expect(scanMany('x' as never)).rejects.toThrow('scanMany takes an array of targets');
  });
});

describe('sourcemap-forensics scan --jobs', () => {
  // Fixtures are small: the CLI is told to use workers for them anyway.
  const env = { ...process.env, SOURCEMAP_FORENSICS_PARALLEL_MIN_MB: '0' };
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env });

  it('prints the same JSON whatever the number of jobs', () => {
    const list = ['fixtures/demo', 'fixtures/archives/acme-agent.zip', 'fixtures/discovery/broken.js.map', many, 'fixtures/leaks'];
    const one = run('scan', ...list, '--format', 'json', '--jobs', '1');
    const two = run('scan', ...list, '--format', 'json', '--jobs', '2');
    const auto = run('scan', ...list, '--format', 'json');
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(auto.stdout).toBe(one.stdout);
    expect(JSON.parse(one.stdout)).toHaveLength(5);
  });

  it('reports an unreadable target and scans the others', () => {
    const r = run('scan', 'fixtures/demo', 'no/such/target', 'fixtures/leaks', '--format', 'json', '--jobs', '2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^sourcemap-forensics: cannot read target "no\/such\/target"/);
    expect((JSON.parse(r.stdout) as ExposureReport[]).map((x) => x.target.name)).toEqual(['fixtures/demo', 'fixtures/leaks']);
  });

  it.each([
    ['0', '--jobs must be at least 1'],
    ['two', '--jobs must be a whole number'],
  ])('refuses --jobs %s', (value, message) => {
    const r = run('scan', 'fixtures/demo', '--jobs', value);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('documents --jobs in the usage text', () => {
    expect(run('--help').stdout).toContain('--jobs N');
  });
});

describe('thresholds', () => {
  const big = join(temp, 'big');
  beforeAll(() => {
    mkdirSync(big);
    const content = `export const x = ${JSON.stringify('y'.repeat(300_000))};\n`;
    for (let i = 0; i < 16; i++) {
      writeFileSync(join(big, `m${i}.js.map`), JSON.stringify({ version: 3, sources: [`src/m${i}.ts`], sourcesContent: [content], names: [], mappings: 'AAAA' }));
    }
  });

  it('uses workers from PARALLEL_TUNING.bytes of maps and 4 files', async () => {
    Object.assign(PARALLEL_TUNING, DEFAULTS);
    try {
      expect((await counting(() => scanAny(big, { jobs: 2 }))).workers).toBe(0); // 4.8 MB < 64 MiB
      PARALLEL_TUNING.bytes = 4 * 1024 * 1024;
      const two = await counting(() => scanAny(big, { jobs: 2 }));
      expect(two.workers).toBe(1);
      expect(formatJson(two.value)).toBe(formatJson(await scanAny(big, { jobs: 1 })));
      PARALLEL_TUNING.maps = 17;
      expect((await counting(() => scanAny(big, { jobs: 2 }))).workers).toBe(0);
    } finally {
      PARALLEL_TUNING.maps = 2;
      PARALLEL_TUNING.bytes = 0;
    }
  });

  it('takes the threshold from SOURCEMAP_FORENSICS_PARALLEL_MIN_MB', async () => {
    Object.assign(PARALLEL_TUNING, DEFAULTS);
    process.env.SOURCEMAP_FORENSICS_PARALLEL_MIN_MB = '4';
    try {
      expect((await counting(() => scanAny(big, { jobs: 2 }))).workers).toBe(1);
      expect((await counting(() => scanMany([join(big, 'm1.js.map'), join(big, 'm2.js.map')], { jobs: 2 }))).workers).toBe(0);
      expect((await counting(() => scanMany([big, join(big, 'm2.js.map')], { jobs: 2 }))).workers).toBe(1);
    } finally {
      delete process.env.SOURCEMAP_FORENSICS_PARALLEL_MIN_MB;
      PARALLEL_TUNING.maps = 2;
      PARALLEL_TUNING.bytes = 0;
    }
  });

  it('keeps several small targets in this thread', async () => {
    PARALLEL_TUNING.bytes = DEFAULTS.bytes;
    try {
      const { workers, value } = await counting(() => scanMany([join(root, 'fixtures/demo'), join(root, 'fixtures/leaks')], { jobs: 2 }));
      expect(workers).toBe(0);
      expect(value.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    } finally {
      PARALLEL_TUNING.bytes = 0;
    }
  });
});
