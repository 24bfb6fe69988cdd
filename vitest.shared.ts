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
    // The SDK warns on every process that Node 20 support ends in 2027; versions are pinned, the warning is noise.
    // Services log at INFO and above; tests that check log output set their own level.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
