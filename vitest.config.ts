import { defineConfig } from 'vitest/config';

// Tests sit beside the code (`*.test.ts`); full-stack suites end in `.int.test.ts`. The build runs first: processes
// and threads the tests start run the compiled dist/ (scripts/build-before-tests.ts).
// Two cores here: keep the pool small so real servers and databases in tests do not starve each other.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['scripts/build-before-tests.ts', 'test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
