import { createDqNotifierHandler, type DqNotifierDependencies, type DqNotifierOutcome } from '@cur/dq-alerts';
import { instrumentHandler, type LambdaContext, type Logger } from '@cur/platform';
import { METRIC_NAMES, MetricUnit, type Metrics } from '@cur/platform/metrics';
import { logger, metrics } from './observability';
import { createDqNotifierDependencies } from './wiring';

/**
 * The dq-notifier's logic (`createDqNotifierHandler` in libs/dq-alerts, shared with the local pipeline) in the
 * service's Powertools conventions: the logger gets the Lambda context, and a published alert is counted
 * (`DqAlertsPublished`) with its failed rules (`DqRuleFailures`); a duplicate delivery counts nothing.
 */
export function createDqNotifierLambda(
  dependencies: () => Promise<DqNotifierDependencies>,
  tools: { readonly logger: Logger; readonly metrics: Metrics } = { logger, metrics },
): (event: unknown, context?: LambdaContext) => Promise<DqNotifierOutcome> {
  const handle = createDqNotifierHandler(dependencies);
  return instrumentHandler(async (event: unknown, context?: LambdaContext) => {
    const outcome = await handle(event, context);
    if (outcome.outcome === 'published') {
      tools.metrics.addMetric(METRIC_NAMES.dqAlertsPublished, MetricUnit.Count, 1);
      tools.metrics.addMetric(METRIC_NAMES.dqFailures, MetricUnit.Count, outcome.failedRules);
    }
    return outcome;
  }, tools);
}

let dependencies: Promise<DqNotifierDependencies> | undefined;

/** The Lambda entry (`handler.handler`) for Glue Data Quality's "Data Quality Evaluation Results Available" events. */
export const handler = createDqNotifierLambda(() => {
  dependencies ??= createDqNotifierDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
