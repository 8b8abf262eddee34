import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages export a "source" condition pointing at src/*.ts,
    // so tests run straight from the sources without a build.
    conditions: ['source'],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tools/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
