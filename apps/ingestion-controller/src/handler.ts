import { createIngestionHandler, type IngestionDependencies, type IngestionOutcome } from '@cur/ingestion';
import { instrumentHandler, type LambdaContext, type Logger } from '@cur/platform';
import { METRIC_NAMES, MetricUnit, type Metrics } from '@cur/platform/metrics';
import { logger, metrics } from './observability';
import { createIngestionDependencies } from './wiring';

/**
 * Counts what an invocation did: batches accepted, and batches refused (quarantined with a coded reason). A
 * duplicate delivery or a control file already gone counts as neither.
 */
export function countIngestionOutcomes(target: Metrics, outcomes: readonly IngestionOutcome[]): void {
  target.addMetric(METRIC_NAMES.batchesAccepted, MetricUnit.Count, outcomes.filter((o) => o.outcome === 'accepted').length);
  target.addMetric(METRIC_NAMES.batchesRefused, MetricUnit.Count, outcomes.filter((o) => o.outcome === 'quarantined').length);
}

/**
 * The Lambda logic (`createIngestionHandler` in libs/ingestion, the same function `cur ingest` runs locally) in the
 * service's Powertools conventions: the logger gets the Lambda context, the outcomes are counted as metrics.
 */
export function createIngestionControllerHandler(
  dependencies: () => Promise<IngestionDependencies>,
  tools: { readonly logger: Logger; readonly metrics: Metrics } = { logger, metrics },
): (event: unknown, context?: LambdaContext) => Promise<IngestionOutcome[]> {
  const handle = createIngestionHandler(dependencies);
  return instrumentHandler(async (event: unknown) => {
    const outcomes = await handle(event);
    countIngestionOutcomes(tools.metrics, outcomes);
    return outcomes;
  }, tools);
}

let dependencies: Promise<IngestionDependencies> | undefined;

/**
 * The Lambda entry (`handler.handler`): S3 notifications of control files and the periodic schedule. A failure
 * throws, so Lambda retries and finally dead-letters the event.
 */
export const handler = createIngestionControllerHandler(() => {
  dependencies ??= createIngestionDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
