import { mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.ts';

// Synthesis copies six Lambda bundles per App; one App per test file (beforeAll) keeps the suite in seconds.
export default mergeConfig(sharedTestConfig, {});
