import { trainingJobNamePrefix } from '@cur/contracts';
import { MODEL_EVENT_IDEMPOTENCY_PARTITION, type ModelHistoryDependencies } from '@cur/model-registry';
import { loadPlatformConfig, type Logger } from '@cur/platform';
import { captureSdkClients } from '@cur/platform/tracing';
import { createIdempotencyStore } from '@cur/runtime/idempotency';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { logger as serviceLogger, tracer } from './observability';

/**
 * The composition root: the `model-history` table (DynamoDB, or dynalite locally) for the versions and for
 * Powertools Idempotency's records of each event, and the stage's training job name prefix (jobs of other launchers
 * are ignored). Only that port is wired: the bundle's one SDK client is DynamoDB's.
 */
export async function createModelHistoryDependencies(env: NodeJS.ProcessEnv = process.env, logger: Logger = serviceLogger): Promise<ModelHistoryDependencies> {
  const config = loadPlatformConfig(env);
  const keyValue = await createKeyValuePorts(config, captureSdkClients(tracer));
  return {
    keyValueStore: keyValue.keyValueStore,
    idempotencyStore: await createIdempotencyStore(keyValue, 'model-history', MODEL_EVENT_IDEMPOTENCY_PARTITION),
    logger,
    // The stage's own jobs only, as the rule matches them: another job that reaches the function is ignored.
    trainingJobNamePrefix: trainingJobNamePrefix(config.stage),
  };
}
