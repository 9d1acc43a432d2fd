import type { MappingsAhead } from './mappings';
import type { MapFile } from './parse';

/**
 * Work on a big map's bytes that another thread can do while this one reads the map's contents: the map's SHA-256
 * and the pass over `mappings`. The core only calls it; the Node entry provides one backed by a worker thread.
 * Every method may decline (null), and the caller then does the work itself, so results never depend on it.
 */
export interface MapAssistant {
  /** Called before a map file is read; null when the assistant cannot take it (too small, not on disk). */
  open(file: MapFile): AssistedMap | null;
}

/** One map's work in progress on another thread. */
export interface AssistedMap {
  /**
   * Starts the mappings pass over `bytes[start..end)`, checking indexes against these counts. `lineBounds` caps each
   * source's line count (from the size of its content entry), so the pass can size its marks up front.
   */
  startMappings(start: number, end: number, sourcesLength: number, namesLength: number, pointer: string, lineBounds: Int32Array): void;
  /**
   * Offers the content entries marked in `take` (`entries` as `MapSplit.entries`): the other thread measures them from
   * the last one down while this one reads from the first one up, each taking an entry with {@link ContentShare.claim}.
   */
  shareContents(entries: Int32Array, take: Uint8Array): ContentShare | null;
  /** Waits for the mappings pass; null when it was not done there. */
  mappings(): AssistedMappings | null;
  /** Waits for the SHA-256 (hex) of the whole file; null when it was not done there. */
  sha256(): string | null;
}

/** What the mappings pass found elsewhere: exactly what `scanMappingBytes` gives, with marks not yet cut to line counts. */
export type AssistedMappings = MappingsAhead;

/** Content entries shared between two threads; each entry is measured by exactly one of them. */
export interface ContentShare {
  /** Takes entry `i` for this thread; false when the other thread has it. */
  claim(i: number): boolean;
  /** Waits for an entry the other thread took; null when it could not measure it (measure it here). */
  result(i: number): ContentFigures | null;
}

/** A content entry measured elsewhere: what the report needs of a source whose content is not needed here. */
export interface ContentFigures {
  /** Lines under the report's counting rule. */
  lines: number;
  /** UTF-8 bytes. */
  bytes: number;
  /** SHA-256 (hex) of the UTF-8 bytes. */
  sha256: string;
  /** The entry's bytes were not valid UTF-8. */
  invalidUtf8: boolean;
}
