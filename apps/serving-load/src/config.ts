import { z } from 'zod';
import { ConfigError } from '@cur/platform';
import { DEFAULT_ENGINE_MEMORY_MB, DEFAULT_SCRATCH_DIR, ENGINE_MEMORY_SHARE } from './constants';

/** The load's own settings, beside the platform's (`loadPlatformConfig`). Read once, on the first invocation. */
export const ServingLoadEnvSchema = z.object({
  /** Where the load's Parquet files are copied and DuckDB spills. @default DEFAULT_SCRATCH_DIR */
  CUR_SERVING_SCRATCH_DIR: z.string().startsWith('/').optional(),
  /** Set by Lambda: the function's memory in MB, of which DuckDB gets ENGINE_MEMORY_SHARE. */
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: z.coerce.number().int().min(128).optional(),
});

/** What the wiring needs. */
export interface ServingLoadConfig {
  readonly scratchDir: string;
  /** DuckDB's `memory_limit`, e.g. `1843MB`. */
  readonly engineMemoryLimit: string;
}

/**
 * Reads the load's settings.
 *
 * @throws ConfigError naming each variable at fault
 */
export function loadServingLoadConfig(env: NodeJS.ProcessEnv = process.env): ServingLoadConfig {
  const parsed = ServingLoadEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid serving-load configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const memoryMb = parsed.data.AWS_LAMBDA_FUNCTION_MEMORY_SIZE === undefined ? DEFAULT_ENGINE_MEMORY_MB : Math.floor(parsed.data.AWS_LAMBDA_FUNCTION_MEMORY_SIZE * ENGINE_MEMORY_SHARE);
  return { scratchDir: parsed.data.CUR_SERVING_SCRATCH_DIR ?? DEFAULT_SCRATCH_DIR, engineMemoryLimit: `${memoryMb}MB` };
}
