/**
 * `import()` of a dependency loaded on first use. The `sourcemap-forensics` command runs its bundle from a V8 code
 * cache (src/cli/bin.cjs), and in Node 20 a script compiled from a code cache cannot run `import()` itself (the
 * import callback is lost with the cache): the command installs an `import` of its own under this key, and every
 * dynamic import here goes through it. Elsewhere (the library, the worker threads, the tests) it is `import()`.
 */
export function load<T>(specifier: string): Promise<T> {
  const host = (globalThis as { [HOST_IMPORT]?: (specifier: string) => Promise<unknown> })[HOST_IMPORT];
  return (host !== undefined ? host(specifier) : import(specifier)) as Promise<T>;
}

const HOST_IMPORT = Symbol.for('sourcemap-forensics.import');
