import { z } from 'zod';
import { ConfigError } from '@cur/platform';
import { DEFAULT_SCRATCH_DIR } from './constants';

/** The app's own settings, beside the platform's (`loadPlatformConfig`). Read once, on the first invocation. */
export const ModelHistoryEnvSchema = z.object({
  /** Where the exports are written before they are put, and DuckDB spills. @default DEFAULT_SCRATCH_DIR */
  CUR_MODEL_HISTORY_SCRATCH_DIR: z.string().startsWith('/').optional(),
});

/** What the wiring needs. */
export interface ModelHistoryConfig {
  readonly scratchDir: string;
}

/**
 * Reads the app's settings.
 *
 * @throws ConfigError naming each variable at fault
 */
export function loadModelHistoryConfig(env: NodeJS.ProcessEnv = process.env): ModelHistoryConfig {
  const parsed = ModelHistoryEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid model-history configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return { scratchDir: parsed.data.CUR_MODEL_HISTORY_SCRATCH_DIR ?? DEFAULT_SCRATCH_DIR };
}
