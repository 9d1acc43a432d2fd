import { utf8Encoder } from './text';
import { SHA256_WASM } from './sha256-wasm';
import { compileWasm } from './wasm';

/**
 * SHA-256 as lowercase hex. On Node the native hash is used (found through `process.getBuiltinModule`, so this
 * module imports nothing from Node and still runs in browsers), except for a process's first small inputs, hashed in
 * WebAssembly: loading node:crypto costs about 5 ms, a tenth of a small scan. Elsewhere, a small pure implementation.
 */
export function sha256Hex(data: string | Uint8Array): string {
  if (native === undefined) {
    // At most 3 UTF-8 bytes per UTF-16 unit.
    const size = typeof data === 'string' ? 3 * data.length : data.length;
    if (size <= wasmLeft) {
      const hex = wasmSha256Hex(data);
      if (hex !== null) {
        wasmLeft -= size;
        return hex;
      }
    }
    native = loadNative();
  }
  // The one-shot `hash` (Node 20.12+) costs half as much per call as a Hash object: thousands of sources add up.
  if (native?.hash !== undefined) return native.hash('sha256', data, 'hex');
  if (native !== null) return native.createHash('sha256').update(data).digest('hex');
  return toHex(sha256(typeof data === 'string' ? utf8Encoder.encode(data) : data));
}

/**
 * Says that much is about to be hashed (a big map's contents): node:crypto is loaded now, where it is found, rather
 * than after a first MiB hashed in WebAssembly, which only pays for itself on small scans.
 */
export function expectBulkHashing(): void {
  if (native === undefined) native = loadNative();
}

/** SHA-256 fed in pieces: `update` with each chunk in order (chunks may be reused after the call), then `digest`. */
export interface Sha256Stream {
  update(chunk: Uint8Array): void;
  /** Lowercase hex of everything given. */
  digest(): string;
}

/** A {@link Sha256Stream}: native on Node; elsewhere the chunks are copied and hashed at the end. */
export function createSha256(): Sha256Stream {
  if (native === undefined) native = loadNative();
  if (native !== null) {
    const hash = native.createHash('sha256');
    return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest('hex') };
  }
  const chunks: Uint8Array[] = [];
  return {
    update: (chunk) => void chunks.push(chunk.slice()),
    digest: () => {
      const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      return toHex(sha256(all));
    },
  };
}

interface NativeHash {
  update(data: string | Uint8Array): NativeHash;
  digest(encoding: 'hex'): string;
}
interface NativeCrypto {
  createHash(algorithm: 'sha256'): NativeHash;
  hash?(algorithm: 'sha256', data: string | Uint8Array, encoding: 'hex'): string;
}

/** node:crypto once loaded; null where there is none; undefined until first needed. */
let native: NativeCrypto | null | undefined;

function loadNative(): NativeCrypto | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return (proc?.getBuiltinModule?.('node:crypto') as NativeCrypto | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Bytes hashed in WebAssembly before node:crypto is loaded: past this, the native hash is faster (about 6x). */
const WASM_BUDGET = 1024 * 1024;
let wasmLeft = WASM_BUDGET;

/** Where the WebAssembly module's blocks start (see sha256.wat). */
const BLOCKS = 1024;
/** Blocks per call of the WebAssembly function (2 KiB). */
const SLICE_BLOCKS = 32;

interface WasmSha256 {
  memory: WebAssembly.Memory;
  init(): void;
  blocks(at: number, count: number): void;
}
let wasm: WasmSha256 | null | undefined;

/** @internal SHA-256 of `data` (strings as UTF-8, lone surrogates as U+FFFD) in WebAssembly; null where it cannot run. */
export function wasmSha256Hex(data: string | Uint8Array): string | null {
  if (wasm === undefined) {
    const module = compileWasm(SHA256_WASM);
    wasm = null;
    if (module !== null) {
      try {
        const exports = new WebAssembly.Instance(module, {}).exports as unknown as WasmSha256;
        new Uint32Array(exports.memory.buffer, 0, 64).set(K);
        wasm = exports;
      } catch {
        // Out of memory for an instance: the native or the pure hash serves.
      }
    }
  }
  const sha = wasm;
  if (sha === null) return null;
  const max = typeof data === 'string' ? 3 * data.length : data.length;
  // The message, 0x80, zeros, and its bit length as 64 bits: a whole number of blocks.
  const room = BLOCKS + Math.ceil((max + 9) / 64) * 64;
  const pages = Math.ceil(room / 65536) - sha.memory.buffer.byteLength / 65536;
  if (pages > 0) sha.memory.grow(pages);
  const heap = new Uint8Array(sha.memory.buffer);
  let length: number;
  if (typeof data === 'string') length = utf8Encoder.encodeInto(data, heap.subarray(BLOCKS)).written;
  else {
    heap.set(data, BLOCKS);
    length = data.length;
  }
  const blocks = Math.ceil((length + 9) / 64);
  const end = BLOCKS + 64 * blocks;
  heap.fill(0, BLOCKS + length, end);
  heap[BLOCKS + length] = 0x80;
  const view = new DataView(sha.memory.buffer);
  view.setUint32(end - 8, Math.floor(length / 0x20000000));
  view.setUint32(end - 4, (length * 8) >>> 0);
  sha.init();
  // By slices: V8 runs a call in the code the function had when it began, and its first code (before the optimised
  // one, compiled in the background once it has run a little) hashes about ten times slower.
  for (let done = 0; done < blocks; done += SLICE_BLOCKS) sha.blocks(BLOCKS + 64 * done, Math.min(SLICE_BLOCKS, blocks - done));
  let hex = '';
  for (let i = 0; i < 8; i++) hex += view.getUint32(512 + 4 * i, true).toString(16).padStart(8, '0');
  return hex;
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** FIPS 180-4 SHA-256 of a byte array. */
export function sha256(bytes: Uint8Array): Uint8Array {
  const length = bytes.length;
  // Message + 0x80 + zero padding + 64-bit big-endian bit length, to a multiple of 64 bytes.
  const padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length * 8) >>> 0);

  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15]!;
      const b = w[t - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (k + S1 + ch + K[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + k) | 0;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]!);
  return out;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += bytes[i]!.toString(16).padStart(2, '0');
  return hex;
}
