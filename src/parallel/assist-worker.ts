/**
 * The helper thread of {@link ./assist}: hashes a big map file, runs its mappings pass and measures third-party
 * contents while the main thread reads the others. Each answer is posted on the port and signalled through the
 * shared counter, because the main thread waits for it synchronously (the scan core is synchronous).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { readFully } from '../input/node-vfs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { mappingsAheadInPlace, scanMappingsAhead, type MappingsAhead } from '../map/mappings';
import { decodePiece, LARGE_STRING } from '../map/parse';
import { countLines, utf8Length } from '../util/text';
import { createReclaimer } from '../runtime/gc';
import { FAILED, FREE, HELPER, MEASURED, type AssistReply, type AssistRequest } from './assist';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

/** Mark arrays grow up to this many bytes in all per map (a hostile map could point at line 2^31 in every source). */
const MARK_BUDGET_FACTOR = 2;

function reply(message: AssistReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/** Reads `length` bytes at `offset` of an open file into `into` (grown when too small); what was read. */
function readAt(fd: number, offset: number, length: number, into: { buffer: Uint8Array }): Uint8Array {
  if (into.buffer.length < length) into.buffer = new Uint8Array(Math.max(length, 2 * into.buffer.length));
  const view = into.buffer.subarray(0, length);
  if (readFully(fd, view, offset, length) < length) throw new Error('the map file shrank while it was read');
  return view;
}

const CHUNK = 1024 * 1024;

function handle(request: AssistRequest): void {
  const fd = openSync(request.path, 'r');
  try {
    work(fd, request);
  } finally {
    closeSync(fd);
  }
}

function work(fd: number, request: AssistRequest): void {
  const scratch = { buffer: new Uint8Array(CHUNK) };
  if (request.kind === 'hash') {
    const hash = createHash('sha256');
    for (let at = 0; at < request.size; at += CHUNK) hash.update(readAt(fd, at, Math.min(CHUNK, request.size - at), scratch));
    reply({ id: request.id, kind: 'hash', sha256: hash.digest('hex') });
    return;
  }
  if (request.kind === 'contents') {
    // From the last entry down, until the main thread (coming up from the first) has the next one.
    const { entries, take, state } = request;
    const reclaim = createReclaimer();
    for (let i = take.length - 1; i >= 0; i--) {
      if (take[i] !== 1) continue;
      if (Atomics.compareExchange(state, i, FREE, HELPER) !== FREE) break;
      let done = FAILED;
      try {
        const from = entries[2 * i]!;
        const to = entries[2 * i + 1]!;
        if (to - from > LARGE_STRING) reclaim(2 * (to - from));
        const piece = decodePiece(readAt(fd, from, to - from, scratch), 0, to - from);
        const content = JSON.parse(piece.text) as string;
        request.lines[i] = countLines(content);
        request.bytes[i] = utf8Length(content);
        request.hashes.set(createHash('sha256').update(content).digest(), 32 * i);
        request.invalid[i] = piece.invalid ? 1 : 0;
        done = MEASURED;
      } catch {
        // The main thread measures it, and meets the same error.
      }
      Atomics.store(state, i, done);
      Atomics.notify(state, i);
    }
    return;
  }
  const result = mappingsPass(fd, request, scratch);
  if (result === null) {
    reply({ id: request.id, kind: 'mappings', result: null });
    return;
  }
  const transfer = result.marks.flatMap((m) => (m === null ? [] : [m.buffer as ArrayBuffer]));
  reply({ id: request.id, kind: 'mappings', result }, transfer);
}

/** The mappings pass over the file's bytes. */
function mappingsPass(fd: number, request: AssistRequest & { kind: 'mappings' }, scratch: { buffer: Uint8Array }): MappingsAhead | null {
  const length = request.end - request.start;
  const budget = MARK_BUDGET_FACTOR * request.size;
  // Read straight into the WebAssembly loop's memory where it runs: one copy of the mappings, not two.
  const inPlace = mappingsAheadInPlace(length, request.sourcesLength, request.namesLength, request.pointer, budget, request.lineBounds);
  if (inPlace !== null) {
    if (readFully(fd, inPlace.input, request.start, length) < length) throw new Error('the map file shrank while it was read');
    return inPlace.finish();
  }
  const bytes = readAt(fd, request.start, length, scratch);
  return scanMappingsAhead(bytes, 0, length, request.sourcesLength, request.namesLength, request.pointer, budget, request.lineBounds);
}

parentPort!.on('message', (request: AssistRequest) => {
  try {
    handle(request);
  } catch {
    // The main thread does the work itself.
    if (request.kind !== 'contents') reply({ id: request.id, kind: request.kind, ...(request.kind === 'hash' ? { sha256: null } : { result: null }) } as AssistReply);
  }
});
