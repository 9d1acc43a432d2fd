import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    target: 'node20',
    sourcemap: false,
    splitting: false,
    // Bundled so only the inflaters we use are parsed (fflate's full entry costs ~10 ms of start-up per process).
    noExternal: ['fflate'],
    // import.meta.url in the CJS build (it finds dist/worker.js beside dist/node.cjs).
    shims: true,
  },
  {
    // The worker thread of parallel scans, beside the bundles that start it (ESM, loaded by both builds).
    entry: { worker: 'src/parallel/worker.ts', assist: 'src/parallel/assist-worker.ts' },
    format: ['esm'],
    target: 'node20',
    splitting: false,
    noExternal: ['fflate'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    splitting: false,
    noExternal: ['fflate'],
  },
]);
