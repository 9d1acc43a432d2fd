import { defineConfig, type Options } from 'tsup';

/** CommonJS output has no import.meta: src/runtime/here.ts reads __filename there, and this keeps esbuild quiet. */
const cjsWithoutImportMeta: Options['esbuildOptions'] = (options, { format }) => {
  if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    target: 'node20',
    sourcemap: false,
    splitting: false,
    // No stand-ins for import.meta.url in CommonJS (they are built as a bundle loads): src/runtime/here.ts uses
    // __filename there.
    shims: false,
    esbuildOptions: cjsWithoutImportMeta,
  },
  {
    // The CLI and the worker threads are CommonJS: an ES module entry costs a process (or a thread) about 10 ms of
    // start-up in Node 20's module loader, a third of what a small map's whole scan may take.
    // The command itself is src/cli/bin.cjs, which runs cli-main.cjs from a code cache (scripts/code-cache.cjs).
    entry: { 'cli-main': 'src/cli/main.ts', worker: 'src/parallel/worker.ts', assist: 'src/parallel/assist-worker.ts' },
    format: ['cjs'],
    target: 'node20',
    splitting: false,
    shims: false,
    esbuildOptions: cjsWithoutImportMeta,
    onSuccess: 'node scripts/code-cache.cjs',
  },
]);
