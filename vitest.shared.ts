import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings; each project's vitest.config.ts spreads these so every project tests the same way.
 * Tests live in `tests/unit` and `tests/integration`; a focused test (`.only`) fails the run in CI.
 */
export const sharedTestConfig = defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    allowOnly: !process.env['CI'],
    passWithNoTests: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
