import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyPersistenceLayerError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { z } from 'zod';
import { BatchAcceptedSchema, DATASET_NAMES, PLATFORM_EVENT_SOURCE, eventBridgeEventSchema, type BatchAccepted } from '@cur/contracts';
import { batchIdOf, type BatchRecord } from '@cur/ingestion';
import { AdapterError, CurError, ValidationError, type Logger } from '@cur/platform';
import { BATCH_IDEMPOTENCY_SECONDS, PIPELINE_DAG_ID, SERVICE_NAME } from './constants';
import { dagRunIdOf, type ConfBatch, type DagRunStarter } from './dag-run-starter';
import { PIPELINE_TRIGGER_ERROR_CODES } from './errors';

/** The event that feeds a DAG run: the ingestion-controller's `Batch Accepted` on the platform bus. */
export const BatchAcceptedEventSchema = eventBridgeEventSchema(PLATFORM_EVENT_SOURCE, 'Batch Accepted', BatchAcceptedSchema);

/** The ledger, as far as the trigger reads it. */
export interface BatchLedgerReader {
  get(batchId: string): Promise<BatchRecord | undefined>;
}

/** What the trigger needs. */
export interface PipelineTriggerDependencies {
  readonly ledger: BatchLedgerReader;
  readonly dagRuns: DagRunStarter;
  /** Powertools Idempotency's layer on the `pipeline-triggers` table, partition `BATCH_IDEMPOTENCY_PARTITION`. */
  readonly idempotencyStore: BasePersistenceLayer;
  readonly logger: Logger;
  /** @default PIPELINE_DAG_ID */
  readonly dagId?: string;
}

/** What became of one `Batch Accepted` event. */
export type PipelineTriggerOutcome =
  | { readonly outcome: 'waiting'; readonly batchId: string; readonly businessDate: string; readonly missing: readonly string[] }
  | { readonly outcome: 'triggered'; readonly batchId: string; readonly businessDate: string; readonly dagRunId: string; readonly batches: number }
  | { readonly outcome: 'already-triggered'; readonly batchId: string; readonly businessDate: string; readonly dagRunId: string }
  | { readonly outcome: 'duplicate'; readonly batchId: string; readonly businessDate: string };

/** The part of the Lambda context Powertools Idempotency reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** How long a delivery may hold its in-progress record when no Lambda context tells the time left. */
export const LOCAL_IN_PROGRESS_MS = 60_000;

/** A batch in the ledger that the pipeline may run on: accepted, or moved on by a run (not quarantined). */
const hasArrived = (record: BatchRecord | undefined): record is BatchRecord => record !== undefined && record.status !== 'QUARANTINED';

/**
 * The pipeline-trigger's logic: one `cur_pipeline` DAG run per business date, started without a person when the
 * date's last source batch is accepted.
 *
 * The DAG masks every source dataset of its date (one `mask_<dataset>` task each), so a run started on the first
 * batch would fail on the others' missing landing files. Each event therefore reads the batch ledger for its date:
 * while a source dataset has no accepted batch the event is `waiting`; the event that finds all of them creates the
 * run, `business_date__<date>`, with every batch in its conf. The run id is deterministic, so when two events find
 * the date complete (two last batches at once) Airflow creates the run once and refuses the second with 409, which
 * is `already-triggered`. Each batch is handled once (Powertools Idempotency keyed by the batch id): a redelivered
 * event returns the first outcome (`duplicate`) without calling MWAA; a failed call removes the record, so Lambda's
 * retry calls again.
 */
export function createPipelineTriggerHandler(dependencies: () => Promise<PipelineTriggerDependencies>) {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'batchId', throwOnNoIdempotencyKey: true, hashFunction: 'sha256', expiresAfterSeconds: BATCH_IDEMPOTENCY_SECONDS });
  const feeders = new WeakMap<BasePersistenceLayer, (batch: BatchAccepted, delivery: { fresh: boolean }) => Promise<PipelineTriggerOutcome>>();
  const feederFor = (deps: PipelineTriggerDependencies) => {
    let feed = feeders.get(deps.idempotencyStore);
    if (!feed) {
      feed = makeIdempotent(
        async (batch: BatchAccepted, delivery: { fresh: boolean }): Promise<PipelineTriggerOutcome> => {
          delivery.fresh = true;
          return feedDagRun(batch, deps);
        },
        // The batch (the first argument) is the payload; its batchId is the idempotency key.
        { persistenceStore: deps.idempotencyStore, config },
      );
      feeders.set(deps.idempotencyStore, feed);
    }
    return feed;
  };

  return async function handleBatchAccepted(event: unknown, context?: InvocationContext): Promise<PipelineTriggerOutcome> {
    const parsed = BatchAcceptedEventSchema.safeParse(event);
    if (!parsed.success) throw new ValidationError(`${SERVICE_NAME} accepts Batch Accepted events from ${PLATFORM_EVENT_SOURCE}: ${z.prettifyError(parsed.error)}`);
    const batch = parsed.data.detail;
    const deps = await dependencies();
    const started = Date.now();
    config.registerLambdaContext((context ?? { getRemainingTimeInMillis: () => LOCAL_IN_PROGRESS_MS - (Date.now() - started) }) as Parameters<IdempotencyConfig['registerLambdaContext']>[0]);
    const delivery = { fresh: false };
    let outcome: PipelineTriggerOutcome;
    try {
      outcome = await feederFor(deps)(batch, delivery);
    } catch (error) {
      deps.logger.error('batch did not feed its DAG run', { batchId: batch.batchId, businessDate: batch.businessDate, error });
      throw asPlatformError(error);
    }
    if (!delivery.fresh) {
      deps.logger.info('batch handled already', { batchId: batch.batchId, businessDate: batch.businessDate });
      return { outcome: 'duplicate', batchId: batch.batchId, businessDate: batch.businessDate };
    }
    return outcome;
  };
}

/** Reads the date's batches from the ledger and starts the date's run once every source dataset is there. */
async function feedDagRun(batch: BatchAccepted, deps: PipelineTriggerDependencies): Promise<PipelineTriggerOutcome> {
  const { businessDate, batchId } = batch;
  const records = await Promise.all(DATASET_NAMES.map(async (dataset) => ({ dataset, record: await deps.ledger.get(batchIdOf(dataset, businessDate)) })));
  const missing = records.filter(({ record }) => !hasArrived(record)).map(({ dataset }) => dataset);
  if (missing.length > 0) {
    deps.logger.info('date waits for more batches', { batchId, businessDate, count: missing.length });
    return { outcome: 'waiting', batchId, businessDate, missing };
  }
  const batches = records.map(({ dataset, record }) => ({ dataset, batchId: (record as BatchRecord).batchId, rowCount: (record as BatchRecord).rowCount })) as [ConfBatch, ...ConfBatch[]];
  const dagRunId = dagRunIdOf(businessDate);
  const result = await deps.dagRuns.start({
    dagId: deps.dagId ?? PIPELINE_DAG_ID,
    dagRunId,
    conf: { businessDate, batches },
    note: `Started by ${SERVICE_NAME} when batch ${batchId} completed business date ${businessDate}`,
  });
  if (result === 'exists') {
    deps.logger.info('DAG run exists already', { batchId, businessDate, runId: dagRunId });
    return { outcome: 'already-triggered', batchId, businessDate, dagRunId };
  }
  deps.logger.info('DAG run triggered', { batchId, businessDate, runId: dagRunId, count: batches.length });
  return { outcome: 'triggered', batchId, businessDate, dagRunId, batches: batches.length };
}

/** Powertools Idempotency's own errors as platform errors (the original as cause); the call's errors unchanged. */
function asPlatformError(error: unknown): unknown {
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new CurError(PIPELINE_TRIGGER_ERROR_CODES.batchInProgress, 'another delivery of this batch is being handled; retry later', { cause: error });
  }
  if (error instanceof IdempotencyPersistenceLayerError) return new AdapterError(`the pipeline-triggers idempotency store failed: ${error.message}`, { cause: error });
  return error;
}
