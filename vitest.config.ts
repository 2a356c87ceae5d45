import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure, next to the code) and `integration` (test/, with the Firestore
 * emulator started once for the run by the global setup and cleared between files).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'functions/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/fast-check-seed.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/fast-check-seed.ts', 'test/support/per-file-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
