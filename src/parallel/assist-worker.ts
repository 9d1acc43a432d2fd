/**
 * The helper thread of {@link ./assist}: hashes a big map's bytes and runs its mappings pass while the main thread
 * reads the map's contents. Each answer is posted on the port and signalled through the shared counter, because
 * the main thread waits for it synchronously (the scan core is synchronous).
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { DiagnosticCollector } from '../map/diagnostics';
import { scanMappingBytes } from '../map/mappings';
import { decodePiece } from '../map/parse';
import { countLines, utf8Length } from '../util/text';
import { FAILED, FREE, HELPER, MEASURED, type AssistReply, type AssistRequest } from './assist';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

/** Mark arrays grow up to this many bytes in all per map (a hostile map could point at line 2^31 in every source). */
const MARK_BUDGET_FACTOR = 2;

function reply(message: AssistReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function handle(request: AssistRequest): void {
  const bytes = new Uint8Array(request.buffer, request.offset, request.length);
  if (request.kind === 'hash') {
    reply({ id: request.id, kind: 'hash', sha256: createHash('sha256').update(bytes).digest('hex') });
    return;
  }
  if (request.kind === 'contents') {
    // From the last entry down, until the main thread (coming up from the first) has the next one.
    const { entries, take, state } = request;
    for (let i = take.length - 1; i >= 0; i--) {
      if (take[i] !== 1) continue;
      if (Atomics.compareExchange(state, i, FREE, HELPER) !== FREE) break;
      let done = FAILED;
      try {
        const piece = decodePiece(bytes, entries[2 * i]!, entries[2 * i + 1]!);
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
  const marks: (Uint8Array | null)[] = new Array<Uint8Array | null>(request.sourcesLength).fill(null);
  let budget = MARK_BUDGET_FACTOR * request.length;
  let overBudget = false;
  const grow = (source: number, line: number): void => {
    if (overBudget || source < 0 || source >= marks.length) return;
    const old = marks[source];
    const size = Math.max(64, (old?.length ?? 0) * 2, line + 1);
    budget -= size;
    if (budget < 0) {
      overBudget = true;
      return;
    }
    const grown = new Uint8Array(size);
    if (old) grown.set(old);
    grown[line] = 1;
    marks[source] = grown;
  };
  const diagnostics = new DiagnosticCollector();
  const summary = scanMappingBytes(bytes, request.start, request.end, request.sourcesLength, request.namesLength, diagnostics, request.pointer, marks, grow);
  if (overBudget) {
    reply({ id: request.id, kind: 'mappings', result: null });
    return;
  }
  const transfer = marks.flatMap((m) => (m === null ? [] : [m.buffer as ArrayBuffer]));
  reply({ id: request.id, kind: 'mappings', result: { summary, diagnostics: diagnostics.items, dropped: diagnostics.dropped, marks } }, transfer);
}

parentPort!.on('message', (request: AssistRequest) => {
  try {
    handle(request);
  } catch {
    // The main thread does the work itself.
    if (request.kind !== 'contents') reply({ id: request.id, kind: request.kind, ...(request.kind === 'hash' ? { sha256: null } : { result: null }) } as AssistReply);
  }
});
