import { z } from 'zod';
import { ConfigError } from '@cur/platform';

/** The emitter's own settings, beside the platform's (`loadPlatformConfig`). Read once, on the first event. */
export const LineageEmitterEnvSchema = z.object({
  /** The SSM parameter holding DataHub's GMS endpoint (`/cur-<stage>/datahub/endpoint`, the platform stack's). */
  CUR_DATAHUB_ENDPOINT_PARAMETER: z.string().regex(/^\/[A-Za-z0-9_./-]{1,1010}$/).optional(),
  /**
   * The one DataHub secret: the Airflow connection `datahub_rest_default` as JSON, its `password` DataHub's access
   * token (the orchestration stack creates and rotates it); none for a DataHub without authentication.
   */
  CUR_DATAHUB_CONNECTION_SECRET_ID: z.string().regex(/^[A-Za-z0-9_./+=@-]{1,512}$/).optional(),
  /** The endpoint itself instead of the parameter: a stand-in on loopback in tests, a DataHub on a laptop. */
  CUR_DATAHUB_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
});

/** Where DataHub's endpoint and token come from. */
export type LineageEmitterConfig =
  | { readonly endpoint: { readonly parameter: string } | { readonly url: string }; readonly connectionSecretId?: string };

/**
 * Reads the emitter's settings: the endpoint's SSM parameter (in AWS) or the endpoint itself.
 *
 * @throws ConfigError naming each variable at fault
 */
export function loadLineageEmitterConfig(env: NodeJS.ProcessEnv = process.env): LineageEmitterConfig {
  const parsed = LineageEmitterEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid lineage-emitter configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const vars = parsed.data;
  const endpoint = vars.CUR_DATAHUB_ENDPOINT !== undefined ? { url: vars.CUR_DATAHUB_ENDPOINT } : vars.CUR_DATAHUB_ENDPOINT_PARAMETER !== undefined ? { parameter: vars.CUR_DATAHUB_ENDPOINT_PARAMETER } : undefined;
  if (endpoint === undefined) throw new ConfigError('invalid lineage-emitter configuration: CUR_DATAHUB_ENDPOINT_PARAMETER (the SSM parameter of DataHub\'s endpoint) or CUR_DATAHUB_ENDPOINT required');
  return { endpoint, ...(vars.CUR_DATAHUB_CONNECTION_SECRET_ID === undefined ? {} : { connectionSecretId: vars.CUR_DATAHUB_CONNECTION_SECRET_ID }) };
}
