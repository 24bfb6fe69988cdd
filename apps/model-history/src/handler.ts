import { TERMINAL_STATUSES, createModelHistoryHandler, type ModelHistoryOutcome } from '@cur/model-registry';
import { CurError, instrumentHandler, isCurError, type LambdaContext, type Logger } from '@cur/platform';
import { MetricUnit, type Metrics } from '@cur/platform/metrics';
import { MODEL_HISTORY_EXPORT_FAILED, MODEL_HISTORY_METRICS } from './constants';
import { logger, metrics } from './observability';
import { createModelHistoryDependencies, type ModelHistoryAppDependencies } from './wiring';

/** What the Lambda did with one event: the record, and whether the exports were rewritten after a final status. */
export interface ModelHistoryLambdaOutcome extends ModelHistoryOutcome {
  /** `written` or `failed` once a version of the platform's reached a final status; absent otherwise. */
  readonly exports?: 'written' | 'failed';
}

/**
 * The model-history's logic (`createModelHistoryHandler` in libs/model-registry, which `cur model train` runs too)
 * in the service's Powertools conventions: the logger gets the Lambda context; the event is parsed with Powertools
 * Parser's EventBridge envelope (`SageMakerTrainingJobStateChangeSchema`), recorded once per event id (Powertools
 * Idempotency), never logged. A failure to record throws a coded error, so Lambda retries and finally dead-letters.
 *
 * Once a version of the platform's is Completed, Failed or Stopped (a redelivery too), the history's exports are
 * rewritten from the whole history (libs/model-registry `exportModelHistory`, as `cur model train` does). The record
 * comes first: an export that fails is logged with its code (`MODEL_HISTORY_EXPORT_FAILED`) and counted
 * (`ModelHistoryExportsFailed`), never thrown, so the recorded version stands and the next final status rewrites
 * everything.
 */
export function createModelHistoryLambda(
  dependencies: () => Promise<ModelHistoryAppDependencies>,
  tools: { readonly logger: Logger; readonly metrics?: Metrics } = { logger, metrics },
): (event: unknown, context?: LambdaContext) => Promise<ModelHistoryLambdaOutcome> {
  const handle = createModelHistoryHandler(dependencies);
  return instrumentHandler(async (event: unknown, context?: LambdaContext): Promise<ModelHistoryLambdaOutcome> => {
    const outcome = await handle(event, context);
    if (outcome.outcome === 'ignored' || !TERMINAL_STATUSES.includes(outcome.status)) return outcome;
    try {
      const rows = await (await dependencies()).exportHistory();
      tools.metrics?.addMetric(MODEL_HISTORY_METRICS.exportsWritten, MetricUnit.Count, 1);
      tools.logger.info('model history exports rewritten', { runId: outcome.versionId, status: outcome.status, count: rows.model_history });
      return { ...outcome, exports: 'written' };
    } catch (error) {
      const failure = isCurError(error) ? error : new CurError(MODEL_HISTORY_EXPORT_FAILED, 'the model history exports were not rewritten', { cause: error });
      tools.metrics?.addMetric(MODEL_HISTORY_METRICS.exportsFailed, MetricUnit.Count, 1);
      // The code, the version and its status only: a lower layer's message (DuckDB, the SDK) is not repeated.
      tools.logger.error('model history exports not rewritten; the version is recorded, the next final status rewrites them', { code: MODEL_HISTORY_EXPORT_FAILED, errorCode: failure.code, runId: outcome.versionId, status: outcome.status });
      return { ...outcome, exports: 'failed' };
    }
  }, tools);
}

let dependencies: Promise<ModelHistoryAppDependencies> | undefined;

/** The Lambda entry (`handler.handler`) for SageMaker's "Training Job State Change" events. */
export const handler = createModelHistoryLambda(() => {
  dependencies ??= createModelHistoryDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
