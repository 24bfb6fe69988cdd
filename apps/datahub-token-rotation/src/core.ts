import type { Logger } from '@cur/platform';
import type { TokenRotationConfig } from './config';
import { STAGES, type RotationStep } from './constants';
import { DATAHUB_CONNECTION_TYPE, parseDataHubConnection, type DataHubConnection } from './datahub-connection';
import type { DataHubTokenApi } from './datahub-token-api';
import { TOKEN_ROTATION_ERROR_CODES, TokenRotationError } from './errors';
import type { RotatableSecret } from './rotatable-secret';
import type { RotationEvent } from './rotation-event';

/** What the rotation needs: the secret, DataHub's token API, its settings and its logger. */
export interface TokenRotationDependencies {
  readonly secret: RotatableSecret;
  readonly dataHub: Pick<DataHubTokenApi, 'describe' | 'mint' | 'revoke'>;
  readonly config: Pick<TokenRotationConfig, 'endpoint' | 'tokenName' | 'tokenDuration'>;
  readonly logger: Logger;
}

/** What one step did (never a token). */
export interface RotationStepResult {
  readonly step: RotationStep;
  readonly outcome: 'done' | 'already-done' | 'nothing-to-set';
}

/**
 * One step of a rotation of the DataHub connection secret, as Secrets Manager calls it:
 *
 * - `createSecret`: asks DataHub who the current token's actor is (`getAccessTokenMetadata`), mints a new personal
 *   access token for that actor with the current one (`createAccessToken`), and stores the connection with it as
 *   `AWSPENDING` (host from the stage's DataHub endpoint). A pending version already holding a token is kept.
 * - `setSecret`: nothing: DataHub's token is live from the moment it is minted.
 * - `testSecret`: the pending token describes itself to DataHub: DataHub accepts it.
 * - `finishSecret`: moves `AWSCURRENT` to the new version, then revokes the old token (`revokeAccessToken` of its
 *   id). If that revocation fails the new token stays current and the step fails with
 *   `DATAHUB_OLD_TOKEN_NOT_REVOKED` (the function's error alarm), the old token living until it expires.
 *
 * @throws TokenRotationError with a code; never a token or DataHub's error text in a message
 */
export async function rotateDataHubToken(event: RotationEvent, deps: TokenRotationDependencies): Promise<RotationStepResult> {
  const { SecretId: secretId, ClientRequestToken: versionId, Step: step } = event;
  const state = await deps.secret.describe(secretId);
  if (!state.rotationEnabled) {
    throw new TokenRotationError(TOKEN_ROTATION_ERROR_CODES.ROTATION_NOT_APPLICABLE, `${step} of ${secretId}: rotation is not enabled on the secret; turn it on (the CDK's rotation schedule) or do not invoke this function`);
  }
  const stages = state.versions[versionId];
  if (stages === undefined) {
    throw new TokenRotationError(TOKEN_ROTATION_ERROR_CODES.ROTATION_NOT_APPLICABLE, `${step} of ${secretId}: version ${versionId} is not a version of the secret; start a new rotation`);
  }
  if (stages.includes(STAGES.current)) return { step, outcome: 'already-done' };
  if (!stages.includes(STAGES.pending)) {
    throw new TokenRotationError(TOKEN_ROTATION_ERROR_CODES.ROTATION_VERSION_NOT_PENDING, `${step} of ${secretId}: version ${versionId} is not AWSPENDING; start a new rotation`);
  }
  switch (step) {
    case 'createSecret':
      return createPendingToken(secretId, versionId, deps);
    case 'setSecret':
      return { step, outcome: 'nothing-to-set' };
    case 'testSecret': {
      const pending = await readConnection(deps.secret, secretId, { versionId, stage: STAGES.pending }, 'the pending version');
      await deps.dataHub.describe(pending.token, pending.token);
      return { step, outcome: 'done' };
    }
    case 'finishSecret':
      return finishRotation(secretId, versionId, state.versions, deps);
  }
}

async function createPendingToken(secretId: string, versionId: string, deps: TokenRotationDependencies): Promise<RotationStepResult> {
  const existing = await deps.secret.read(secretId, { versionId, stage: STAGES.pending });
  if (existing !== undefined && parseDataHubConnection(existing)?.password !== undefined) return { step: 'createSecret', outcome: 'already-done' };
  const current = await readConnection(deps.secret, secretId, { stage: STAGES.current }, 'the current version');
  const actor = await deps.dataHub.describe(current.token, current.token);
  const minted = await deps.dataHub.mint(current.token, {
    actorUrn: actor.actorUrn,
    duration: deps.config.tokenDuration,
    name: deps.config.tokenName,
    description: `Airflow's DataHub plugin and the lineage-emitter; minted by the rotation of ${secretId}, version ${versionId}`,
  });
  const next: DataHubConnection = { ...current.connection, conn_type: DATAHUB_CONNECTION_TYPE, host: deps.config.endpoint, password: minted.accessToken };
  try {
    await deps.secret.putPending(secretId, versionId, JSON.stringify(next));
  } catch (error) {
    // A token nobody stored is revoked at once rather than left valid until it expires.
    await deps.dataHub.revoke(current.token, minted.id).catch(() => false);
    throw error;
  }
  return { step: 'createSecret', outcome: 'done' };
}

async function finishRotation(secretId: string, versionId: string, versions: Readonly<Record<string, readonly string[]>>, deps: TokenRotationDependencies): Promise<RotationStepResult> {
  const previousVersion = Object.entries(versions).find(([, labels]) => labels.includes(STAGES.current))?.[0];
  if (previousVersion === undefined) {
    throw new TokenRotationError(TOKEN_ROTATION_ERROR_CODES.ROTATION_NOT_APPLICABLE, `finishSecret of ${secretId}: no version is AWSCURRENT; put the connection again (README, DataHub token)`);
  }
  const previous = await readConnection(deps.secret, secretId, { versionId: previousVersion }, 'the previous version');
  const next = await readConnection(deps.secret, secretId, { versionId, stage: STAGES.pending }, 'the pending version');
  await deps.secret.promote(secretId, versionId, previousVersion);
  try {
    const old = await deps.dataHub.describe(next.token, previous.token);
    if (!(await deps.dataHub.revoke(next.token, old.id))) throw new Error('revokeAccessToken answered false');
  } catch (error) {
    throw new TokenRotationError(
      TOKEN_ROTATION_ERROR_CODES.DATAHUB_OLD_TOKEN_NOT_REVOKED,
      `finishSecret of ${secretId}: the new token is current, but DataHub did not revoke the previous one (version ${previousVersion}); it stays valid until it expires: revoke it in DataHub's Access Tokens page`,
      { cause: error, details: { operation: 'revokeAccessToken' } },
    );
  }
  return { step: 'finishSecret', outcome: 'done' };
}

async function readConnection(secret: RotatableSecret, secretId: string, version: { readonly versionId?: string; readonly stage?: string }, what: string): Promise<{ readonly connection: DataHubConnection; readonly token: string }> {
  const text = await secret.read(secretId, version);
  const connection = text === undefined ? undefined : parseDataHubConnection(text);
  if (connection?.password === undefined) {
    throw new TokenRotationError(
      TOKEN_ROTATION_ERROR_CODES.DATAHUB_CONNECTION_UNSEEDED,
      `${secretId}: ${what} is not a DataHub connection with a token ({"conn_type":"${DATAHUB_CONNECTION_TYPE}","password":...}); seed it once with a token of DataHub's service user (README, DataHub token)`,
    );
  }
  return { connection, token: connection.password };
}
