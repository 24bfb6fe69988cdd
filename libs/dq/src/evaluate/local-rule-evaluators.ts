import type { RuleTypeName } from '../dqdl/rule-types';
import type { DqRule } from '../dqdl/types/ast';
import {
  evaluateCompleteness,
  evaluateDistinctValuesCount,
  evaluateEntropy,
  evaluateIsComplete,
  evaluateIsPrimaryKey,
  evaluateIsUnique,
  evaluateMean,
  evaluateStandardDeviation,
  evaluateSum,
  evaluateUniqueValueRatio,
  evaluateUniqueness,
} from './column-rules';
import {
  evaluateColumnCount,
  evaluateColumnExists,
  evaluateCustomSql,
  evaluateReferentialIntegrity,
  evaluateRowCount,
  evaluateRowCountMatch,
  evaluateSchemaMatch,
} from './dataset-rules';
import type { EvaluationContext } from './evaluation-context';
import { evaluateColumnDataType, evaluateColumnLength, evaluateColumnValues, evaluateDataFreshness } from './row-rules';
import type { RuleOutcomeDetail } from './types/rule-result';

/** Evaluates one (non-composite) rule. @internal */
export type RuleEvaluator = (rule: DqRule, context: EvaluationContext) => Promise<RuleOutcomeDetail>;

/** The rule types the local evaluator runs, and how. Any other DQDL rule type is reported as not supported. @internal */
export const LOCAL_RULE_EVALUATORS: Readonly<Partial<Record<RuleTypeName, RuleEvaluator>>> = {
  RowCount: evaluateRowCount,
  RowCountMatch: evaluateRowCountMatch,
  ColumnCount: evaluateColumnCount,
  ColumnExists: evaluateColumnExists,
  ColumnDataType: evaluateColumnDataType,
  Completeness: evaluateCompleteness,
  IsComplete: evaluateIsComplete,
  Uniqueness: evaluateUniqueness,
  IsUnique: evaluateIsUnique,
  IsPrimaryKey: evaluateIsPrimaryKey,
  ColumnValues: evaluateColumnValues,
  ColumnLength: evaluateColumnLength,
  Mean: evaluateMean,
  Sum: evaluateSum,
  StandardDeviation: evaluateStandardDeviation,
  DistinctValuesCount: evaluateDistinctValuesCount,
  UniqueValueRatio: evaluateUniqueValueRatio,
  Entropy: evaluateEntropy,
  CustomSql: evaluateCustomSql,
  ReferentialIntegrity: evaluateReferentialIntegrity,
  DataFreshness: evaluateDataFreshness,
  SchemaMatch: evaluateSchemaMatch,
};

/** The DQDL rule types the local evaluator supports, in the order the issue lists them. */
export const LOCALLY_SUPPORTED_RULE_TYPES = Object.keys(LOCAL_RULE_EVALUATORS) as RuleTypeName[];
