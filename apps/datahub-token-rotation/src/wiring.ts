import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Logger } from '@cur/platform';
import { loadTokenRotationConfig } from './config';
import type { TokenRotationDependencies } from './core';
import { DataHubTokenApi } from './datahub-token-api';
import { logger as serviceLogger } from './observability';
import { SecretsManagerRotatableSecret } from './secrets-manager-rotatable-secret';

/**
 * The composition root: the secret in Secrets Manager (through its VPC endpoint in AWS, moto's server in tests) and
 * DataHub's GMS GraphQL at the stage's endpoint.
 */
export function createTokenRotationDependencies(env: NodeJS.ProcessEnv = process.env, options: { readonly logger?: Logger } = {}): TokenRotationDependencies {
  const config = loadTokenRotationConfig(env);
  const client = new SecretsManagerClient({ region: config.region, ...(config.secretsManagerEndpoint === undefined ? {} : { endpoint: config.secretsManagerEndpoint }) });
  return { secret: new SecretsManagerRotatableSecret(client), dataHub: new DataHubTokenApi(config.endpoint), config, logger: options.logger ?? serviceLogger };
}
