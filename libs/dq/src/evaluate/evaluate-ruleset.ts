import { CurError } from '@cur/platform';
import { parseDqdl } from '../dqdl/parse-dqdl';
import { printRuleExpression } from '../dqdl/print-dqdl';
import { isRuleTypeName } from '../dqdl/rule-types';
import type { DqRule, DqdlRuleset, RuleExpression } from '../dqdl/types/ast';
import { createEvaluationContext, type EvaluateRulesetOptions, type EvaluationContext } from './evaluation-context';
import { LOCAL_RULE_EVALUATORS } from './local-rule-evaluators';
import { RuleEvaluationError } from './rule-error';
import type { DqRuleResult, RuleOutcomeDetail } from './types/rule-result';

/**
 * Evaluates every rule of a ruleset over a view the caller registered (`dq_target` unless `options.view` says
 * otherwise), compiling each rule to SQL run through the {@link SqlEngine} port. Results come in ruleset order in
 * Glue's `DataQualityRuleResult` shape, each carrying its rule's labels.
 *
 * A rule never throws: a rule type the evaluator does not support, a missing column, an unregistered reference or a
 * failing query gives Result `ERROR` with a message that names the problem and no row value. Composite rules are
 * evaluated part by part over the whole dataset, then combined (Glue's default).
 *
 * @param ruleset - a parsed ruleset ({@link parseDqdl}, {@link loadRuleset})
 * @param options - the engine, the view, reference views and the clock
 * @returns one result per rule
 * @throws DqOptionsError when a view name is not a plain identifier or the time zone is unknown
 * @example
 * await engine.registerParquetView('dq_target', files);
 * const results = await evaluateRuleset(parseDqdl('Rules = [ IsComplete "cust_id" ]'), { engine });
 * results[0]?.Result; // 'PASS'
 */
export async function evaluateRuleset(ruleset: DqdlRuleset, options: EvaluateRulesetOptions): Promise<DqRuleResult[]> {
  const context = createEvaluationContext(options);
  const results: DqRuleResult[] = [];
  // One rule at a time: the engine may be a single connection.
  for (const [index, rule] of ruleset.rules.entries()) {
    const outcome = await evaluateExpression(rule.expression, context);
    results.push({
      Name: `Rule_${index + 1}`,
      Description: rule.text,
      EvaluatedRule: printRuleExpression(rule.expression, { inlineVariables: true }),
      Result: outcome.result,
      ...evaluationMessage(outcome),
      EvaluatedMetrics: outcome.metrics,
      Labels: rule.labels,
    });
  }
  return results;
}

/**
 * Parses a DQDL document and evaluates it: {@link parseDqdl} then {@link evaluateRuleset}.
 *
 * @throws DqdlSyntaxError when the document does not parse
 */
export async function evaluateDqdl(source: string, options: EvaluateRulesetOptions): Promise<DqRuleResult[]> {
  return evaluateRuleset(parseDqdl(source), options);
}

async function evaluateExpression(expression: RuleExpression, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  if (expression.kind === 'rule') return evaluateRule(expression, context);
  const parts: { readonly text: string; readonly outcome: RuleOutcomeDetail }[] = [];
  for (const part of expression.rules) parts.push({ text: part.text, outcome: await evaluateExpression(part, context) });
  return combine(expression.operator, parts);
}

async function evaluateRule(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const evaluator = isRuleTypeName(rule.ruleType) ? LOCAL_RULE_EVALUATORS[rule.ruleType] : undefined;
  if (!evaluator) return { result: 'ERROR', message: `rule type ${rule.ruleType} is not supported locally`, metrics: {} };
  try {
    return await evaluator(rule, context);
  } catch (error) {
    return { result: 'ERROR', message: errorMessage(error), metrics: {} };
  }
}

/** Glue's message (why a rule did not pass), and what a guarantee stood in for, so a reader sees it was not measured. */
function evaluationMessage(outcome: RuleOutcomeDetail): { EvaluationMessage?: string } {
  const parts = [outcome.result !== 'PASS' ? outcome.message : undefined, outcome.evidence].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? { EvaluationMessage: parts.join('; ') } : {};
}

/** Platform errors carry no values by contract (the DuckDB adapter repeats only the kind of error); others are named only. */
function errorMessage(error: unknown): string {
  if (error instanceof RuleEvaluationError) return error.message;
  if (error instanceof CurError) return `could not evaluate the rule: ${error.message}`;
  return `could not evaluate the rule (${error instanceof Error ? error.name : 'unknown error'})`;
}

/** `and` fails when a part fails, `or` passes when a part passes; otherwise an ERROR part makes the whole an ERROR. */
function combine(operator: 'and' | 'or', parts: readonly { readonly text: string; readonly outcome: RuleOutcomeDetail }[]): RuleOutcomeDetail {
  const metrics = Object.assign({}, ...parts.map((part) => part.outcome.metrics)) as Record<string, number>;
  const has = (result: string): boolean => parts.some((part) => part.outcome.result === result);
  const decisive = operator === 'and' ? 'FAIL' : 'PASS';
  const result = has(decisive) ? decisive : has('ERROR') ? 'ERROR' : operator === 'and' ? 'PASS' : 'FAIL';
  const evidences = parts.flatMap((part) => (part.outcome.evidence === undefined ? [] : [`(${part.text}) ${part.outcome.evidence}`]));
  const evidence = evidences.length > 0 ? { evidence: evidences.join('; ') } : {};
  if (result === 'PASS') return { result, metrics, ...evidence };
  const reasons = parts
    .filter((part) => part.outcome.result !== 'PASS')
    .map((part) => `(${part.text}) ${part.outcome.result === 'ERROR' ? 'could not be evaluated' : 'failed'}: ${part.outcome.message ?? part.outcome.result}`);
  return { result, message: reasons.join('; '), metrics, ...evidence };
}
