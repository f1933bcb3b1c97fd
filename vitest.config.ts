import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports" map: Vite would pick its ESM build for our files while Node
    // loads the CommonJS one for type-graphql and Apollo — two copies that reject each other's
    // types. Pin the entry Node itself uses, as in production.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Fails any test during which the replay server got a request it had no answer for.
    setupFiles: ['./test/support/setup.ts'],
    reporters: ['default', './test/support/summaryReporter.ts'],
  },
});
