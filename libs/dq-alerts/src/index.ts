export { DqRuleResultSchema, DqEvaluationSchema } from './dq-evaluation';
export type { DqRuleResult, DqEvaluation, DqResultSource } from './dq-evaluation';
export { StoredDqResultSource, dqResultKey } from './stored-dq-result-source';
export { buildDqAlert, severityOf, SEVERITY_LABEL, CODE_LABEL } from './dq-alert';
export type { DqAlert } from './dq-alert';
export { createDqNotifierHandler, dqResultEvent, DQ_ALERT_IDEMPOTENCY_PARTITION, DQ_ALERT_DEDUPE_SECONDS, LOCAL_IN_PROGRESS_MS } from './dq-notifier-handler';
export type { DqNotifierDependencies, DqNotifierOptions, DqNotifierOutcome, InvocationContext } from './dq-notifier-handler';
