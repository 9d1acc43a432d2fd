// Typed access to the fixture tar writer (scripts/lib/tar-writer.mjs, a plain script without declarations).
// @ts-expect-error: a plain .mjs script without type declarations
import * as writer from '../../scripts/lib/tar-writer.mjs';

/** One entry for {@link tar}. */
export interface TarEntry {
  name: string;
  data?: string | Uint8Array;
  type?: string;
  linkname?: string;
  pax?: boolean;
  paxSize?: number;
  longName?: boolean;
  prefix?: string;
}

/** Fields of one raw header for {@link header}. */
export interface HeaderFields {
  name: string;
  size?: number;
  type?: string;
  linkname?: string;
  prefix?: string;
  mode?: number;
  gnu?: boolean;
}

const typed = writer as { tar(entries: TarEntry[]): Uint8Array; header(fields: HeaderFields): Uint8Array };

/** A tar archive of the entries (ustar, with PAX, GNU long names and prefixes on request). */
export const tar = (entries: TarEntry[]): Uint8Array => typed.tar(entries);

/** One 512-byte ustar header. */
export const header = (fields: HeaderFields): Uint8Array => typed.header(fields);
