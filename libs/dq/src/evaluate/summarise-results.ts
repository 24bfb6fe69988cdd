import { DEFAULT_SEVERITY, SEVERITIES, SEVERITY_LABEL, type Severity } from '../constants';
import type { DqRuleResult } from './types/rule-result';

/** Counts of an evaluation, named as in Glue's "Data Quality Evaluation Results Available" event, plus the gate. */
export interface DqEvaluationSummary {
  /** Share of rules that passed (1 when there are none), as Glue's `score`. */
  readonly score: number;
  readonly numRulesSucceeded: number;
  /** Rules that failed or could not be evaluated. */
  readonly numRulesFailed: number;
  /** Always 0: the local evaluator skips no rule. */
  readonly numRulesSkipped: number;
  /** Of the failed rules, those with Result ERROR. */
  readonly numRulesErrored: number;
  /** True when a blocking rule did not pass (FAIL or ERROR): the downstream steps must not run. */
  readonly blocked: boolean;
  /** Blocking rules that did not pass. */
  readonly blockingFailures: readonly DqRuleResult[];
  /** Warning rules that did not pass: notify only. */
  readonly warningFailures: readonly DqRuleResult[];
}

/**
 * The severity a result gates with: its `severity` label when that is a known severity, else blocking.
 *
 * @example
 * severityOf({ Labels: { severity: 'warning' } }); // 'warning'
 */
export function severityOf(result: Pick<DqRuleResult, 'Labels'>): Severity {
  const label = result.Labels[SEVERITY_LABEL];
  return (SEVERITIES as readonly string[]).includes(label ?? '') ? (label as Severity) : DEFAULT_SEVERITY;
}

/**
 * Summarises rule results for the pipeline's gate and the notifier: counts, score, and which failures block.
 *
 * @example
 * const summary = summariseResults(await evaluateRuleset(ruleset, { engine }));
 * if (summary.blocked) skipDownstreamSteps();
 */
export function summariseResults(results: readonly DqRuleResult[]): DqEvaluationSummary {
  const failed = results.filter((result) => result.Result !== 'PASS');
  const succeeded = results.length - failed.length;
  const blockingFailures = failed.filter((result) => severityOf(result) === 'blocking');
  return {
    score: results.length === 0 ? 1 : succeeded / results.length,
    numRulesSucceeded: succeeded,
    numRulesFailed: failed.length,
    numRulesSkipped: 0,
    numRulesErrored: failed.filter((result) => result.Result === 'ERROR').length,
    blocked: blockingFailures.length > 0,
    blockingFailures,
    warningFailures: failed.filter((result) => severityOf(result) === 'warning'),
  };
}
