/**
 * A helper thread for one big map at a time (Node only): while the main thread parses a map's contents, the helper
 * hashes the map's bytes and scans its `mappings`, which together cost about as much. The bytes are shared, not
 * copied (the Node file reader puts big files in a SharedArrayBuffer). The scan core is synchronous, so answers are
 * awaited with `Atomics.wait` and taken off the port with `receiveMessageOnPort`. Anything odd (no worker script,
 * a bytes view that is not shared, no answer in time) makes it decline, and the main thread does the work itself.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { AssistedMap, AssistedMappings, MapAssistant } from '../map/assist';

/** Maps smaller than this are done on the main thread: the hand-over would cost more than it saves. */
export const ASSIST_MIN_BYTES = 4 * 1024 * 1024;

/** Longest wait for one answer before giving up on the helper for good (it died, or the machine is swamped). */
const WAIT_MS = 20_000;

/** @internal A request to the helper. */
export type AssistRequest = { id: number; buffer: SharedArrayBuffer; offset: number; length: number } & (
  | { kind: 'hash' }
  | { kind: 'mappings'; start: number; end: number; sourcesLength: number; namesLength: number; pointer: string }
);

/** @internal The helper's answer. */
export type AssistReply = { id: number; kind: 'hash'; sha256: string | null } | { id: number; kind: 'mappings'; result: AssistedMappings | null };

/** The helper script beside the running bundle (`dist/assist.js`), or the built one when running from `src/`. */
function script(): URL | null {
  const here = import.meta.url;
  const url = new URL(here.endsWith('/src/parallel/assist.ts') ? '../../dist/assist.js' : './assist.js', here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

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
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(url, { workerData: { port: port2, signal: this.signal }, transferList: [port2] });
    // Idle, it must not keep the process alive; a crash only means the main thread does the work.
    this.worker.unref();
    this.worker.on('error', () => {
      this.broken = true;
    });
    this.port = port1;
    port1.unref();
  }

  open(bytes: Uint8Array): AssistedMap | null {
    if (this.broken || bytes.length < ASSIST_MIN_BYTES || !(bytes.buffer instanceof SharedArrayBuffer)) return null;
    if (this.worker === null) this.start();
    if (this.worker === null) return null;
    const shared = { buffer: bytes.buffer, offset: bytes.byteOffset, length: bytes.length };
    const hashId = this.send({ ...shared, id: 0, kind: 'hash' });
    let mappingsId = -1;
    return {
      startMappings: (start, end, sourcesLength, namesLength, pointer) => {
        mappingsId = this.send({ ...shared, id: 0, kind: 'mappings', start, end, sourcesLength, namesLength, pointer });
      },
      mappings: () => {
        if (mappingsId < 0) return null;
        const answer = this.wait(mappingsId);
        return answer?.kind === 'mappings' ? answer.result : null;
      },
      sha256: () => {
        const answer = this.wait(hashId);
        return answer?.kind === 'hash' ? answer.sha256 : null;
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
      const message = receiveMessageOnPort(this.port);
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
