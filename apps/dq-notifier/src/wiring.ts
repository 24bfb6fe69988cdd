import { join } from 'node:path';
import { DQ_ALERT_IDEMPOTENCY_PARTITION, DqEvaluationSchema, StoredDqResultSource, type DqNotifierDependencies, type DqResultSource } from '@cur/dq-alerts';
import { loadPlatformConfig, type Logger } from '@cur/platform';
import { createIdempotencyStore } from '@cur/runtime/idempotency';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { createNotifier } from '@cur/runtime/notifier';
import { captureSdkClients } from '@cur/platform/tracing';
import { logger as serviceLogger, tracer } from './observability';

/**
 * The composition root: rule results from Glue's API in AWS (the event carries only counts), from the system bucket
 * where the local evaluator stores them otherwise; alerts to SNS or the outbox; Powertools Idempotency's records of
 * each alert in the `dq-alerts` table (DynamoDB, or dynalite locally). Only those ports are wired: in AWS the
 * bundle's clients are Glue, SNS and DynamoDB, and the S3 client is not among them (the local result source reads
 * the lake folder directly).
 */
export async function createDqNotifierDependencies(env: NodeJS.ProcessEnv = process.env, logger: Logger = serviceLogger): Promise<DqNotifierDependencies> {
  const config = loadPlatformConfig(env);
  const capture = captureSdkClients(tracer);
  const [{ notifier }, keyValue] = await Promise.all([createNotifier(config, capture), createKeyValuePorts(config, capture)]);
  const results: DqResultSource =
    config.mode === 'aws'
      ? await (async () => {
          const [{ GlueDqResultSource }, { GlueClient }] = await Promise.all([import('@cur/adapters-aws/dq-results'), import('@aws-sdk/client-glue')]);
          const glue = new GlueDqResultSource(capture.captureClient(new GlueClient({ region: config.region })));
          // Checked at the boundary like any other input.
          return { get: async (resultId: string) => DqEvaluationSchema.parse(await glue.get(resultId)) };
        })()
      : await (async () => {
          // The local lake's system bucket (`<home>/lake/system`, where createBlobStores puts it).
          const { FsBlobStore } = await import('@cur/adapters-local/blob-store');
          return new StoredDqResultSource(new FsBlobStore(join(config.home, 'lake'), 'system'));
        })();
  return {
    results,
    notifier,
    idempotencyStore: await createIdempotencyStore(keyValue, 'dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION),
    logger,
  };
}
