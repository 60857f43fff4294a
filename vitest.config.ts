import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: a timeout here only catches hangs; speed is measured in bench/.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
