import type { DqRule } from '../dqdl/types/ast';
import { type EvaluationContext, referenceView, requireColumn } from './evaluation-context';
import { complianceOutcome, conditionOf, metricOutcome, noWhere, queryRow, readNumber } from './outcomes';
import { RuleEvaluationError } from './rule-error';
import { asText, bindTableNames, rowsOf } from './sql';
import type { RuleOutcomeDetail } from './types/rule-result';

/** RowCount > 0: rows in the dataset (a column parameter, as the DQDL reference's example writes one, is ignored). */
export async function evaluateRowCount(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const row = await queryRow(context, `SELECT CAST(count(*) AS DOUBLE) AS n FROM ${rowsOf(context.view, rule.where)} AS dq_rows`);
  return metricOutcome('Dataset.*.RowCount', readNumber(row, 'n') ?? 0, conditionOf(rule));
}

/** ColumnCount = 12: columns of the dataset. */
export async function evaluateColumnCount(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  noWhere(rule);
  return metricOutcome('Dataset.*.ColumnCount', (await context.schema()).length, conditionOf(rule));
}

/** ColumnExists "col". */
export async function evaluateColumnExists(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  noWhere(rule);
  const name = rule.parameters[0]?.value ?? '';
  const exists = (await context.schema()).some((column) => column.name === name);
  return exists ? { result: 'PASS', metrics: {} } : { result: 'FAIL', message: `Column ${name} does not exist`, metrics: {} };
}

/**
 * SchemaMatch "reference" = 1.0: the share of columns, by name, present in both datasets with the same type, over
 * the columns of either.
 */
export async function evaluateSchemaMatch(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  noWhere(rule);
  const alias = rule.parameters[0]?.value ?? '';
  const primary = await context.schema();
  const reference = await context.schema(referenceView(context, alias));
  const names = new Set([...primary, ...reference].map((column) => column.name));
  const referenceTypes = new Map(reference.map((column) => [column.name, column.type]));
  const matching = primary.filter((column) => referenceTypes.get(column.name) === column.type).length;
  return metricOutcome(`Dataset.${alias}.SchemaMatch`, names.size > 0 ? matching / names.size : null, conditionOf(rule));
}

/** RowCountMatch "reference" >= 0.9: rows of the dataset over rows of the reference. */
export async function evaluateRowCountMatch(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const alias = rule.parameters[0]?.value ?? '';
  const reference = referenceView(context, alias);
  const row = await queryRow(
    context,
    `SELECT CAST((SELECT count(*) FROM ${rowsOf(context.view, rule.where)} AS dq_rows) AS DOUBLE) AS primary_rows, CAST((SELECT count(*) FROM ${reference}) AS DOUBLE) AS reference_rows`,
  );
  const referenceRows = readNumber(row, 'reference_rows') ?? 0;
  return metricOutcome(`Dataset.${alias}.RowCountMatch`, referenceRows > 0 ? (readNumber(row, 'primary_rows') ?? 0) / referenceRows : null, conditionOf(rule));
}

/** `"a,b"` and `"reference.{x,y}"` (or `"reference.x"`) of ReferentialIntegrity. */
function referenceColumns(rule: DqRule): { primary: string[]; alias: string; columns: string[] } {
  const primary = (rule.parameters[0]?.value ?? '').split(',').map((name) => name.trim());
  const target = /^([^.{}]+)\.(?:\{([^{}]+)\}|([^{}]+))$/.exec((rule.parameters[1]?.value ?? '').trim());
  if (!target) throw new RuleEvaluationError('ReferentialIntegrity needs the reference as "alias.column" or "alias.{column1,column2}"');
  const columns = (target[2] ?? target[3] ?? '').split(',').map((name) => name.trim());
  if (columns.length !== primary.length || primary.some((name) => name === '')) {
    throw new RuleEvaluationError(`ReferentialIntegrity names ${primary.length} column(s) of the dataset but ${columns.length} of the reference`);
  }
  return { primary, alias: (target[1] ?? '').trim(), columns };
}

/**
 * ReferentialIntegrity "cust_id" "customer_profile.{cust_id}" = 1.0: the share of rows whose key is found in the
 * reference. A row with a NULL in its key is not found.
 */
export async function evaluateReferentialIntegrity(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const { primary, alias, columns } = referenceColumns(rule);
  const reference = referenceView(context, alias);
  const own = await Promise.all(primary.map((name) => requireColumn(context, name)));
  const theirs = await Promise.all(columns.map((name) => requireColumn(context, name, reference)));
  const keys = theirs.map((column, i) => `${asText(column.sql)} AS k${i}`).join(', ');
  const on = own.map((column, i) => `${asText(`dq_rows.${column.sql}`)} = dq_ref.k${i}`).join(' AND ');
  const row = await queryRow(
    context,
    `SELECT CAST(count(*) AS DOUBLE) AS total, CAST(count(dq_ref.dq_found) AS DOUBLE) AS found
     FROM ${rowsOf(context.view, rule.where)} AS dq_rows
     LEFT JOIN (SELECT DISTINCT ${keys}, 1 AS dq_found FROM ${reference}) AS dq_ref ON ${on}`,
  );
  const total = readNumber(row, 'total') ?? 0;
  return metricOutcome(`Column.${alias}.ReferentialIntegrity`, total > 0 ? (readNumber(row, 'found') ?? 0) / total : null, conditionOf(rule));
}

function singleNumber(rows: readonly Record<string, unknown>[]): number | null {
  const [row] = rows;
  const values = row ? Object.values(row) : [];
  const [value] = values;
  if (rows.length !== 1 || values.length !== 1) throw new RuleEvaluationError('CustomSql with a condition must return exactly one row with one column');
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new RuleEvaluationError('CustomSql with a condition must return a number');
  return number;
}

/**
 * CustomSql "select count(*) from primary" > 0: with a condition, the statement returns one number checked against
 * it (`Dataset.*.CustomSQL`); without one, it selects the rows that pass, and all rows (or `with threshold` of them)
 * must be selected. `primary` names the dataset; reference aliases name their views.
 */
export async function evaluateCustomSql(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  noWhere(rule);
  const statement = (rule.parameters[0]?.value ?? '').trim().replace(/;\s*$/, '');
  if (!/^(select|with)\b/i.test(statement) || statement.includes(';')) throw new RuleEvaluationError('CustomSql must be a single SELECT statement');
  const bound = bindTableNames(statement, { ...context.references, primary: context.view });
  if (rule.condition) {
    const rows = await context.engine.query(`SELECT * FROM (${bound}) AS dq_custom LIMIT 2`);
    return metricOutcome('Dataset.*.CustomSQL', singleNumber(rows), rule.condition);
  }
  const row = await queryRow(context, `SELECT CAST((SELECT count(*) FROM (${bound}) AS dq_custom) AS DOUBLE) AS selected, CAST((SELECT count(*) FROM ${context.view}) AS DOUBLE) AS total`);
  const total = readNumber(row, 'total') ?? 0;
  return complianceOutcome('Dataset.*.CustomSQL.Compliance', Math.min(readNumber(row, 'selected') ?? 0, total), total, rule.threshold);
}
