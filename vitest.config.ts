import { defineConfig } from 'vitest/config';

// Tests sit beside the code (`*.test.ts`); full-stack suites end in `.int.test.ts`.
// Two cores here: keep the pool small so real servers and databases in tests do not starve each other.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
