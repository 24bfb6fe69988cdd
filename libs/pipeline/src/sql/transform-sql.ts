import type { ColumnSpec, DatasetSpec } from '@cur/contracts';
import type { MaskingPolicy, Treatment } from '@cur/policy';
import type { SqlDialect } from './sql-dialect';
import { quote } from './sql-dialect';

const FULL_WIDTH = '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ　．－，';
const HALF_WIDTH = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .-,';

/** Storage treatments whose output never holds padding or a null sentinel (partial masking may keep either). */
const OPAQUE_METHODS: ReadonlySet<string> = new Set(['ff1', 'daead', 'hmac', 'generalize']);

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
  // Nearly every value is ASCII and unpadded. translate would walk it against 70 characters and TRIM copy it, both for
  // nothing: an ASCII value only needs TRIM when it starts or ends with a space (the only ASCII space TRIM removes).
  const ascii = `CASE WHEN ${expression} LIKE ' %' OR ${expression} LIKE '% ' THEN TRIM(${expression}) ELSE ${expression} END`;
  const other = halfWidth ? `TRIM(translate(${expression}, ${quote(FULL_WIDTH)}, ${quote(HALF_WIDTH)}))` : `TRIM(${expression})`;
  let cleaned = `CASE WHEN ${dialect.isAscii(expression)} THEN ${ascii} ELSE ${other} END`;
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
      `concat(CAST(CAST(substr(${text}, 1, length(${text}) - 4) AS INTEGER) + 1911 AS ${dialect.typeName('string')}), '-', substr(${text}, length(${text}) - 3, 2), '-', substr(${text}, length(${text}) - 1, 2))`;
    return {
      typed: (text) => `CASE WHEN ${dialect.fullMatch(text, '[0-9]{6,7}')} THEN TRY_CAST(${iso(text)} AS DATE) END`,
      invalid: { condition: unparsed, reason: 'INVALID_DATE' },
    };
  }
  if (column.type === 'date') return { typed: (text) => `TRY_CAST(${text} AS DATE)`, invalid: { condition: unparsed, reason: 'INVALID_DATE' } };
  if (column.type === 'timestamp') return { typed: (text) => `TRY_CAST(${text} AS ${dialect.typeName('timestamp')})`, invalid: { condition: unparsed, reason: 'INVALID_TIMESTAMP' } };
  return { typed: asIs };
}

/**
 * The SQL of the transform step for one source dataset, over the view `raw_<dataset>`. The plan materialises
 * `checked` once and the (few) losing duplicates, marks those by a left join (`marked`, a view), then reads it twice
 * (accepted, rejects). No in-place update: Spark on plain Parquet has none.
 */
export interface TransformSql {
  /**
   * Every raw row with its cleaned columns and its first problem, if any (`reason|column`), in no guaranteed order:
   * DuckDB turns an `IN` list of five or more values (an allowed-values check) into a join, which keeps no row order.
   */
  readonly checked: string;
  /** The source rows that pass but repeat the key of an earlier passing row (the first one wins); usually a handful. */
  readonly duplicates: (checked: string) => string;
  /**
   * `checked` with the problem of those rows set to `DUPLICATE`, by a left join on the source row (what a `MERGE INTO`
   * would do in place, which Spark cannot do on plain Parquet). A join keeps no row order.
   */
  readonly marked: (checked: string, duplicates: string) => string;
  /**
   * The rows without a problem, typed, in source row order (`ORDER BY source_row`): the join above gives no order on
   * either engine (nor does `checked`), and a rerun must write the same bytes (the file is named by its content hash).
   * The sort's cost, and why keeping the order without it did not pay, are in docs/benchmarks.md.
   */
  readonly accepted: (marked: string) => string;
  /** One row per rejected raw row (a problem, or a duplicate that lost): the reason and the column, no values. */
  readonly rejects: (checked: string, batchId: string) => string;
  /**
   * For a batch transformed in parts: the hashes of the typed keys that more than one raw row of the whole batch has,
   * passing or not (`key_hash`). Only the key columns are read; every duplicate's key hash is among them, along with
   * the (few) keys whose rows fail and the (rare) hash collisions, which the parts compare exactly.
   */
  readonly keyCandidates: string;
  /** The passing rows of a part whose key hash is a candidate: `source_row` and the key columns. Usually a handful. */
  readonly candidateRows: (checked: string, keyCandidates: string) => string;
  /**
   * The rows of a part that lose to an earlier passing row of the same key, in this part or in an earlier one (the
   * candidate rows of the parts before it, `earlier`; none for the first part): the batch's `duplicates` for one part.
   */
  readonly partDuplicates: (candidateRows: string, earlier: string | undefined) => string;
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
  // A token, a sealed value or a generalisation never has padding or a sentinel's text (a sentinel was sealed like any
  // value); only an empty cell the extract quoted ("") reaches raw as it came. So those columns skip the cleanup.
  const isOpaque = (column: ColumnSpec): boolean => OPAQUE_METHODS.has(policy.storageTreatmentFor(dataset.name, column.name).method);
  const clean = (column: ColumnSpec): string => (isOpaque(column) ? `NULLIF(${column.name}, '')` : cleanText(column.name, dialect, needsHalfWidth(column)));
  const cleaned = `SELECT source_row, business_date, ${dataset.columns.map((column) => `${clean(column)} AS ${text(column.name)}`).join(', ')} FROM raw_${dataset.name}`;
  const typed = `SELECT *, ${rules.map(({ column, rule }) => `${rule.typed(text(column.name))} AS ${column.name}`).join(', ')} FROM (${cleaned}) cleaned`;
  const checks: string[] = [];
  for (const { column, rule } of rules) {
    if (!column.nullable) checks.push(`WHEN ${text(column.name)} IS NULL THEN 'MISSING_VALUE|${column.name}'`);
    if (rule.invalid) checks.push(`WHEN ${text(column.name)} IS NOT NULL AND (${rule.invalid.condition(text(column.name), column.name)}) THEN '${rule.invalid.reason}|${column.name}'`);
  }
  const problem = checks.length > 0 ? `CASE ${checks.join(' ')} END` : `CAST(NULL AS ${dialect.typeName('string')})`;
  // The cleaned texts only decide the problem; what is kept is the typed row.
  const checked = `SELECT source_row, business_date, ${dataset.columns.map((column) => column.name).join(', ')}, ${problem} AS problem FROM (${typed}) typed`;
  const key = dataset.primaryKey.join(', ');
  const sameKey = dataset.primaryKey.map((column) => `c.${column} = k.${column}`).join(' AND ');
  const columns = dataset.columns.map((column) => column.name).join(', ');
  const keyColumns = dataset.primaryKey.map((name) => rules.find(({ column }) => column.name === name)).filter((entry) => entry !== undefined);
  const typedKeys = keyColumns.map(({ column, rule }) => rule.typed(`(${clean(column)})`));
  const keyCandidates = `SELECT ${dialect.hash64(typedKeys)} AS key_hash FROM raw_${dataset.name} GROUP BY 1 HAVING count(*) > 1`;
  return {
    keyCandidates,
    candidateRows: (from, candidates) =>
      `SELECT source_row, ${key} FROM ${from} WHERE problem IS NULL AND ${dialect.hash64(dataset.primaryKey)} IN (SELECT key_hash FROM ${candidates})`,
    partDuplicates: (candidates, earlier) => {
      const all = earlier === undefined ? candidates : `(SELECT source_row, ${key} FROM ${candidates} UNION ALL SELECT source_row, ${key} FROM ${earlier})`;
      return `SELECT c.source_row FROM ${candidates} c JOIN (SELECT ${key}, min(source_row) AS first_row FROM ${all} a GROUP BY ${key}) k ON ${sameKey} WHERE c.source_row <> k.first_row`;
    },
    checked,
    duplicates: (from) =>
      `SELECT c.source_row FROM ${from} c JOIN (SELECT ${key}, min(source_row) AS first_row FROM ${from} WHERE problem IS NULL GROUP BY ${key} HAVING count(*) > 1) k ON ${sameKey} WHERE c.problem IS NULL AND c.source_row <> k.first_row`,
    marked: (from, duplicates) =>
      `SELECT ${['source_row', 'business_date', ...dataset.columns.map((column) => column.name)].map((column) => `c.${column}`).join(', ')}, CASE WHEN d.source_row IS NULL THEN c.problem ELSE 'DUPLICATE|' END AS problem FROM ${from} c LEFT JOIN ${duplicates} d ON c.source_row = d.source_row`,
    accepted: (from) => `SELECT ${columns}, CAST(business_date AS DATE) AS business_date FROM ${from} WHERE problem IS NULL ORDER BY source_row`,
    rejects: (from, batchId) =>
      `SELECT ${quote(batchId)} AS batch_id, ${quote(dataset.name)} AS dataset, source_row AS row_number, split_part(problem, '|', 1) AS reason_code, NULLIF(split_part(problem, '|', 2), '') AS column_name, ${quote(dataset.name)} AS source_dataset, CAST(business_date AS DATE) AS business_date FROM ${from} WHERE problem IS NOT NULL ORDER BY source_row`,
  };
}
