import type { Diagnostic } from './diagnostics';
import type { MappingsSummary } from './mappings';

/**
 * Work on a big map's bytes that another thread can do while this one reads the map's contents: the map's SHA-256
 * and the pass over `mappings`. The core only calls it; the Node entry provides one backed by a worker thread.
 * Every method may decline (null), and the caller then does the work itself, so results never depend on it.
 */
export interface MapAssistant {
  /** Called once a map's bytes are read; null when the assistant cannot take them (too small, not shareable). */
  open(bytes: Uint8Array): AssistedMap | null;
}

/** One map's work in progress on another thread. */
export interface AssistedMap {
  /** Starts the mappings pass over `bytes[start..end)`, checking indexes against these counts. */
  startMappings(start: number, end: number, sourcesLength: number, namesLength: number, pointer: string): void;
  /** Waits for the mappings pass; null when it was not done there. */
  mappings(): AssistedMappings | null;
  /** Waits for the SHA-256 (hex) of the whole bytes; null when it was not done there. */
  sha256(): string | null;
}

/** What the mappings pass found elsewhere: exactly what `scanMappingBytes` gives, with marks not yet cut to line counts. */
export interface AssistedMappings {
  summary: MappingsSummary;
  /** Kept diagnostics, in order, and how many more were dropped (all errors). */
  diagnostics: Diagnostic[];
  dropped: number;
  /** Per source, `1` at each mapped original line (any length; lines past the source's content are ignored). */
  marks: (Uint8Array | null)[];
}
