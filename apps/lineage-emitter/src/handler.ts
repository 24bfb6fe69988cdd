import { z } from 'zod';
import { instrumentHandler, ValidationError, type LambdaContext, type Logger } from '@cur/platform';
import { MetricUnit, type Metrics } from '@cur/platform/metrics';
import { LINEAGE_EMITTER_METRICS, SERVICE_NAME } from './constants';
import { emitLineageAfterJobRun, type LineageEmission, type LineageEmitterDependencies } from './core';
import { GlueJobStateChangeSchema } from './glue-job-state-change';
import { logger, metrics } from './observability';
import { createLineageEmitterDependencies } from './wiring';

/**
 * The emitter in the service's Powertools conventions: a `Glue Job State Change` is validated (an event of another
 * shape throws, so Lambda dead-letters it), then the lineage is sent when the run has ended or a step failed, and
 * the counts are metrics. DataHub's answer never makes it throw; nor does a failure to reach the endpoint or the
 * lake, which is logged with its code and counted. Never logs the event.
 */
export function createLineageEmitterLambda(
  dependencies: () => Promise<LineageEmitterDependencies>,
  tools: { readonly logger: Logger; readonly metrics: Metrics } = { logger, metrics },
): (event: unknown, context?: LambdaContext) => Promise<LineageEmission> {
  return instrumentHandler(async (event: unknown) => {
    const parsed = GlueJobStateChangeSchema.safeParse(event);
    if (!parsed.success) throw new ValidationError(`${SERVICE_NAME} received an event it does not accept: ${z.prettifyError(parsed.error)}`);
    let emission: LineageEmission;
    try {
      emission = await emitLineageAfterJobRun({ jobName: parsed.data.detail.jobName, state: parsed.data.detail.state }, await dependencies());
    } catch (error) {
      // Only the wiring can get here (a bad configuration): still not the pipeline's problem.
      const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'LINEAGE_EMITTER_UNCONFIGURED';
      tools.logger.error('lineage emitter could not start', { code });
      emission = { outcome: 'not-sent', code };
    }
    if (emission.outcome === 'emitted') {
      tools.metrics.addMetric(LINEAGE_EMITTER_METRICS.proposalsSent, MetricUnit.Count, emission.sent);
      tools.metrics.addMetric(LINEAGE_EMITTER_METRICS.proposalsFailed, MetricUnit.Count, emission.failed);
    }
    if (emission.outcome === 'not-sent') tools.metrics.addMetric(LINEAGE_EMITTER_METRICS.emissionsNotSent, MetricUnit.Count, 1);
    return emission;
  }, tools);
}

let dependencies: Promise<LineageEmitterDependencies> | undefined;

/** The Lambda entry (`handler.handler`) for `Glue Job State Change` events on the default bus. */
export const handler = createLineageEmitterLambda(() => {
  dependencies ??= createLineageEmitterDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
