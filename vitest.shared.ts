import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings; each project's vitest.config.ts spreads these so every project tests the same way.
 * Tests live in `tests/unit` and `tests/integration`; a focused test (`.only`) fails the run in CI. Each run's temp
 * folders live under one folder that is deleted when the run ends (vitest.global-setup.ts).
 */
export const sharedTestConfig = defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: [fileURLToPath(new URL('./vitest.global-setup.ts', import.meta.url))],
    environment: 'node',
    allowOnly: !process.env['CI'],
    passWithNoTests: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Services log at INFO and above; tests that check log output set their own level. The AWS SDK's notice that
    // its releases after January 2027 need Node 22 is not hidden: it shows on Node 20, and is the reason to move.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
