import { z } from 'zod';
import { ConfigError } from '@cur/platform';
import { PIPELINE_DAG_ID } from './constants';

/** The pipeline-trigger's own settings, beside the platform's (`loadPlatformConfig`). Read once, on the first event. */
export const PipelineTriggerEnvSchema = z.object({
  /** The MWAA environment that runs the DAG (MWAA's name rule). */
  CUR_MWAA_ENVIRONMENT: z.string().regex(/^[a-zA-Z][0-9a-zA-Z_-]{0,79}$/).optional(),
  /** @default PIPELINE_DAG_ID */
  CUR_PIPELINE_DAG_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,250}$/).optional(),
  /** MWAA's API somewhere else than its regional endpoint: a stand-in on loopback in tests. */
  CUR_MWAA_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
});

/** Where DAG runs are started. */
export interface PipelineTriggerConfig {
  readonly environmentName: string;
  readonly dagId: string;
  readonly endpoint?: string;
}

/**
 * Reads the trigger's settings. There is no local stand-in for MWAA: on a laptop `cur run` runs the pipeline (the
 * ingestion handler starts it), so `CUR_MWAA_ENVIRONMENT` is required wherever this service runs.
 *
 * @throws ConfigError naming each variable at fault
 */
export function loadPipelineTriggerConfig(env: NodeJS.ProcessEnv = process.env): PipelineTriggerConfig {
  const parsed = PipelineTriggerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid pipeline-trigger configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const vars = parsed.data;
  if (vars.CUR_MWAA_ENVIRONMENT === undefined) {
    throw new ConfigError('invalid pipeline-trigger configuration: CUR_MWAA_ENVIRONMENT required (the MWAA environment whose DAG it starts; locally `cur run` runs the pipeline instead)');
  }
  return { environmentName: vars.CUR_MWAA_ENVIRONMENT, dagId: vars.CUR_PIPELINE_DAG_ID ?? PIPELINE_DAG_ID, ...(vars.CUR_MWAA_ENDPOINT === undefined ? {} : { endpoint: vars.CUR_MWAA_ENDPOINT }) };
}
