/**
 * Full garbage collections on request (Node only). A map's contents are read one at a time, but big ones are
 * allocated outside V8's young generation and stay until a full collection, which V8 puts off while the heap
 * grows: on a 40 MB map that is tens of MB of dead strings at the peak. Collecting after every few MB read keeps
 * the peak near what is alive. `gc` is reached the way test runners reach it (`--expose-gc` set at run time and
 * the function taken from a fresh context); where that is refused, nothing is collected by hand.
 */
import { builtin } from './builtin';

/** Dead bytes worth a collection (each costs a few ms while little is alive; a 40 MB map needs two or three). */
const EVERY_BYTES = 24 * 1024 * 1024;

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc !== undefined) return gc;
  try {
    builtin<typeof import('node:v8')>('node:v8').setFlagsFromString('--expose-gc');
    const found: unknown = builtin<typeof import('node:vm')>('node:vm').runInNewContext('gc');
    gc = typeof found === 'function' ? (found as () => void) : null;
  } catch {
    gc = null;
  }
  return gc;
}

/**
 * A `reclaim(bytes)` callback for the scan: counts dead bytes and collects every {@link EVERY_BYTES}. `gc` is looked
 * up only then (it costs a new context), so scans of small maps never pay for it.
 */
export function createReclaimer(): (bytes: number) => void {
  let dead = 0;
  return (bytes) => {
    dead += bytes;
    if (dead < EVERY_BYTES) return;
    dead = 0;
    collector()?.();
  };
}
