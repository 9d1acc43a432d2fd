/**
 * Compiles a WebAssembly module held as base64 (the generated `*-wasm.ts` modules); null where WebAssembly is missing
 * or refused (a CSP, a sandbox, no SIMD): the caller then runs its TypeScript path.
 */
export function compileWasm(base64: string): WebAssembly.Module | null {
  try {
    const code = atob(base64);
    const bytes = new Uint8Array(code.length);
    for (let i = 0; i < code.length; i++) bytes[i] = code.charCodeAt(i);
    return new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
}
