import type { RuleOutcome } from '../../constants';
import type { Labels } from '../../dqdl/types/ast';

/**
 * The result of one rule, in the shape of AWS Glue's `DataQualityRuleResult`: `Name` is `Rule_<n>` (the rule's
 * 1-based place in the ruleset), `Description` the rule as written. Messages and metrics never hold a row value.
 */
export interface DqRuleResult {
  /** `Rule_1`, `Rule_2`, ... in ruleset order, as Glue names rule results. */
  readonly Name: string;
  /** The rule as written (whitespace collapsed, labels left out). */
  readonly Description: string;
  /** The rule as evaluated: variables replaced by their values. */
  readonly EvaluatedRule: string;
  readonly Result: RuleOutcome;
  /**
   * Why the rule did not pass; absent on PASS, as in Glue, except when part of the rule was taken from a step's
   * guarantee instead of measured (`uniqueByConstruction`): then it names the guarantee and its evidence. Metrics,
   * counts and names only.
   */
  readonly EvaluationMessage?: string;
  /** Metrics the rule computed, named as Glue names them (`Column.cust_id.Completeness`, `Dataset.*.RowCount`). */
  readonly EvaluatedMetrics: Readonly<Record<string, number>>;
  /** The rule's labels, default labels included (e.g. `severity`). */
  readonly Labels: Labels;
}

/** What evaluating one rule (or one part of a composite) came to. @internal */
export interface RuleOutcomeDetail {
  readonly result: RuleOutcome;
  readonly message?: string;
  /** What was taken from a guarantee instead of measured, and the evidence; reported whatever the result. */
  readonly evidence?: string;
  readonly metrics: Readonly<Record<string, number>>;
}
