import type { Condition, DqRule } from '../dqdl/types/ast';
import { meetsCondition } from './conditions';
import type { EvaluationContext } from './evaluation-context';
import { RuleEvaluationError } from './rule-error';
import type { RuleOutcomeDetail } from './types/rule-result';

/** A metric as messages print it: integers whole, fractions to 8 significant digits. @internal */
export function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(8)));
}

/** The first row of a query. @internal */
export async function queryRow(context: EvaluationContext, sql: string): Promise<Record<string, unknown>> {
  const [row] = await context.engine.query(sql);
  return row ?? {};
}

/** A numeric column of a result row; null when SQL gave NULL (no rows or no values). @internal */
export function readNumber(row: Record<string, unknown>, key: string): number | null {
  const value = row[key];
  if (value === null || value === undefined) return null;
  const number = typeof value === 'number' ? value : Number(value);
  // `+ 0` turns the -0 of an entropy of one value into 0.
  return Number.isFinite(number) ? number + 0 : null;
}

/** The rule's condition; the parser guarantees it for rule types that need one. @internal */
export function conditionOf(rule: DqRule): Condition {
  if (!rule.condition) throw new RuleEvaluationError(`${rule.ruleType} needs a condition`);
  return rule.condition;
}

/** Refuses a `where` clause on a rule type it means nothing for. @internal */
export function noWhere(rule: DqRule): void {
  if (rule.where !== undefined) throw new RuleEvaluationError(`a where clause does not apply to ${rule.ruleType}`);
}

/** The outcome of a rule that checks one metric against its condition. @internal */
export function metricOutcome(name: string, value: number | null, condition: Condition): RuleOutcomeDetail {
  if (value === null) return { result: 'FAIL', message: `${name} could not be computed: there are no rows or no values to evaluate`, metrics: {} };
  const passed = meetsCondition(value, condition);
  return passed ? { result: 'PASS', metrics: { [name]: value } } : { result: 'FAIL', message: `Value: ${formatMetric(value)} does not meet the constraint requirement!`, metrics: { [name]: value } };
}

/**
 * The outcome of a row-level rule: the share of rows that comply must meet `with threshold`, or be all of them.
 * @internal
 */
export function complianceOutcome(name: string, passing: number, total: number, threshold: Condition | undefined, extra: Readonly<Record<string, number>> = {}): RuleOutcomeDetail {
  if (total === 0) return { result: 'FAIL', message: `${name} could not be computed: there are no rows to evaluate`, metrics: { ...extra } };
  const compliance = passing / total;
  const metrics = { ...extra, [name]: compliance };
  const passed = threshold ? meetsCondition(compliance, threshold) : passing === total;
  if (passed) return { result: 'PASS', metrics };
  const failing = total - passing;
  return {
    result: 'FAIL',
    message: `Value: ${formatMetric(compliance)} does not meet the constraint requirement! ${failing} of ${total} rows do not satisfy the condition${threshold ? ' often enough' : ''}.`,
    metrics,
  };
}

/** The outcome of a yes/no rule (IsComplete, IsUnique, IsPrimaryKey) from its metrics, each of which must be 1. @internal */
export function allOnesOutcome(metrics: Readonly<Record<string, number | null>>): RuleOutcomeDetail {
  const known = Object.fromEntries(Object.entries(metrics).filter((entry): entry is [string, number] => entry[1] !== null));
  const missing = Object.keys(metrics).filter((name) => metrics[name] === null);
  if (missing.length > 0) return { result: 'FAIL', message: `${missing.join(', ')} could not be computed: there are no rows to evaluate`, metrics: known };
  const failed = Object.entries(known).filter(([, value]) => value !== 1);
  if (failed.length === 0) return { result: 'PASS', metrics: known };
  const [only] = failed;
  const message =
    failed.length === 1 && only
      ? `Value: ${formatMetric(only[1])} does not meet the constraint requirement!`
      : failed.map(([name, value]) => `${name}: ${formatMetric(value)} does not meet the constraint requirement!`).join(' ');
  return { result: 'FAIL', message, metrics: known };
}
