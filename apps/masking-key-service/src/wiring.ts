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

/** The variable naming the IAM roles whose calls through the function URL act as SYSTEM (comma-separated role ARNs). */
export const IAM_SYSTEM_ROLES_ENV = 'CUR_KEY_SERVICE_SYSTEM_ROLE_ARNS';

const RoleArnsSchema = z
  .string()
  .default('')
  .transform((text) => text.split(',').map((arn) => arn.trim()).filter((arn) => arn !== ''))
  .pipe(z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@-]{1,64}$/)));

/**
 * The roles whose SigV4-signed calls through the IAM-authorised function URL act as SYSTEM: the Glue mask job's (the
 * CDK sets it). Unset, no IAM caller acts as SYSTEM.
 *
 * @throws ConfigError naming the variable when an entry is not an IAM role ARN
 */
export function iamSystemRoleArns(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  const parsed = RoleArnsSchema.safeParse(env[IAM_SYSTEM_ROLES_ENV]);
  if (!parsed.success) throw new ConfigError(`${IAM_SYSTEM_ROLES_ENV} must list IAM role ARNs (arn:aws:iam::<account>:role/<name>), comma-separated`);
  return new Set(parsed.data);
}

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
