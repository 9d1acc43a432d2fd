/**
 * A helper thread for one big map at a time (Node only): while the main thread parses a map's contents, the helper
 * hashes the map file, scans its `mappings` and measures some third-party contents, reading the file itself (page
 * cache reads are cheap; holding the map's bytes for two threads is not). The scan core is synchronous, so answers
 * are awaited with `Atomics.wait` and taken off the port with `receiveMessageOnPort`. Anything odd (no worker
 * script, a map not on disk, no answer in time) makes it decline, and the main thread does the work itself.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePort, Worker } from 'node:worker_threads';
import { builtin } from '../runtime/builtin';

const threads = (): typeof import('node:worker_threads') => builtin('node:worker_threads');
import type { AssistedMap, AssistedMappings, ContentFigures, ContentShare, MapAssistant } from '../map/assist';
import type { MapFile } from '../map/parse';
import { distUrl } from '../runtime/here';

/**
 * Maps smaller than this are done on the main thread: starting the thread costs a 4.4 MB map more than it saves
 * (measured: 197 against 157 ms); a 43.6 MB one saves about 55 ms. `SOURCEMAP_FORENSICS_ASSIST_MIN_MB` overrides it
 * (the tests use it to run the helper on small maps).
 */
export const ASSIST_MIN_BYTES = minBytes();

function minBytes(): number {
  const mb = Number(process.env.SOURCEMAP_FORENSICS_ASSIST_MIN_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 16) * 1024 * 1024;
}

/** Longest wait for one answer before giving up on the helper for good (it died, or the machine is swamped). */
const WAIT_MS = 20_000;

/** @internal A request to the helper. */
export type AssistRequest = { id: number; path: string; size: number } & (
  | { kind: 'hash' }
  | { kind: 'mappings'; start: number; end: number; sourcesLength: number; namesLength: number; pointer: string; lineBounds: Int32Array }
  | ({ kind: 'contents'; entries: Int32Array; take: Uint8Array } & SharedFigures)
);

/** @internal The helper's answer (content entries are answered through {@link SharedFigures} instead). */
export type AssistReply = { id: number; kind: 'hash'; sha256: string | null } | { id: number; kind: 'mappings'; result: AssistedMappings | null };

/** @internal Per content entry, in shared memory: who has it, and the figures the helper found. */
export interface SharedFigures {
  /** 0 free, 1 taken by the main thread, 2 taken by the helper, 3 measured by it, 4 it failed. */
  state: Int32Array;
  lines: Int32Array;
  bytes: Float64Array;
  /** 32 bytes per entry. */
  hashes: Uint8Array;
  invalid: Uint8Array;
}

/** Entry states in {@link SharedFigures.state}. */
export const FREE = 0;
export const MAIN = 1;
export const HELPER = 2;
export const MEASURED = 3;
export const FAILED = 4;

/** The helper script beside the running bundle (`dist/assist.cjs`), or the built one when running from `src/`. */
function script(): URL | null {
  const url = new URL('assist.cjs', distUrl());
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Counters for tests and benchmarks: answers taken from the helper over the life of the process. */
export const assistStats = { maps: 0, hashes: 0, mappings: 0, contents: 0 };

/** A {@link MapAssistant} backed by one worker thread, started at once so it is ready when the first map is read. */
export class ThreadAssistant implements MapAssistant {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly answers = new Map<number, AssistReply>();
  private nextId = 1;
  private broken = false;

  /** `eager`: start the thread now (a big map is coming); otherwise when the first big map is opened. */
  constructor(eager: boolean) {
    if (eager) this.start();
  }

  private start(): void {
    const url = script();
    if (url === null) {
      this.broken = true;
      return;
    }
    const { port1, port2 } = new (threads().MessageChannel)();
    this.worker = new (threads().Worker)(url, { workerData: { port: port2, signal: this.signal }, transferList: [port2] });
    // Idle, it must not keep the process alive; a crash only means the main thread does the work.
    this.worker.unref();
    this.worker.on('error', () => {
      this.broken = true;
    });
    this.port = port1;
    port1.unref();
  }

  open(file: MapFile): AssistedMap | null {
    if (this.broken || file.size < ASSIST_MIN_BYTES || file.path === undefined) return null;
    if (this.worker === null) this.start();
    if (this.worker === null) return null;
    const shared = { path: file.path, size: file.size };
    assistStats.maps++;
    const hashId = this.send({ ...shared, id: 0, kind: 'hash' });
    let mappingsId = -1;
    return {
      startMappings: (start, end, sourcesLength, namesLength, pointer, lineBounds) => {
        mappingsId = this.send({ ...shared, id: 0, kind: 'mappings', start, end, sourcesLength, namesLength, pointer, lineBounds });
      },
      shareContents: (entries, take) => this.shareContents(shared, entries, take),
      mappings: () => {
        if (mappingsId < 0) return null;
        const answer = this.wait(mappingsId);
        const result = answer?.kind === 'mappings' ? answer.result : null;
        if (result !== null) assistStats.mappings++;
        return result;
      },
      sha256: () => {
        const answer = this.wait(hashId);
        const sha256 = answer?.kind === 'hash' ? answer.sha256 : null;
        if (sha256 !== null) assistStats.hashes++;
        return sha256;
      },
    };
  }

  private shareContents(shared: { path: string; size: number }, entries: Int32Array, take: Uint8Array): ContentShare | null {
    if (this.broken) return null;
    const n = take.length;
    const area = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(1, bytes));
    const figures: SharedFigures = {
      state: new Int32Array(area(4 * n)),
      lines: new Int32Array(area(4 * n)),
      bytes: new Float64Array(area(8 * n)),
      hashes: new Uint8Array(area(32 * n)),
      invalid: new Uint8Array(area(n)),
    };
    this.send({ ...shared, id: 0, kind: 'contents', entries, take, ...figures });
    const { state } = figures;
    return {
      claim: (i) => Atomics.compareExchange(state, i, FREE, MAIN) === FREE,
      result: (i): ContentFigures | null => {
        while (Atomics.load(state, i) === HELPER) {
          if (Atomics.wait(state, i, HELPER, WAIT_MS) === 'timed-out') {
            this.broken = true;
            return null;
          }
        }
        if (Atomics.load(state, i) !== MEASURED) return null;
        assistStats.contents++;
        return {
          lines: figures.lines[i]!,
          bytes: figures.bytes[i]!,
          sha256: hex(figures.hashes.subarray(32 * i, 32 * i + 32)),
          invalidUtf8: figures.invalid[i] === 1,
        };
      },
    };
  }

  /** Ends the helper thread. */
  close(): void {
    this.broken = true;
    void this.worker?.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
  }

  private send(request: AssistRequest): number {
    const id = this.nextId++;
    this.worker!.postMessage({ ...request, id });
    return id;
  }

  private wait(id: number): AssistReply | null {
    for (;;) {
      const known = this.answers.get(id);
      if (known !== undefined) {
        this.answers.delete(id);
        return known;
      }
      if (this.broken || this.port === null) return null;
      const seen = Atomics.load(this.signal, 0);
      const message = threads().receiveMessageOnPort(this.port);
      if (message !== undefined) {
        const reply = message.message as AssistReply;
        this.answers.set(reply.id, reply);
        continue;
      }
      if (Atomics.wait(this.signal, 0, seen, WAIT_MS) === 'timed-out') {
        this.broken = true;
        return null;
      }
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
