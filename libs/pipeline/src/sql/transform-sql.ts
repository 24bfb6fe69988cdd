import type { ColumnSpec, DatasetSpec } from '@cur/contracts';
import type { MaskingPolicy, Treatment } from '@cur/policy';
import type { SqlDialect } from './sql-dialect';
import { quote } from './sql-dialect';

const FULL_WIDTH = '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ　．－，';
const HALF_WIDTH = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .-,';

/** Values extracts use for "no value". */
export const NULL_SENTINELS = ['', 'NULL', 'null', 'N/A', '-'] as const;

/** The token shapes a masked identifier must have after masking; a sealed (dirty) value does not. */
const TOKEN_PATTERNS: Record<string, string> = {
  national_id: '[A-Z][1289][0-9]{8}',
  mobile: '09[0-9]{8}',
  digits: '[0-9]{6,36}',
};

/**
 * Trim and sentinels to null, the cleanup every text value gets; with `halfWidth`, also full-width to half-width
 * characters (digits, letters, space, comma, period, minus). `translate` is the costliest function in the transform,
 * so only columns whose values are parsed or compared get it.
 */
export function cleanText(expression: string, dialect: SqlDialect, halfWidth = true): string {
  // Nearly every value is ASCII already, and translate would walk it against 70 characters for nothing.
  const halved = `CASE WHEN ${dialect.isAscii(expression)} THEN ${expression} ELSE translate(${expression}, ${quote(FULL_WIDTH)}, ${quote(HALF_WIDTH)}) END`;
  let cleaned = halfWidth ? `TRIM(${halved})` : `TRIM(${expression})`;
  for (const sentinel of NULL_SENTINELS) cleaned = `NULLIF(${cleaned}, ${quote(sentinel)})`;
  return cleaned;
}

/**
 * How one column is typed and checked, written over two names: `text` is the cleaned text of the column (stage 1),
 * `typed` the typed value (stage 2). Keeping the stages apart keeps each expression small.
 */
interface ColumnRule {
  readonly typed: (text: string) => string;
  /** True when the text is present but not usable. */
  readonly invalid?: { readonly condition: (text: string, typed: string) => string; readonly reason: string };
}

function columnRule(column: ColumnSpec, treatment: Treatment, dialect: SqlDialect): ColumnRule {
  const asIs = (text: string): string => text;
  if (treatment.method === 'ff1') {
    const pattern = TOKEN_PATTERNS[treatment.params.format] ?? '.*';
    return { typed: asIs, invalid: { condition: (text) => `NOT ${dialect.fullMatch(text, pattern)}`, reason: 'INVALID_IDENTIFIER' } };
  }
  if (treatment.method === 'generalize') {
    return { typed: asIs, invalid: { condition: (text) => `${text} = '(unreadable)'`, reason: treatment.params.generaliser === 'city_district' ? 'INVALID_ADDRESS' : 'INVALID_DATE' } };
  }
  if (treatment.method !== 'plaintext') return { typed: asIs };
  const unparsed = (_text: string, typed: string): string => `${typed} IS NULL`;
  if (column.allowedValues) {
    const allowed = column.allowedValues.map(quote).join(', ');
    return { typed: (text) => `UPPER(${text})`, invalid: { condition: (_text, typed) => `${typed} NOT IN (${allowed})`, reason: 'INVALID_VALUE' } };
  }
  if (column.type === 'int' || column.type === 'bigint') {
    const range = column.range;
    return {
      typed: (text) => `TRY_CAST(replace(${text}, ',', '') AS ${column.type === 'int' ? 'INTEGER' : 'BIGINT'})`,
      invalid: { condition: (_text, typed) => `${typed} IS NULL${range ? ` OR ${typed} < ${range.min} OR ${typed} > ${range.max}` : ''}`, reason: 'INVALID_NUMBER' },
    };
  }
  if (column.type.startsWith('decimal')) {
    return { typed: (text) => `TRY_CAST(replace(${text}, ',', '') AS ${column.type.toUpperCase()})`, invalid: { condition: unparsed, reason: 'INVALID_NUMBER' } };
  }
  if (column.type === 'date' && column.sourceFormat === 'roc_date') {
    // YYYMMDD (or YYMMDD) in the ROC calendar: year + 1911.
    const iso = (text: string): string =>
      `concat(CAST(CAST(substr(${text}, 1, length(${text}) - 4) AS INTEGER) + 1911 AS VARCHAR), '-', substr(${text}, length(${text}) - 3, 2), '-', substr(${text}, length(${text}) - 1, 2))`;
    return {
      typed: (text) => `CASE WHEN ${dialect.fullMatch(text, '[0-9]{6,7}')} THEN TRY_CAST(${iso(text)} AS DATE) END`,
      invalid: { condition: unparsed, reason: 'INVALID_DATE' },
    };
  }
  if (column.type === 'date') return { typed: (text) => `TRY_CAST(${text} AS DATE)`, invalid: { condition: unparsed, reason: 'INVALID_DATE' } };
  if (column.type === 'timestamp') return { typed: (text) => `TRY_CAST(${text} AS TIMESTAMP)`, invalid: { condition: unparsed, reason: 'INVALID_TIMESTAMP' } };
  return { typed: asIs };
}

/** The SQL of the transform step for one source dataset, over the view `raw_<dataset>`. */
export interface TransformSql {
  /** Every raw row with its cleaned columns and its first problem, if any (`reject_reason`, `reject_column`). */
  readonly checked: string;
  /** Each primary key that passing rows repeat, with the source row that wins (the first); usually a handful. */
  readonly duplicates: (checked: string) => string;
  /**
   * The rows that pass, de-duplicated on the primary key, typed; over `checked` and `duplicates` (`undefined` when
   * that table is empty, which spares the anti-join).
   */
  readonly accepted: (checked: string, duplicates: string | undefined) => string;
  /** One row per rejected raw row (a problem, or a duplicate that lost): the reason and the column, no values. */
  readonly rejects: (checked: string, duplicates: string | undefined, batchId: string) => string;
}

/**
 * Builds the transform step's SQL from the dataset's declaration and its storage treatments: types, trim, full-width
 * to half-width, ROC dates to ISO, null sentinels, allowed values, token shapes, required columns, de-duplication.
 * Each raw row ends up in exactly one of accepted, rejected or duplicate, which is what the accounting checks.
 */
export function buildTransformSql(dataset: DatasetSpec, policy: MaskingPolicy, dialect: SqlDialect): TransformSql {
  // De-duplication compares keys with '=': a passing row never has a null key only because key columns are required.
  const nullableKey = dataset.primaryKey.find((name) => dataset.columns.find((column) => column.name === name)?.nullable !== false);
  if (nullableKey) throw new Error(`${dataset.name}: primary key column ${nullableKey} must be declared non-nullable`);
  const rules = dataset.columns.map((column) => ({ column, rule: columnRule(column, policy.storageTreatmentFor(dataset.name, column.name), dialect) }));
  const text = (name: string): string => `${name}__text`;
  // Tokens are ASCII by construction and free text is kept as sent; codes, numbers and dates are normalised.
  const needsHalfWidth = (column: ColumnSpec): boolean =>
    policy.storageTreatmentFor(dataset.name, column.name).method === 'plaintext' && (column.type !== 'string' || column.allowedValues !== undefined || column.name.endsWith('_code') || column.name.endsWith('_category'));
  const cleaned = `SELECT source_row, business_date, ${dataset.columns.map((column) => `${cleanText(column.name, dialect, needsHalfWidth(column))} AS ${text(column.name)}`).join(', ')} FROM raw_${dataset.name}`;
  const typed = `SELECT *, ${rules.map(({ column, rule }) => `${rule.typed(text(column.name))} AS ${column.name}`).join(', ')} FROM (${cleaned}) cleaned`;
  const checks: string[] = [];
  for (const { column, rule } of rules) {
    if (!column.nullable) checks.push(`WHEN ${text(column.name)} IS NULL THEN 'MISSING_VALUE|${column.name}'`);
    if (rule.invalid) checks.push(`WHEN ${text(column.name)} IS NOT NULL AND (${rule.invalid.condition(text(column.name), column.name)}) THEN '${rule.invalid.reason}|${column.name}'`);
  }
  const problem = checks.length > 0 ? `CASE ${checks.join(' ')} END` : 'CAST(NULL AS VARCHAR)';
  // The cleaned texts only decide the problem; what is kept is the typed row.
  const checked = `SELECT source_row, business_date, ${dataset.columns.map((column) => column.name).join(', ')}, ${problem} AS problem FROM (${typed}) typed`;
  const key = dataset.primaryKey.join(', ');
  const sameKey = dataset.primaryKey.map((column) => `c.${column} = d.${column}`).join(' AND ');
  const columns = dataset.columns.map((column) => column.name).join(', ');
  return {
    checked,
    duplicates: (from) => `SELECT ${key}, min(source_row) AS first_row FROM ${from} WHERE problem IS NULL GROUP BY ${key} HAVING count(*) > 1`,
    accepted: (from, duplicates) =>
      `SELECT ${columns}, CAST(business_date AS DATE) AS business_date FROM ${from} c WHERE problem IS NULL${duplicates === undefined ? '' : ` AND NOT EXISTS (SELECT 1 FROM ${duplicates} d WHERE ${sameKey} AND c.source_row <> d.first_row)`} ORDER BY ${key}`,
    rejects: (from, duplicates, batchId) =>
      `SELECT ${quote(batchId)} AS batch_id, ${quote(dataset.name)} AS dataset, source_row AS row_number, split_part(problem, '|', 1) AS reason_code, split_part(problem, '|', 2) AS column_name, CAST(business_date AS DATE) AS business_date FROM ${from} WHERE problem IS NOT NULL
${
        duplicates === undefined
          ? ''
          : ` UNION ALL SELECT ${quote(batchId)}, ${quote(dataset.name)}, c.source_row, 'DUPLICATE', NULL, CAST(c.business_date AS DATE) FROM ${from} c JOIN ${duplicates} d ON ${sameKey} WHERE c.problem IS NULL AND c.source_row <> d.first_row`
      } ORDER BY 3`,
  };
}
