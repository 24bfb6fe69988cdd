import { mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// dt-sql-parser ships ES modules with directory imports that plain node refuses; vite transforms it instead.
export default mergeConfig(sharedTestConfig, { test: { server: { deps: { inline: ['dt-sql-parser'] } } } });
