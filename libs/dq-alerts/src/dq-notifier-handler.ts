import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyPersistenceLayerError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { z } from 'zod';
import { GlueDataQualityResultEventSchema } from '@cur/contracts';
import type { Logger, Notifier } from '@cur/platform';
import { AdapterError, CurError, ValidationError } from '@cur/platform';
import { buildDqAlert, type DqAlert } from './dq-alert';
import type { DqResultSource } from './dq-evaluation';

/** What the notifier needs. */
export interface DqNotifierDependencies {
  readonly results: DqResultSource;
  readonly notifier: Notifier;
  /**
   * Powertools Idempotency's persistence layer for the alerts: one record per distinct failure (the alert's dedupe
   * key), so the same failure is notified once. In AWS and locally alike the DynamoDB layer on the `dq-alerts` table
   * (`runtime.idempotencyStore('dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION)`).
   */
  readonly idempotencyStore: BasePersistenceLayer;
  readonly logger: Logger;
}

/** What became of one evaluation event. */
export type DqNotifierOutcome =
  | { readonly outcome: 'passed'; readonly resultId: string }
  | { readonly outcome: 'published'; readonly resultId: string; readonly messageId: string; readonly failedRules: number }
  | { readonly outcome: 'duplicate'; readonly resultId: string };

/** The `pk` of the alerts' idempotency records in the `dq-alerts` table; each record's `sk` is its hashed dedupe key. */
export const DQ_ALERT_IDEMPOTENCY_PARTITION = 'idempotency#dq-alert';

/**
 * How long a published alert suppresses the same failure: 35 days, so reruns of a business date within the month
 * (a retried run, a re-tokenisation) stay quiet, and a failure that comes back after that is news again. Records
 * carry their expiry in the `expiration` attribute.
 */
export const DQ_ALERT_DEDUPE_SECONDS = 35 * 24 * 60 * 60;

/**
 * How long a publish may hold its "in progress" record when no Lambda context tells the remaining time (the local
 * pipeline): after that a later delivery may take over from a process that died mid-publish.
 */
export const LOCAL_IN_PROGRESS_MS = 60_000;

/** The part of the Lambda context Powertools Idempotency reads: the time left, which bounds an in-progress record. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Options of {@link createDqNotifierHandler}. */
export interface DqNotifierOptions {
  /** @default DQ_ALERT_DEDUPE_SECONDS */
  readonly dedupeSeconds?: number;
}

/** The record a completed publish leaves: what a later delivery of the same failure returns instead of publishing. */
interface PublishedAlert {
  readonly messageId: string;
}

/**
 * The dq-notifier's logic, shared by its Lambda and the local pipeline: takes Glue Data Quality's "evaluation
 * finished" event (or the same shape from the local evaluator), reads the rule results, and publishes one concise
 * alert per distinct failure to the `dq-alerts` topic.
 *
 * Each failure is published exactly once through Powertools Idempotency keyed by the alert's dedupe key: an "in
 * progress" record is written before the publish, marked completed (with the message ID) after it, and removed
 * when the publish throws, so the Lambda's retry of that event publishes it then; a later delivery of a completed
 * failure publishes nothing (`duplicate`), and one that arrives while another publish is in progress fails with
 * `DQ_ALERT_IN_PROGRESS`, to be retried.
 *
 * @example
 * const handle = createDqNotifierHandler(async () => ({ results, notifier, logger, idempotencyStore: await runtime.idempotencyStore('dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION) }));
 * await handle(glueDataQualityEvent, lambdaContext);
 */
export function createDqNotifierHandler(dependencies: () => Promise<DqNotifierDependencies>, options: DqNotifierOptions = {}) {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'dedupeKey', throwOnNoIdempotencyKey: true, hashFunction: 'sha256', expiresAfterSeconds: options.dedupeSeconds ?? DQ_ALERT_DEDUPE_SECONDS });
  // One idempotent publish per persistence layer (the dependencies are built once per process, as a Lambda's are).
  const publishers = new WeakMap<BasePersistenceLayer, (alert: DqAlert, delivery: { published: boolean }) => Promise<PublishedAlert>>();
  const publisherFor = (deps: DqNotifierDependencies) => {
    let publish = publishers.get(deps.idempotencyStore);
    if (!publish) {
      publish = makeIdempotent(
        async (alert: DqAlert, delivery: { published: boolean }): Promise<PublishedAlert> => {
          const { messageId } = await deps.notifier.publish('dq-alerts', alert.notification);
          delivery.published = true;
          return { messageId };
        },
        // The alert (the first argument) is the payload; its dedupeKey is the idempotency key.
        { persistenceStore: deps.idempotencyStore, config },
      );
      publishers.set(deps.idempotencyStore, publish);
    }
    return publish;
  };

  return async function handleDqEvaluationEvent(event: unknown, context?: InvocationContext): Promise<DqNotifierOutcome> {
    const parsed = GlueDataQualityResultEventSchema.safeParse(event);
    if (!parsed.success) throw new ValidationError(`dq-notifier accepts Glue Data Quality result events: ${z.prettifyError(parsed.error)}`);
    const { resultID, numRulesFailed } = parsed.data.detail;
    const deps = await dependencies();
    const evaluation = await deps.results.get(resultID);
    const alert = buildDqAlert(evaluation);
    if (!alert) {
      if ((numRulesFailed ?? 0) > 0) deps.logger.warn('event reports failed rules but the stored result has none', { runId: resultID });
      return { outcome: 'passed', resultId: resultID };
    }
    // Bounds the in-progress record by the invocation's time left (Powertools reads only getRemainingTimeInMillis).
    const started = Date.now();
    config.registerLambdaContext((context ?? { getRemainingTimeInMillis: () => LOCAL_IN_PROGRESS_MS - (Date.now() - started) }) as Parameters<IdempotencyConfig['registerLambdaContext']>[0]);
    const delivery = { published: false };
    let published: PublishedAlert;
    try {
      published = await publisherFor(deps)(alert, delivery);
    } catch (error) {
      throw asPlatformError(error);
    }
    if (!delivery.published) {
      deps.logger.info('same failure already notified', { dataset: evaluation.dataset, zone: evaluation.zone, runId: resultID });
      return { outcome: 'duplicate', resultId: resultID };
    }
    deps.logger.info('dq alert published', { dataset: evaluation.dataset, zone: evaluation.zone, count: alert.failedRules });
    return { outcome: 'published', resultId: resultID, messageId: published.messageId, failedRules: alert.failedRules };
  };
}

/** Powertools Idempotency's own errors as platform errors (the original as cause); the publish's errors unchanged. */
function asPlatformError(error: unknown): unknown {
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new CurError('DQ_ALERT_IN_PROGRESS', 'the same DQ failure is being published by another delivery; retry later', { cause: error });
  }
  if (error instanceof IdempotencyPersistenceLayerError) return new AdapterError(`the dq-alerts idempotency store failed: ${error.message}`, { cause: error });
  return error;
}

/** The EventBridge event Glue Data Quality sends when an evaluation finishes, for an evaluation made locally. */
export function dqResultEvent(resultId: string, rulesetName: string, database: string, table: string, counts: { passed: number; failed: number; skipped: number }, now = new Date()) {
  const total = counts.passed + counts.failed;
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Data Quality Evaluation Results Available',
    source: 'aws.glue-dataquality',
    account: '000000000000',
    time: now.toISOString(),
    region: 'local',
    resources: [],
    detail: {
      context: { contextType: 'GLUE_DATA_CATALOG', runId: resultId, databaseName: database, tableName: table, catalogId: '000000000000' },
      resultID: resultId,
      rulesetNames: [rulesetName],
      state: 'SUCCEEDED',
      score: total === 0 ? 1 : counts.passed / total,
      numRulesSucceeded: counts.passed,
      numRulesFailed: counts.failed,
      numRulesSkipped: counts.skipped,
    },
  };
}
