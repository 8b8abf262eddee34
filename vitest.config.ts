import { defineConfig } from 'vitest/config';

// Workspace packages export a "source" condition pointing at src/*.ts, so tests run straight
// from the sources without a build.
const conditions = ['source', 'module', 'node', 'import', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tools/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
