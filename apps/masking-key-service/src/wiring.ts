import { z } from 'zod';
import { ConfigError, loadPlatformConfig } from '@cur/platform';
import { DEFAULT_LOOKUP_LIMIT, TokenService } from '@cur/masking';
import { captureSdkClients, createTracer } from '@cur/platform/tracing';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { createKeyVault } from '@cur/runtime/key-vault';
import { SERVICE_NAME } from './constants';

/** The service's X-Ray tracer (tracing is active in the CDK; off outside Lambda): every DynamoDB and KMS call a subsegment. */
export const tracer = createTracer(SERVICE_NAME);

/** This service's own settings, beside the platform's. */
const ServiceConfigSchema = z.object({
  /** Customer lookups by national ID one principal may make per minute. */
  CUR_LOOKUP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_LOOKUP_LIMIT),
});

/**
 * The composition root: configuration from the environment, the runtime's adapters, and the token service on top.
 * Built once per Lambda container, on the first invocation.
 *
 * @throws ConfigError naming `CUR_LOOKUP_RATE_PER_MINUTE` when it is not a whole number from 1 to 100000
 */
export async function createTokenService(env: NodeJS.ProcessEnv = process.env): Promise<TokenService> {
  const parsed = ServiceConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError('CUR_LOOKUP_RATE_PER_MINUTE must be a whole number from 1 to 100000 (lookups per principal per minute)');
  const config = loadPlatformConfig(env);
  // Keys and the audit log (DynamoDB) and the master key (KMS): the only ports this service uses.
  const capture = captureSdkClients(tracer);
  const [{ keyValueStore }, vault] = await Promise.all([createKeyValuePorts(config, capture), createKeyVault(config, capture)]);
  return TokenService.create({ keyValueStore, keyVault: vault.keyVault(), lookupRate: { limit: parsed.data.CUR_LOOKUP_RATE_PER_MINUTE } });
}
