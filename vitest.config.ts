import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real git, real files and child processes: keep parallelism modest on 2 cores.
    maxWorkers: 2,
    globalSetup: ['test/support/global-temp-dir.ts'],
  },
});
