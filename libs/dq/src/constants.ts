/** The label that says how a failing rule gates the pipeline. */
export const SEVERITY_LABEL = 'severity';

/**
 * Severities a rule can carry: a failing `blocking` rule stops the downstream steps for the batch, a failing
 * `warning` rule only notifies. A rule without a (known) severity counts as blocking: when in doubt, stop.
 */
export const SEVERITIES = ['blocking', 'warning'] as const;

/** One severity. */
export type Severity = (typeof SEVERITIES)[number];

/** The severity of a rule that carries no (known) severity label. */
export const DEFAULT_SEVERITY: Severity = 'blocking';

/** The view the evaluator reads when the caller names none. */
export const DEFAULT_TARGET_VIEW = 'dq_target';

/** What a rule evaluation can come to, as Glue Data Quality reports it. */
export const RULE_OUTCOMES = ['PASS', 'FAIL', 'ERROR'] as const;

/** One outcome. */
export type RuleOutcome = (typeof RULE_OUTCOMES)[number];
