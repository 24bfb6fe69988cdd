import { parse } from '@aws-lambda-powertools/parser';
import { instrumentHandler, isCurError, ValidationError, type LambdaContext, type Logger } from '@cur/platform';
import { MetricUnit, type Metrics } from '@cur/platform/metrics';
import type { ServingLoadResult } from '@cur/serving';
import { SERVICE_NAME, SERVING_LOAD_METRICS } from './constants';
import { runServingLoad, type ServingLoadDependencies } from './core';
import { logger, metrics } from './observability';
import { ServingLoadRequestSchema } from './serving-load-request';
import { createServingLoadDependencies } from './wiring';

/**
 * The serving load in the service's Powertools conventions: the DAG task's payload is parsed with Powertools' parser
 * (`ServingLoadRequestSchema`: `{"step":"serving","businessDate":"YYYY-MM-DD"}`, nothing else), the date is loaded
 * by libs/serving's `loadServingStore` (the code `cur run` ends with), and the counts are metrics. A failure throws
 * with its code, so the invocation fails, the DAG task fails (and retries), and the function's error alarm fires.
 * Never logs the payload; the result holds version ids and counts only.
 */
export function createServingLoadLambda(
  dependencies: () => Promise<ServingLoadDependencies>,
  tools: { readonly logger: Logger; readonly metrics: Metrics } = { logger, metrics },
): (event: unknown, context?: LambdaContext) => Promise<ServingLoadResult> {
  return instrumentHandler(async (event: unknown) => {
    const parsed = parse(event, undefined, ServingLoadRequestSchema, true);
    if (!parsed.success) {
      const issues = Array.isArray(parsed.error.cause) ? (parsed.error.cause as { path?: readonly PropertyKey[]; message: string }[]) : [];
      throw new ValidationError(
        `${SERVICE_NAME} accepts only {"step":"serving","businessDate":"YYYY-MM-DD"} (the DAG's serving task): ${issues.map((issue) => `${(issue.path ?? []).map(String).join('.') || '(payload)'}: ${issue.message}`).join('; ')}`,
      );
    }
    try {
      const result = await runServingLoad(parsed.data, await dependencies());
      tools.metrics.addMetric(SERVING_LOAD_METRICS.loadsCompleted, MetricUnit.Count, 1);
      tools.metrics.addMetric(SERVING_LOAD_METRICS.customersLoaded, MetricUnit.Count, result.customers);
      tools.metrics.addMetric(SERVING_LOAD_METRICS.itemsWritten, MetricUnit.Count, result.itemsWritten);
      // Allow-listed keys only (libs/platform LOGGABLE_KEYS): the date, the customers loaded, the time taken.
      tools.logger.info('serving store loaded', { businessDate: result.asOf, count: result.customers, durationMs: result.durationMs });
      return result;
    } catch (error) {
      // The code and the date only: a message of a lower layer (DuckDB, the SDK) is not repeated.
      tools.logger.error('serving load failed', { code: isCurError(error) ? error.code : 'SERVING_LOAD_FAILED', businessDate: parsed.data.businessDate });
      throw error;
    }
  }, tools);
}

let dependencies: Promise<ServingLoadDependencies> | undefined;

/** The Lambda entry (`handler.handler`), invoked synchronously by the MWAA DAG's `serving` task. */
export const handler = createServingLoadLambda(() => {
  dependencies ??= createServingLoadDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
