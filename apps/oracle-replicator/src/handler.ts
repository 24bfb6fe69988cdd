import { z } from 'zod';
import { LayerPublishedSchema, PLATFORM_EVENT_SOURCE, eventBridgeEventSchema } from '@cur/contracts';
import { ValidationError, instrumentHandler } from '@cur/platform';
import { REPLICATED_DATASET_NAMES, REPLICATED_ZONES, replicateBusinessDate, type ReplicationReport } from '@cur/replication';
import { SERVICE_NAME } from './constants';
import { logger } from './observability';
import { createOracleReplicatorDependencies, type OracleReplicatorDependencies } from './wiring';


/** Replication starts when the pipeline publishes a consumption or mart table for a business date. */
export const OracleReplicatorEventSchema = eventBridgeEventSchema(PLATFORM_EVENT_SOURCE, 'Layer Published', LayerPublishedSchema);

/** What became of one event. */
export type OracleReplicatorOutcome = { readonly outcome: 'replicated'; readonly report: ReplicationReport } | { readonly outcome: 'ignored'; readonly reason: string };

let dependencies: Promise<OracleReplicatorDependencies> | undefined;

const defaultDependencies = (): Promise<OracleReplicatorDependencies> => {
  dependencies ??= createOracleReplicatorDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
};

/**
 * The Lambda entry: validates the `Layer Published` event, then replicates the event's datasets for its business date
 * (libs/replication `replicateBusinessDate`: empty the date, load it, reconcile it with the lake). A mismatch is
 * notified and recorded, and the event succeeds (a retry would reload the same rows); a failed load throws, so
 * Lambda retries and finally dead-letters the event. Never logs the event.
 */
export async function handleOracleReplicator(event: unknown, deps: () => Promise<OracleReplicatorDependencies> = defaultDependencies): Promise<OracleReplicatorOutcome> {
  const parsed = OracleReplicatorEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`${SERVICE_NAME} received an event it does not accept: ${z.prettifyError(parsed.error)}`);
  }
  const { zone, businessDate } = parsed.data.detail;
  const datasets = parsed.data.detail.datasets.filter((name) => REPLICATED_DATASET_NAMES.includes(name));
  if (!(REPLICATED_ZONES as readonly string[]).includes(zone) || datasets.length === 0) {
    logger.info('event names nothing replicated', { zone, businessDate });
    return { outcome: 'ignored', reason: `${zone}/${parsed.data.detail.datasets.join(',')} is not replicated to Oracle` };
  }
  try {
    const report = await replicateBusinessDate(await deps(), { businessDate, datasets });
    logger.info('replicated', { zone, businessDate, status: report.status, runId: report.runId });
    return { outcome: 'replicated', report };
  } catch (error) {
    logger.error('replication failed', { error, zone, businessDate });
    throw error;
  }
}

/** The name Lambda invokes (`handler.handler`), the Lambda context added to the logger on each invocation. */
export const handler = instrumentHandler((event: unknown): Promise<OracleReplicatorOutcome> => handleOracleReplicator(event), { logger });
