import { randomUUID } from 'node:crypto';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@cur/platform';
import { ROTATION_STEPS } from '../../src/constants';
import { createTokenRotationLambda } from '../../src/handler';
import { createTokenRotationDependencies } from '../../src/wiring';
import { startDataHubGraphQlStandIn, type DataHubGraphQlStandIn } from '../helpers/datahub-graphql-stand-in';
import { startMotoServer, type MotoServer } from '@cur/adapters-aws/testing';

// Secrets Manager is moto's server on loopback (the real API, its real rotation bookkeeping); DataHub's GMS cannot run
// here, so a loopback stand-in answers its GraphQL token operations in DataHub's documented shapes (see the helper).
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const REGION = 'ap-northeast-1';
const SECRET = 'cur-dev/airflow/connections/datahub_rest_default';

describe('datahub-token-rotation handler', () => {
  let moto: MotoServer;
  let dataHub: DataHubGraphQlStandIn;
  let client: SecretsManagerClient;
  let output: string[];
  let secretId: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    client = new SecretsManagerClient({ region: REGION, endpoint: moto.endpoint, credentials });
  }, 120_000);
  afterAll(async () => {
    client.destroy();
    await moto.stop();
  });
  beforeEach(async () => {
    // The SDK's default credential chain reads these, as it reads the function's role credentials in Lambda.
    vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    dataHub = await startDataHubGraphQlStandIn();
    secretId = `${SECRET}-${randomUUID().slice(0, 8)}`;
    output = [];
    // Every line the logger writes, on either stream, to prove no token is ever in one.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (write as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest);
      });
    }
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await dataHub.close();
  });

  const env = (): NodeJS.ProcessEnv => ({
    CUR_DATAHUB_ENDPOINT: dataHub.endpoint,
    CUR_STAGE: 'dev',
    CUR_SECRETS_MANAGER_ENDPOINT: moto.endpoint,
    AWS_REGION: REGION,
  });
  const lambda = () => {
    const deps = createTokenRotationDependencies(env(), { logger: createLogger({ serviceName: 'datahub-token-rotation-test', logLevel: 'DEBUG' }) });
    return createTokenRotationLambda(() => deps, { logger: deps.logger });
  };
  const seed = async (text: string): Promise<void> => {
    await client.send(new CreateSecretCommand({ Name: secretId, SecretString: text }));
  };
  /**
   * What Secrets Manager does when a rotation starts: a new version id labelled AWSPENDING, without a value, and
   * rotation on. moto would then invoke the Lambda, which it cannot run here (no Docker), so it reports the function
   * missing after recording that state; the test then calls the four steps as Secrets Manager would.
   */
  const startRotation = async (): Promise<string> => {
    // moto 5.2.6 refuses a rotation while AWSPENDING sits on the AWSCURRENT version, the reverse of Secrets Manager's
    // documented rule (refused while AWSPENDING is on another version): a finished rotation's label is taken off here.
    const before = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    for (const [finished, stages] of Object.entries(before.VersionIdsToStages ?? {})) {
      if (stages.includes('AWSPENDING') && stages.includes('AWSCURRENT')) await client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSPENDING', RemoveFromVersionId: finished }));
    }
    const versionId = randomUUID();
    await expect(
      client.send(new RotateSecretCommand({ SecretId: secretId, ClientRequestToken: versionId, RotationLambdaARN: 'arn:aws:lambda:ap-northeast-1:123456789012:function:cur-dev-datahub-token-rotation', RotationRules: { AutomaticallyAfterDays: 30 } })),
    ).rejects.toThrow(/Resource not found/);
    const described = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    expect(described.RotationEnabled).toBe(true);
    expect(described.VersionIdsToStages?.[versionId]).toEqual(['AWSPENDING']);
    return versionId;
  };
  const current = async (): Promise<Record<string, unknown>> => JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }))).SecretString ?? '') as Record<string, unknown>;
  const rotate = async (handler: ReturnType<typeof lambda>, versionId: string) => {
    const results = [];
    for (const step of ROTATION_STEPS) results.push(await handler({ Step: step, SecretId: secretId, ClientRequestToken: versionId }));
    return results;
  };

  it('mints a new token with the seeded one, makes it current in the connection, and revokes the seeded one', async () => {
    // Prepare: a person seeded the connection once with a token DataHub gave them.
    const seeded = dataHub.issue();
    await seed(JSON.stringify({ conn_type: 'datahub-rest', password: seeded }));
    const versionId = await startRotation();
    const handler = lambda();

    // Act
    const results = await rotate(handler, versionId);

    // Assess
    expect(results.map((result) => result.outcome)).toEqual(['done', 'nothing-to-set', 'done', 'done']);
    const connection = await current();
    expect(connection).toEqual({ conn_type: 'datahub-rest', host: dataHub.endpoint, password: expect.any(String) });
    const minted = dataHub.tokens.get(String(connection['password']));
    expect(minted).toMatchObject({ actorUrn: 'urn:li:corpuser:cur-lineage', name: 'cur-dev-lineage', duration: 'THREE_MONTHS', revoked: false });
    expect(dataHub.tokens.get(seeded)?.revoked).toBe(true);
    const described = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    expect(described.VersionIdsToStages?.[versionId]).toContain('AWSCURRENT');
    expect(dataHub.calls).toEqual(['getAccessTokenMetadata', 'createAccessToken', 'getAccessTokenMetadata', 'getAccessTokenMetadata', 'revokeAccessToken']);
    // No token in any log line or result.
    const printed = output.join('') + JSON.stringify(results);
    expect(printed).toContain('rotation step finished');
    expect(printed).not.toContain(seeded);
    expect(printed).not.toContain(String(connection['password']));
  });

  it('rotates again on schedule with the token it minted last time, which it then revokes', async () => {
    // Prepare
    await seed(JSON.stringify({ conn_type: 'datahub-rest', password: dataHub.issue() }));
    const handler = lambda();
    await rotate(handler, await startRotation());
    const first = String((await current())['password']);

    // Act
    await rotate(handler, await startRotation());

    // Assess
    const second = String((await current())['password']);
    expect(second).not.toBe(first);
    expect(dataHub.tokens.get(first)?.revoked).toBe(true);
    expect(dataHub.tokens.get(second)?.revoked).toBe(false);
  });

  it('keeps a pending token already created when Secrets Manager retries createSecret, and repeats nothing once current', async () => {
    // Prepare
    await seed(JSON.stringify({ conn_type: 'datahub-rest', password: dataHub.issue() }));
    const versionId = await startRotation();
    const handler = lambda();
    await handler({ Step: 'createSecret', SecretId: secretId, ClientRequestToken: versionId });

    // Act
    const retried = await handler({ Step: 'createSecret', SecretId: secretId, ClientRequestToken: versionId });
    await rotate(handler, versionId);
    const afterwards = await handler({ Step: 'finishSecret', SecretId: secretId, ClientRequestToken: versionId });

    // Assess
    expect(retried.outcome).toBe('already-done');
    expect(afterwards.outcome).toBe('already-done');
    expect(dataHub.calls.filter((call) => call === 'createAccessToken')).toHaveLength(1);
  });

  it('refuses a secret never seeded (the CDK placeholder) with a coded error that quotes nothing of it', async () => {
    // Prepare: what the CDK creates, the connection with a generated description and no password.
    const placeholder = 'Xq7notAdatahubTokenPlaceholder';
    await seed(JSON.stringify({ conn_type: 'datahub-rest', host: dataHub.endpoint, description: placeholder }));
    const versionId = await startRotation();

    // Act
    const failure = await lambda()({ Step: 'createSecret', SecretId: secretId, ClientRequestToken: versionId }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ code: 'DATAHUB_CONNECTION_UNSEEDED' });
    expect((failure as Error).message).toMatch(/seed it once/);
    expect(dataHub.calls).toEqual([]);
    expect(output.join('') + (failure as Error).message).not.toContain(placeholder);
  });

  it('fails createSecret with DATAHUB_TOKEN_REFUSED when the current token was revoked, never quoting it', async () => {
    // Prepare
    const seeded = dataHub.issue();
    await seed(JSON.stringify({ conn_type: 'datahub-rest', password: seeded }));
    for (const token of dataHub.tokens.values()) token.revoked = true;
    const versionId = await startRotation();

    // Act
    const failure = await lambda()({ Step: 'createSecret', SecretId: secretId, ClientRequestToken: versionId }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ code: 'DATAHUB_TOKEN_REFUSED', details: { operation: 'getAccessTokenMetadata', status: 401 } });
    const printed = output.join('') + String((failure as Error).message) + JSON.stringify(failure);
    expect(printed).toContain('DATAHUB_TOKEN_REFUSED');
    expect(printed).not.toContain(seeded);
  });

  it('leaves the new token current and fails finishSecret with DATAHUB_OLD_TOKEN_NOT_REVOKED when DataHub does not revoke the old one', async () => {
    // Prepare
    const seeded = dataHub.issue();
    await seed(JSON.stringify({ conn_type: 'datahub-rest', password: seeded }));
    const versionId = await startRotation();
    const handler = lambda();
    for (const step of ['createSecret', 'setSecret', 'testSecret'] as const) await handler({ Step: step, SecretId: secretId, ClientRequestToken: versionId });
    dataHub.failRevocations = true;

    // Act
    const failure = await handler({ Step: 'finishSecret', SecretId: secretId, ClientRequestToken: versionId }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ code: 'DATAHUB_OLD_TOKEN_NOT_REVOKED' });
    const connection = await current();
    expect(connection['password']).not.toBe(seeded);
    expect(dataHub.tokens.get(String(connection['password']))?.revoked).toBe(false);
    expect(dataHub.tokens.get(seeded)?.revoked).toBe(false);
    const printed = output.join('') + (failure as Error).message;
    expect(printed).not.toContain(seeded);
    expect(printed).not.toContain(String(connection['password']));
  });

  it('throws on an event that is not a rotation step', async () => {
    await expect(lambda()({ Step: 'rotateEverything', SecretId: secretId, ClientRequestToken: randomUUID() })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
