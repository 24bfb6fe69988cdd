import { z } from 'zod';
import { GlueDataQualityResultEventSchema } from '@cur/contracts';
import type { KeyValueStore, Logger, Notifier } from '@cur/platform';
import { ValidationError, isCurError } from '@cur/platform';
import { buildDqAlert } from './dq-alert';
import type { DqResultSource } from './dq-evaluation';

/** What the notifier needs. */
export interface DqNotifierDependencies {
  readonly results: DqResultSource;
  readonly notifier: Notifier;
  /** Remembers sent alerts (`dq-alerts` table) so the same failure is notified once. */
  readonly store: KeyValueStore;
  readonly logger: Logger;
}

/** What became of one evaluation event. */
export type DqNotifierOutcome =
  | { readonly outcome: 'passed'; readonly resultId: string }
  | { readonly outcome: 'published'; readonly resultId: string; readonly messageId: string; readonly failedRules: number }
  | { readonly outcome: 'duplicate'; readonly resultId: string };

/**
 * The dq-notifier's logic, shared by its Lambda and the local pipeline: takes Glue Data Quality's "evaluation
 * finished" event (or the same shape from the local evaluator), reads the rule results, and publishes one concise
 * alert per distinct failure to the `dq-alerts` topic.
 */
export function createDqNotifierHandler(dependencies: () => Promise<DqNotifierDependencies>) {
  return async function handleDqEvaluationEvent(event: unknown): Promise<DqNotifierOutcome> {
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
    try {
      await deps.store.put('dq-alerts', { pk: `alert#${alert.dedupeKey}`, sk: 'sent', resultId: resultID, dataset: evaluation.dataset, zone: evaluation.zone, sentAt: new Date().toISOString() }, { kind: 'absent' });
    } catch (error) {
      if (!isCurError(error, 'CONDITION_FAILED')) throw error;
      deps.logger.info('same failure already notified', { dataset: evaluation.dataset, zone: evaluation.zone, runId: resultID });
      return { outcome: 'duplicate', resultId: resultID };
    }
    const { messageId } = await deps.notifier.publish('dq-alerts', alert.notification);
    deps.logger.info('dq alert published', { dataset: evaluation.dataset, zone: evaluation.zone, count: alert.failedRules });
    return { outcome: 'published', resultId: resultID, messageId, failedRules: alert.failedRules };
  };
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
