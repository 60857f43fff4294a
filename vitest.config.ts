import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) copies; Node, and so type-graphql and
    // Apollo, load the CJS one. Vite must too, or scalars and errors are foreign instances.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // type-graphql needs it loaded before any resolver, as server/main.ts does.
    setupFiles: ['reflect-metadata'],
    // Generous: a timeout here only catches hangs; speed is measured in bench/.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
