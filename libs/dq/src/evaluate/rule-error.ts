import { CurError, type CurErrorOptions } from '@cur/platform';

/**
 * A rule could not be evaluated (unsupported rule type, missing column, unregistered reference). The evaluator turns
 * it into a result with outcome ERROR and this message; it never escapes {@link evaluateRuleset}. Messages name rule
 * types, columns and views, never a row value.
 * @internal
 */
export class RuleEvaluationError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super('DQ_RULE_ERROR', message, options);
    this.name = 'RuleEvaluationError';
  }
}
