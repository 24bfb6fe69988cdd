import { instrumentHandler, type LambdaContext, type Logger } from '@cur/platform';
import { MetricUnit, type Metrics } from '@cur/platform/metrics';
import { PIPELINE_TRIGGER_METRICS } from './constants';
import { createPipelineTriggerHandler, type PipelineTriggerDependencies, type PipelineTriggerOutcome } from './core';
import { logger, metrics } from './observability';
import { createPipelineTriggerDependencies } from './wiring';

/**
 * The trigger's logic (`createPipelineTriggerHandler`) in the service's Powertools conventions: the logger gets the
 * Lambda context, a created DAG run counts `DagRunsTriggered`, a batch whose date still waits `BatchesAwaitingDate`.
 * A failure throws, so Lambda retries the event and finally dead-letters it. Never logs the event.
 */
export function createPipelineTriggerLambda(
  dependencies: () => Promise<PipelineTriggerDependencies>,
  tools: { readonly logger: Logger; readonly metrics: Metrics } = { logger, metrics },
): (event: unknown, context?: LambdaContext) => Promise<PipelineTriggerOutcome> {
  const handle = createPipelineTriggerHandler(dependencies);
  return instrumentHandler(async (event: unknown, context?: LambdaContext) => {
    const outcome = await handle(event, context);
    if (outcome.outcome === 'triggered') tools.metrics.addMetric(PIPELINE_TRIGGER_METRICS.dagRunsTriggered, MetricUnit.Count, 1);
    if (outcome.outcome === 'waiting') tools.metrics.addMetric(PIPELINE_TRIGGER_METRICS.batchesAwaitingDate, MetricUnit.Count, 1);
    return outcome;
  }, tools);
}

let dependencies: Promise<PipelineTriggerDependencies> | undefined;

/** The Lambda entry (`handler.handler`) for `Batch Accepted` events on the platform bus. */
export const handler = createPipelineTriggerLambda(() => {
  dependencies ??= createPipelineTriggerDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
