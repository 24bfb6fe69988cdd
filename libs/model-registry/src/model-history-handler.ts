import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyPersistenceLayerError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { z } from 'zod';
import { SageMakerTrainingJobStateChangeSchema } from '@cur/contracts';
import type { KeyValueStore, Logger } from '@cur/platform';
import { AdapterError, CurError, ValidationError } from '@cur/platform';
import { ModelHistory, type ModelCaller, type RecordOutcome } from './model-history';
import { readTrainingJobChange, type TrainingJobStatus } from './training-job-change';

/** What the model-history logic needs. */
export interface ModelHistoryDependencies {
  readonly keyValueStore: KeyValueStore;
  /**
   * Powertools Idempotency's persistence layer, one record per EventBridge event id, in the `model-history` table
   * (`createIdempotencyStore(ports, 'model-history', MODEL_EVENT_IDEMPOTENCY_PARTITION)`).
   */
  readonly idempotencyStore: BasePersistenceLayer;
  readonly logger: Logger;
  /** Who records: the Lambda's service principal, or the `cur` user locally. @default the service */
  readonly recorder?: ModelCaller;
  /**
   * Only jobs whose name starts with it are the platform's (`trainingJobNamePrefix(stage)` of libs/contracts, which
   * the rule matches too); any other job is `ignored`: nothing is recorded and nothing fails, so a data scientist's
   * own SageMaker jobs in the account never become model versions. @default - every job (the caller has filtered)
   */
  readonly trainingJobNamePrefix?: string;
}

/** What became of one event: recorded, a duplicate, or ignored as another launcher's job. */
export interface ModelHistoryOutcome {
  readonly outcome: RecordOutcome | 'ignored';
  readonly versionId: string;
  readonly status: TrainingJobStatus;
}

/** The `pk` of the events' idempotency records in the `model-history` table. */
export const MODEL_EVENT_IDEMPOTENCY_PARTITION = 'idempotency#model-event';

/** How long an event id is remembered: EventBridge retries for at most 24 hours; a week leaves room. */
export const MODEL_EVENT_DEDUPE_SECONDS = 7 * 24 * 60 * 60;

/** The principal the Lambda records as. */
export const MODEL_HISTORY_SERVICE: ModelCaller = { principal: 'service:model-history', role: 'SYSTEM' };

/** The part of the Lambda context Powertools Idempotency reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * The model-history Lambda's logic, shared with `cur model train`: parses a "SageMaker Training Job State Change"
 * event, records the change in the {@link ModelHistory} once per event id (Powertools Idempotency), and returns
 * what it did. A failure throws a coded error, so Lambda retries and finally dead-letters the event.
 *
 * @example
 * const handle = createModelHistoryHandler(async () => ({ keyValueStore, idempotencyStore, logger }));
 * await handle(sageMakerEvent, lambdaContext);
 */
export function createModelHistoryHandler(dependencies: () => Promise<ModelHistoryDependencies>) {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'id', throwOnNoIdempotencyKey: true, hashFunction: 'sha256', expiresAfterSeconds: MODEL_EVENT_DEDUPE_SECONDS });
  const recorders = new WeakMap<BasePersistenceLayer, (event: { id: string }, work: () => Promise<ModelHistoryOutcome>) => Promise<ModelHistoryOutcome>>();

  return async function handleTrainingJobStateChange(event: unknown, context?: InvocationContext): Promise<ModelHistoryOutcome> {
    const parsed = SageMakerTrainingJobStateChangeSchema.safeParse(event);
    if (!parsed.success) throw new ValidationError(`model-history accepts SageMaker Training Job State Change events: ${z.prettifyError(parsed.error)}`);
    const change = readTrainingJobChange(parsed.data);
    const deps = await dependencies();
    if (deps.trainingJobNamePrefix !== undefined && !change.versionId.startsWith(deps.trainingJobNamePrefix)) {
      // The job's name is the launcher's free text: not logged.
      deps.logger.info('training job of another launcher ignored', { status: change.status, operation: 'ignored' });
      return { outcome: 'ignored', versionId: change.versionId, status: change.status };
    }
    const history = new ModelHistory(deps.keyValueStore);
    let record = recorders.get(deps.idempotencyStore);
    if (!record) {
      record = makeIdempotent(async (_event: { id: string }, work: () => Promise<ModelHistoryOutcome>) => work(), { persistenceStore: deps.idempotencyStore, config });
      recorders.set(deps.idempotencyStore, record);
    }
    const started = Date.now();
    config.registerLambdaContext((context ?? { getRemainingTimeInMillis: () => 60_000 - (Date.now() - started) }) as Parameters<IdempotencyConfig['registerLambdaContext']>[0]);
    let ran = false;
    let outcome: ModelHistoryOutcome;
    try {
      outcome = await record({ id: parsed.data.id }, async () => {
        ran = true;
        const recorded = await history.record(change, deps.recorder ?? MODEL_HISTORY_SERVICE);
        return { outcome: recorded, versionId: change.versionId, status: change.status };
      });
    } catch (error) {
      deps.logger.error('training job state change not recorded', { runId: change.versionId, status: change.status, error });
      throw asPlatformError(error);
    }
    if (!ran) outcome = { ...outcome, outcome: 'duplicate' };
    deps.logger.info('training job state change', { runId: change.versionId, status: change.status, operation: outcome.outcome });
    return outcome;
  };
}

function asPlatformError(error: unknown): unknown {
  if (error instanceof IdempotencyAlreadyInProgressError) return new CurError('MODEL_EVENT_IN_PROGRESS', 'the same training job event is being recorded by another delivery; retry later', { cause: error });
  if (error instanceof IdempotencyPersistenceLayerError) return new AdapterError(`the model-history idempotency store failed: ${error.message}`, { cause: error });
  return error;
}
