/**
 * What a rule type's condition compares:
 * `none` (the rule is a yes/no check and takes no condition), `number` (a metric), `values` (each row's value:
 * numbers, strings, dates and the NULL / EMPTY / WHITESPACES_ONLY keywords), `types` (type names),
 * `duration` (a row's age), `freshness` (a date or a duration) and `size` (a file size).
 */
export type ConditionKind = 'none' | 'number' | 'values' | 'types' | 'duration' | 'freshness' | 'size';

/** How a rule type is written: parameters, condition, threshold, and whether it may be an analyzer. */
export interface RuleTypeSpec {
  readonly minParameters: number;
  /** `Infinity` for rule types that take any number of columns (IsPrimaryKey). */
  readonly maxParameters: number;
  readonly condition: ConditionKind;
  readonly conditionRequired: boolean;
  /** May be followed by `with threshold <condition>`. */
  readonly threshold: boolean;
  /** May appear in `Analyzers = [ ... ]`. */
  readonly analyzer: boolean;
  /** Only an analyzer (AllStatistics), never a rule. */
  readonly analyzerOnly?: boolean;
  /** An example for error messages. */
  readonly example: string;
}

const metric = (example: string, options: Partial<RuleTypeSpec> = {}): RuleTypeSpec => ({
  minParameters: 1,
  maxParameters: 1,
  condition: 'number',
  conditionRequired: true,
  threshold: false,
  analyzer: true,
  example,
  ...options,
});

const check = (example: string, options: Partial<RuleTypeSpec> = {}): RuleTypeSpec => ({
  minParameters: 1,
  maxParameters: 1,
  condition: 'none',
  conditionRequired: false,
  threshold: false,
  analyzer: false,
  example,
  ...options,
});

/**
 * The rule types of AWS Glue Data Quality's DQDL and how each is written (github:awslabs/dqdl rules-config.json,
 * the DQDL reference). The parser rejects any other rule type; the local evaluator supports a subset and reports
 * the others as not supported, never as passed.
 *
 * `RowCount` accepts one optional parameter because the DQDL reference's own composite example writes
 * `(RowCount "id" > 100)`; the parameter is ignored.
 */
export const RULE_TYPES = {
  AggregateMatch: metric('AggregateMatch "sum(amount)" "sum(reference.amount)" >= 0.9', { minParameters: 2, maxParameters: 2, analyzer: false }),
  AllStatistics: check('AllStatistics "col"', { analyzer: true, analyzerOnly: true }),
  ColumnCorrelation: metric('ColumnCorrelation "a" "b" > 0.8', { minParameters: 2, maxParameters: 2 }),
  ColumnCount: metric('ColumnCount = 10', { minParameters: 0, maxParameters: 0 }),
  ColumnDataType: check('ColumnDataType "col" = "Integer"', { condition: 'types', conditionRequired: true, threshold: true }),
  ColumnExists: check('ColumnExists "col"'),
  ColumnLength: metric('ColumnLength "col" <= 10', { threshold: true }),
  ColumnNamesMatchPattern: check('ColumnNamesMatchPattern "[a-z_]+"'),
  ColumnValues: check('ColumnValues "col" in ["A", "B"]', { condition: 'values', conditionRequired: true, threshold: true }),
  Completeness: metric('Completeness "col" > 0.95'),
  CustomSql: metric('CustomSql "select count(*) from primary" > 0', { conditionRequired: false, threshold: true }),
  DataFreshness: check('DataFreshness "col" <= 24 hours', { condition: 'duration', conditionRequired: true, threshold: true }),
  DatasetMatch: metric('DatasetMatch "reference" "id->ref_id" >= 0.9', { minParameters: 2, maxParameters: 3, analyzer: false }),
  DetectAnomalies: check('DetectAnomalies "RowCount"', { maxParameters: Infinity }),
  DistinctValuesCount: metric('DistinctValuesCount "col" > 3'),
  Entropy: metric('Entropy "col" > 1'),
  FileFreshness: check('FileFreshness "s3://bucket/prefix/" > (now() - 1 days)', { maxParameters: 2, condition: 'freshness', threshold: true }),
  FileMatch: check('FileMatch "s3://bucket/a" "s3://bucket/b"', { maxParameters: 2, condition: 'values' }),
  FileSize: check('FileSize "s3://bucket/file" < 5 MB', { minParameters: 0, condition: 'size', conditionRequired: true, threshold: true }),
  FileUniqueness: metric('FileUniqueness "s3://bucket/prefix/" > 0.9', { minParameters: 0, analyzer: false }),
  IsComplete: check('IsComplete "col"'),
  IsPrimaryKey: check('IsPrimaryKey "col"', { maxParameters: Infinity }),
  IsUnique: check('IsUnique "col"'),
  Mean: metric('Mean "col" between 1 and 10'),
  ReferentialIntegrity: metric('ReferentialIntegrity "col" "reference.{ref_col}" = 1.0', { minParameters: 2, maxParameters: 2, analyzer: false }),
  RowCount: metric('RowCount > 0', { minParameters: 0 }),
  RowCountMatch: metric('RowCountMatch "reference" >= 0.9', { analyzer: false }),
  SchemaMatch: metric('SchemaMatch "reference" = 1.0', { analyzer: false }),
  StandardDeviation: metric('StandardDeviation "col" < 10'),
  Sum: metric('Sum "col" > 0'),
  UniqueValueRatio: metric('UniqueValueRatio "col" > 0.5'),
  Uniqueness: metric('Uniqueness "col" > 0.95', { maxParameters: Infinity }),
} as const satisfies Record<string, RuleTypeSpec>;

/** The name of a DQDL rule type. */
export type RuleTypeName = keyof typeof RULE_TYPES;

/** Every DQDL rule type name, sorted. */
export const RULE_TYPE_NAMES = Object.keys(RULE_TYPES) as RuleTypeName[];

/** True when `name` is a DQDL rule type (case-sensitive, as DQDL is). */
export function isRuleTypeName(name: string): name is RuleTypeName {
  return Object.hasOwn(RULE_TYPES, name);
}

/** The spec of a rule type, or undefined for a name DQDL does not know. */
export function ruleTypeSpec(name: string): RuleTypeSpec | undefined {
  return isRuleTypeName(name) ? RULE_TYPES[name] : undefined;
}
