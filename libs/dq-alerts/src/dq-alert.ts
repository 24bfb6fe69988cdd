import { createHash } from 'node:crypto';
import type { Notification } from '@cur/platform';
import type { DqEvaluation, DqRuleResult } from './dq-evaluation';

/** The label that makes a rule block downstream steps; anything else only warns. */
export const SEVERITY_LABEL = 'severity';

/** How many failed rules a message lists before it says "and N more". */
const MAX_LISTED_RULES = 10;

/** The severity of a rule result, from its labels: only a rule labelled `warning` merely warns. */
export function severityOf(result: DqRuleResult): 'blocking' | 'warning' {
  return result.Labels[SEVERITY_LABEL] === 'warning' ? 'warning' : 'blocking';
}

/**
 * The label a platform check (k-anonymity, say) puts on a failing result: a stable code, shown in the alert and
 * listed in its `codes` attribute so subscribers can route on it.
 */
export const CODE_LABEL = 'code';

/** The rule's text: Glue puts it in `Description` and numbers rules in `Name` (Rule_1, ...). */
function ruleText(result: DqRuleResult): string {
  return result.Description ?? result.Name;
}

/** An alert ready to publish, with the key that identifies "the same failure" for de-duplication. */
export interface DqAlert {
  readonly notification: Notification;
  readonly dedupeKey: string;
  readonly failedRules: number;
  readonly severity: 'blocking' | 'warning';
}

/**
 * Builds the concise alert for an evaluation with failing rules: dataset, zone, business date, each failed rule with
 * its metrics, and the command to see more. Only rule texts, metrics and counts go in: never an evaluation message,
 * which may quote data. Returns undefined when every rule passed.
 */
export function buildDqAlert(evaluation: DqEvaluation): DqAlert | undefined {
  const failed = evaluation.ruleResults.filter((result) => result.Result !== 'PASS');
  if (failed.length === 0) return undefined;
  const severity = failed.some((result) => severityOf(result) === 'blocking') ? 'blocking' : 'warning';
  const where = `${evaluation.dataset}/${evaluation.zone} ${evaluation.businessDate}`;
  const subject = `DQ ${severity === 'blocking' ? 'FAIL' : 'WARN'} ${where}: ${failed.length} rule${failed.length === 1 ? '' : 's'}`.slice(0, 100);
  const lines = [
    `Data quality ${severity === 'blocking' ? 'failure (blocking: downstream steps stopped)' : 'warning'} for ${evaluation.dataset} in ${evaluation.zone}, business date ${evaluation.businessDate}.`,
    `Ruleset ${evaluation.rulesetName}: ${failed.length} of ${evaluation.ruleResults.length} rules did not pass${evaluation.score === undefined ? '' : ` (score ${evaluation.score.toFixed(2)})`}.`,
    '',
    ...failed.slice(0, MAX_LISTED_RULES).map((result) => {
      const metrics = Object.entries(result.EvaluatedMetrics).map(([name, value]) => `${name} = ${Number.isInteger(value) ? value : value.toFixed(4)}`);
      const code = result.Labels[CODE_LABEL];
      return `- [${severityOf(result)}] ${result.Result}${code ? ` ${code}` : ''}: ${ruleText(result)}${metrics.length > 0 ? ` (${metrics.join(', ')})` : ''}`;
    }),
    ...(failed.length > MAX_LISTED_RULES ? [`- and ${failed.length - MAX_LISTED_RULES} more`] : []),
    '',
    `More: cur dq results --dataset ${evaluation.dataset} --zone ${evaluation.zone} (result ${evaluation.resultId})`,
  ];
  const dedupeKey = createHash('sha256')
    .update(JSON.stringify([evaluation.dataset, evaluation.zone, evaluation.businessDate, failed.map((result) => `${result.Result}:${ruleText(result)}`).sort()]))
    .digest('hex');
  const codes = [...new Set(failed.flatMap((result) => result.Labels[CODE_LABEL] ?? []))].sort();
  return {
    notification: {
      subject,
      body: lines.join('\n'),
      attributes: { dataset: evaluation.dataset, zone: evaluation.zone, severity, businessDate: evaluation.businessDate, ...(codes.length > 0 ? { codes: codes.join(',') } : {}) },
    },
    dedupeKey,
    failedRules: failed.length,
    severity,
  };
}
