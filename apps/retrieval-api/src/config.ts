import { z } from 'zod';
import { ConfigError } from '@cur/platform';
import { DEFAULT_POINTER_TTL_MS } from '@cur/serving';

/** The retrieval API's own settings, beside the platform's (`loadPlatformConfig`). Read once, on the first call. */
export const RetrievalApiEnvSchema = z.object({
  CUR_MODE: z.enum(['local', 'aws']).default('local'),
  /** The masking-key-service's base URL: lookups and reveals go there, with the caller's own token. */
  CUR_KEY_SERVICE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How long the serving pointer is trusted before it is read again, in ms. */
  CUR_SERVING_POINTER_TTL_MS: z.coerce.number().int().min(0).max(60_000).optional(),
});

/** The validated settings. */
export interface RetrievalApiConfig {
  readonly keyServiceUrl: string | undefined;
  readonly pointerTtlMs: number;
}

/**
 * Reads the retrieval API's settings.
 *
 * @throws ConfigError naming each variable at fault; `CUR_KEY_SERVICE_URL` is required in AWS mode
 */
export function loadRetrievalApiConfig(env: NodeJS.ProcessEnv = process.env): RetrievalApiConfig {
  const parsed = RetrievalApiEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid retrieval-api configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  if (parsed.data.CUR_MODE === 'aws' && parsed.data.CUR_KEY_SERVICE_URL === undefined) {
    throw new ConfigError('invalid retrieval-api configuration: CUR_KEY_SERVICE_URL is required when CUR_MODE=aws');
  }
  return { keyServiceUrl: parsed.data.CUR_KEY_SERVICE_URL, pointerTtlMs: parsed.data.CUR_SERVING_POINTER_TTL_MS ?? DEFAULT_POINTER_TTL_MS };
}
