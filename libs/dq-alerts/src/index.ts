export { DqRuleResultSchema, DqEvaluationSchema } from './dq-evaluation';
export type { DqRuleResult, DqEvaluation, DqResultSource } from './dq-evaluation';
export { StoredDqResultSource, dqResultKey } from './stored-dq-result-source';
export { buildDqAlert, severityOf, SEVERITY_LABEL, CODE_LABEL } from './dq-alert';
export type { DqAlert } from './dq-alert';
export { createDqNotifierHandler, dqResultEvent } from './dq-notifier-handler';
export type { DqNotifierDependencies, DqNotifierOutcome } from './dq-notifier-handler';
