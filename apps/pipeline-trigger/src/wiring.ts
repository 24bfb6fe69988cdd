import { BatchLedger } from '@cur/ingestion';
import { loadPlatformConfig, type Logger } from '@cur/platform';
import { captureSdkClients } from '@cur/platform/tracing';
import { createIdempotencyStore } from '@cur/runtime/idempotency';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { loadPipelineTriggerConfig } from './config';
import { BATCH_IDEMPOTENCY_PARTITION } from './constants';
import type { PipelineTriggerDependencies } from './core';
import { MwaaDagRunStarter } from './dag-run-starter';
import { MwaaRestApiClient, type AwsCredentials } from './mwaa-rest-api-client';
import { logger as serviceLogger, tracer } from './observability';

/** The trigger's dependencies, and how to let go of them. */
export interface PipelineTriggerWiring extends PipelineTriggerDependencies {
  readonly ledger: BatchLedger;
  close(): Promise<void>;
}

/**
 * The composition root: the batch ledger and the idempotency records on DynamoDB (dynalite locally), DAG runs
 * through MWAA's InvokeRestApi. Only the DynamoDB client is bundled; MWAA is called with the SigV4 signer (see
 * `MwaaRestApiClient`).
 */
export async function createPipelineTriggerDependencies(
  env: NodeJS.ProcessEnv = process.env,
  options: { readonly logger?: Logger; readonly credentials?: () => Promise<AwsCredentials> } = {},
): Promise<PipelineTriggerWiring> {
  const trigger = loadPipelineTriggerConfig(env);
  const platform = loadPlatformConfig(env);
  const keyValue = await createKeyValuePorts(platform, captureSdkClients(tracer));
  const client = new MwaaRestApiClient({
    region: platform.region,
    ...(trigger.endpoint === undefined ? {} : { endpoint: trigger.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  return {
    ledger: new BatchLedger(keyValue.keyValueStore),
    dagRuns: new MwaaDagRunStarter(client, trigger.environmentName),
    idempotencyStore: await createIdempotencyStore(keyValue, 'pipeline-triggers', BATCH_IDEMPOTENCY_PARTITION),
    logger: options.logger ?? serviceLogger,
    dagId: trigger.dagId,
    close: () => keyValue.close(),
  };
}
