import { DQ_ALERT_IDEMPOTENCY_PARTITION, DqEvaluationSchema, StoredDqResultSource, type DqNotifierDependencies, type DqResultSource } from '@cur/dq-alerts';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { SERVICE_NAME } from './constants';

/**
 * The composition root: rule results from Glue's API in AWS (the event carries only counts), from the system bucket
 * where the local evaluator stores them otherwise; alerts to SNS or the outbox; Powertools Idempotency's records of
 * each alert in the `dq-alerts` table (DynamoDB, or dynalite locally).
 */
export async function createDqNotifierDependencies(env: NodeJS.ProcessEnv = process.env): Promise<DqNotifierDependencies> {
  const config = loadPlatformConfig(env);
  const runtime = await createRuntime(config);
  const results: DqResultSource =
    config.mode === 'aws'
      ? await (async () => {
          const [{ GlueDqResultSource }, { GlueClient }] = await Promise.all([import('@cur/adapters-aws'), import('@aws-sdk/client-glue')]);
          const glue = new GlueDqResultSource(new GlueClient({ region: config.region }));
          // Checked at the boundary like any other input.
          return { get: async (resultId: string) => DqEvaluationSchema.parse(await glue.get(resultId)) };
        })()
      : new StoredDqResultSource(runtime.blobStore('system'));
  return {
    results,
    notifier: runtime.notifier(),
    idempotencyStore: await runtime.idempotencyStore('dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION),
    logger: createLogger({ serviceName: SERVICE_NAME }),
  };
}
