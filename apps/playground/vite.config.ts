import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/**
 * The CPU backend's thread pool imports `node:os` / `node:worker_threads` only when it runs in Node
 * (behind an `isNode` check); in the browser it uses Web Workers. Stub them instead of letting
 * Vite warn that it externalized them.
 */
function nodeOnlyStubs(): Plugin {
  const STUB = '\0backstep-node-only-stub';
  return {
    name: 'backstep-node-only-stubs',
    enforce: 'pre',
    resolveId: (id) => (id === 'node:os' || id === 'node:worker_threads' ? STUB : null),
    load: (id) => (id === STUB ? 'export default {};' : null),
  };
}

// The workspace packages export a "source" condition pointing at src/*.ts: the playground builds
// straight from their TypeScript sources (no package build first).
export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  plugins: [nodeOnlyStubs()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // navigator.gpu needs a secure context: http://127.0.0.1 (or localhost) is one
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      onwarn(warning, warn) {
        // backend-cpu imports its WASM runtime both statically and (in the worker path) dynamically
        if (warning.message.includes('dynamically imported by') && warning.message.includes('backend-cpu')) return;
        warn(warning);
      },
    },
  },
});
