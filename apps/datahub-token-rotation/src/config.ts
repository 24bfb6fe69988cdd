import { z } from 'zod';
import { ConfigError } from '@cur/platform';
import { ACCESS_TOKEN_DURATIONS, DEFAULT_TOKEN_DURATION } from './constants';

/** The rotation's settings, from its environment. Read once, on the first event. */
export const TokenRotationEnvSchema = z.object({
  /** DataHub's GMS endpoint (the platform stack's `/cur-<stage>/datahub/endpoint`, resolved at deploy time). */
  CUR_DATAHUB_ENDPOINT: z.url({ protocol: /^https?$/ }),
  /** Names each minted token `cur-<stage>-lineage`, so DataHub's token list says whose it is. */
  CUR_STAGE: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/),
  /** @default DEFAULT_TOKEN_DURATION */
  CUR_DATAHUB_TOKEN_DURATION: z.enum(ACCESS_TOKEN_DURATIONS).default(DEFAULT_TOKEN_DURATION),
  /** A Secrets Manager endpoint other than the region's: moto's server in tests. */
  CUR_SECRETS_MANAGER_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  AWS_REGION: z.string().min(1),
});

/** The rotation's validated settings. */
export interface TokenRotationConfig {
  readonly endpoint: string;
  readonly tokenName: string;
  readonly tokenDuration: (typeof ACCESS_TOKEN_DURATIONS)[number];
  readonly secretsManagerEndpoint?: string;
  readonly region: string;
}

/**
 * Reads the rotation's settings.
 *
 * @throws ConfigError naming each variable at fault (never a value)
 */
export function loadTokenRotationConfig(env: NodeJS.ProcessEnv = process.env): TokenRotationConfig {
  const parsed = TokenRotationEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid datahub-token-rotation configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const vars = parsed.data;
  return {
    endpoint: vars.CUR_DATAHUB_ENDPOINT,
    tokenName: `cur-${vars.CUR_STAGE}-lineage`,
    tokenDuration: vars.CUR_DATAHUB_TOKEN_DURATION,
    region: vars.AWS_REGION,
    ...(vars.CUR_SECRETS_MANAGER_ENDPOINT === undefined ? {} : { secretsManagerEndpoint: vars.CUR_SECRETS_MANAGER_ENDPOINT }),
  };
}
