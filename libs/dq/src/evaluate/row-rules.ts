import type { Condition, DqRule, Operand } from '../dqdl/types/ast';
import { rowPredicate, type RowValue } from './conditions';
import { columnMetric } from './column-rules';
import { type EvaluationContext, requireColumn } from './evaluation-context';
import { complianceOutcome, conditionOf, queryRow, readNumber } from './outcomes';
import { RuleEvaluationError } from './rule-error';
import { asNumber, asText, asTimestamp, rowsOf, secondsBetween, timestampLiteral } from './sql';
import type { RuleOutcomeDetail } from './types/rule-result';

/** Counts the rows a rule looks at and those meeting `predicate`, plus any extra aggregates. */
async function countCompliant(rule: DqRule, context: EvaluationContext, predicate: string, extra = ''): Promise<{ total: number; passing: number; row: Record<string, unknown> }> {
  const row = await queryRow(
    context,
    `SELECT CAST(count(*) AS DOUBLE) AS total, CAST(coalesce(sum(CASE WHEN ${predicate} THEN 1 ELSE 0 END), 0) AS DOUBLE) AS passing${extra} FROM ${rowsOf(context.view, rule.where)} AS dq_rows`,
  );
  return { total: readNumber(row, 'total') ?? 0, passing: readNumber(row, 'passing') ?? 0, row };
}

/** ColumnValues "col" <condition>: every row's value (or `with threshold` of them) meets the condition. */
export async function evaluateColumnValues(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const column = await requireColumn(context, rule.parameters[0]?.value ?? '');
  const value: RowValue = {
    isNull: `${column.sql} IS NULL`,
    as: (kind) => {
      switch (kind) {
        case 'number':
          return asNumber(column.sql);
        case 'date':
          return asTimestamp(column.sql);
        case 'string':
          return asText(column.sql);
        case 'duration':
          throw new RuleEvaluationError('ColumnValues compares values, not durations; use DataFreshness');
      }
    },
  };
  const { total, passing } = await countCompliant(rule, context, rowPredicate(value, conditionOf(rule), context));
  return complianceOutcome(columnMetric([column.name], 'ColumnValues.Compliance'), passing, total, rule.threshold);
}

/** ColumnLength "col" <= 10: the length of every row's value (or `with threshold` of them) meets the condition. */
export async function evaluateColumnLength(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const column = await requireColumn(context, rule.parameters[0]?.value ?? '');
  const length = `length(${asText(column.sql)})`;
  const value: RowValue = { isNull: `${column.sql} IS NULL`, as: (kind) => (kind === 'string' ? asText(column.sql) : length) };
  const { total, passing, row } = await countCompliant(
    rule,
    context,
    rowPredicate(value, conditionOf(rule), context),
    `, CAST(min(${length}) AS DOUBLE) AS min_length, CAST(max(${length}) AS DOUBLE) AS max_length`,
  );
  const extra: Record<string, number> = {};
  const min = readNumber(row, 'min_length');
  const max = readNumber(row, 'max_length');
  if (min !== null) extra[columnMetric([column.name], 'MinimumLength')] = min;
  if (max !== null) extra[columnMetric([column.name], 'MaximumLength')] = max;
  return complianceOutcome(columnMetric([column.name], 'ColumnLength.Compliance'), passing, total, rule.threshold, extra);
}

/** DataFreshness "col" <= 24 hours: every row's timestamp (or `with threshold` of them) is at most that old. */
export async function evaluateDataFreshness(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const column = await requireColumn(context, rule.parameters[0]?.value ?? '');
  const age = secondsBetween(asTimestamp(column.sql), timestampLiteral(context.wallClock));
  const value: RowValue = { isNull: `${column.sql} IS NULL`, as: (kind) => (kind === 'string' ? asText(column.sql) : age) };
  const { total, passing } = await countCompliant(rule, context, rowPredicate(value, conditionOf(rule), context));
  return complianceOutcome(columnMetric([column.name], 'DataFreshness.Compliance'), passing, total, rule.threshold);
}

/** The type names ColumnDataType knows (case-insensitive in rules), and how a text value is tested for each. */
const DATA_TYPES = {
  Boolean: 'BOOLEAN',
  Date: 'DATE',
  Timestamp: 'TIMESTAMP',
  Integer: 'INTEGER',
  Long: 'BIGINT',
  Double: 'DOUBLE',
  Float: 'FLOAT',
  Decimal: 'DECIMAL(38, 9)',
  String: 'VARCHAR',
} as const;

type DataTypeName = keyof typeof DATA_TYPES;

function dataTypeName(operand: Operand): DataTypeName {
  const written = operand.kind === 'string' ? operand.value : '';
  const name = (Object.keys(DATA_TYPES) as DataTypeName[]).find((candidate) => candidate.toLowerCase() === written.toLowerCase());
  if (!name) throw new RuleEvaluationError(`ColumnDataType does not know the type "${written}"; known: ${Object.keys(DATA_TYPES).join(', ')}`);
  return name;
}

/** The DQDL type of a column the engine declares; undefined for a text column, whose values are tested one by one. */
function declaredDataType(engineType: string): DataTypeName | undefined {
  if (/^(VARCHAR|TEXT|STRING|CHAR)/.test(engineType)) return undefined;
  if (engineType === 'BOOLEAN') return 'Boolean';
  if (engineType === 'DATE') return 'Date';
  if (engineType.startsWith('TIMESTAMP')) return 'Timestamp';
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'INT'].includes(engineType)) return 'Integer';
  if (['BIGINT', 'HUGEINT'].includes(engineType)) return 'Long';
  if (engineType === 'DOUBLE') return 'Double';
  if (['FLOAT', 'REAL'].includes(engineType)) return 'Float';
  if (engineType.startsWith('DECIMAL')) return 'Decimal';
  throw new RuleEvaluationError(`ColumnDataType cannot check a column of engine type ${engineType}`);
}

function typeCondition(condition: Condition): { names: DataTypeName[]; negated: boolean } {
  if (condition.kind === 'comparison' && (condition.operator === '=' || condition.operator === '!=')) return { names: [dataTypeName(condition.operand)], negated: condition.operator === '!=' };
  if (condition.kind === 'in') return { names: condition.values.map(dataTypeName), negated: condition.negated };
  throw new RuleEvaluationError("ColumnDataType takes '= \"Type\"' or 'in [\"Type\", ...]'");
}

/**
 * ColumnDataType "col" = "Integer": a typed column must be of the type; in a text column every non-NULL value (or
 * `with threshold` of them) must read as the type.
 */
export async function evaluateColumnDataType(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const column = await requireColumn(context, rule.parameters[0]?.value ?? '');
  const { names, negated } = typeCondition(conditionOf(rule));
  const declared = declaredDataType(column.type);
  const fits = declared
    ? String(names.includes(declared)).toUpperCase()
    : names.map((name) => (name === 'String' ? 'TRUE' : `TRY_CAST(${asText(column.sql)} AS ${DATA_TYPES[name]}) IS NOT NULL`)).join(' OR ');
  const predicate = `${column.sql} IS NOT NULL AND ${negated ? `NOT (${fits})` : `(${fits})`}`;
  const { passing, row } = await countCompliant(rule, context, predicate, `, CAST(count(${column.sql}) AS DOUBLE) AS present`);
  return complianceOutcome(columnMetric([column.name], 'ColumnDataType.Compliance'), passing, readNumber(row, 'present') ?? 0, rule.threshold);
}
