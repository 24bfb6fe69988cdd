export { SEVERITY_LABEL, SEVERITIES, DEFAULT_SEVERITY, DEFAULT_TARGET_VIEW, RULE_OUTCOMES } from './constants';
export type { Severity, RuleOutcome } from './constants';
export { DQ_ERROR_CODES, DqdlSyntaxError, DqRulesetNotFoundError, DqOptionsError } from './dq-error';
export { parseDqdl, parseDqdlRule } from './dqdl/parse-dqdl';
export { printDqdl, printRuleExpression, printRulesetRule, printCondition, printOperand, quoteDqdl } from './dqdl/print-dqdl';
export type { PrintOptions } from './dqdl/print-dqdl';
export { referencedDatasets } from './dqdl/referenced-datasets';
export { RULE_TYPES, RULE_TYPE_NAMES, isRuleTypeName, ruleTypeSpec } from './dqdl/rule-types';
export type { RuleTypeName, RuleTypeSpec, ConditionKind } from './dqdl/rule-types';
export { tokenize } from './dqdl/tokenize';
export type { Token, TokenKind } from './dqdl/tokenize';
export type {
  ComparisonOperator,
  CompositeRule,
  Condition,
  Dictionary,
  DqAnalyzer,
  DqRule,
  DqdlRuleset,
  Duration,
  DurationUnit,
  Labels,
  NumberExpression,
  NumberOperator,
  Operand,
  RuleExpression,
  RuleParameter,
  RulesetRule,
  SizeUnit,
  SourcePosition,
  StringKeyword,
  VariableValue,
} from './dqdl/types/ast';
export { evaluateRuleset, evaluateDqdl } from './evaluate/evaluate-ruleset';
export type { EvaluateRulesetOptions, ColumnInfo, UniqueKeyGuarantee } from './evaluate/evaluation-context';
export { LOCALLY_SUPPORTED_RULE_TYPES } from './evaluate/local-rule-evaluators';
export { DqRuleResultSchema } from './evaluate/rule-result-schema';
export { summariseResults, severityOf } from './evaluate/summarise-results';
export type { DqEvaluationSummary } from './evaluate/summarise-results';
export type { DqRuleResult } from './evaluate/types/rule-result';
export { RULESETS, loadRuleset, loadRulesetFile, hasRuleset, rulesetName } from './rulesets/load-ruleset';
export type { LoadedRuleset } from './rulesets/load-ruleset';
