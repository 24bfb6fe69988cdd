import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AdapterError } from '@cur/platform';
import { STAGES } from './constants';
import type { RotatableSecret, SecretRotationState } from './rotatable-secret';

/**
 * {@link RotatableSecret} on Secrets Manager. An SDK failure becomes an `AdapterError` naming the call and the
 * secret, the SDK error as its cause (Secrets Manager never echoes a secret's value in one).
 */
export class SecretsManagerRotatableSecret implements RotatableSecret {
  readonly #client: SecretsManagerClient;

  constructor(client: SecretsManagerClient) {
    this.#client = client;
  }

  async describe(secretId: string): Promise<SecretRotationState> {
    const out = await this.#send('DescribeSecret', secretId, () => this.#client.send(new DescribeSecretCommand({ SecretId: secretId })));
    return { rotationEnabled: out.RotationEnabled === true, versions: out.VersionIdsToStages ?? {} };
  }

  async read(secretId: string, version: { readonly versionId?: string; readonly stage?: string }): Promise<string | undefined> {
    try {
      const out = await this.#client.send(new GetSecretValueCommand({ SecretId: secretId, ...(version.versionId === undefined ? {} : { VersionId: version.versionId }), ...(version.stage === undefined ? {} : { VersionStage: version.stage }) }));
      return out.SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw new AdapterError(`Secrets Manager GetSecretValue of ${secretId} failed`, { cause: error, details: { operation: 'GetSecretValue' } });
    }
  }

  async putPending(secretId: string, versionId: string, text: string): Promise<void> {
    await this.#send('PutSecretValue', secretId, () => this.#client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: versionId, SecretString: text, VersionStages: [STAGES.pending] })));
  }

  async promote(secretId: string, versionId: string, fromVersionId: string): Promise<void> {
    await this.#send('UpdateSecretVersionStage', secretId, () =>
      this.#client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: STAGES.current, MoveToVersionId: versionId, RemoveFromVersionId: fromVersionId })),
    );
  }

  async #send<T>(operation: string, secretId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new AdapterError(`Secrets Manager ${operation} of ${secretId} failed`, { cause: error, details: { operation } });
    }
  }
}
