import type { DqRule } from '../dqdl/types/ast';
import { type ColumnInfo, type EvaluationContext, requireColumn } from './evaluation-context';
import { allOnesOutcome, conditionOf, metricOutcome, queryRow, readNumber } from './outcomes';
import { asNumber, rowsOf } from './sql';
import type { RuleOutcomeDetail } from './types/rule-result';

type QuotedColumn = ColumnInfo & { readonly sql: string };

/** Glue's metric name for one column (`Column.cust_id.Completeness`) or several (`Multicolumn.a,b.Uniqueness`). @internal */
export function columnMetric(columns: readonly string[], metric: string): string {
  return columns.length === 1 ? `Column.${columns[0] ?? ''}.${metric}` : `Multicolumn.${columns.join(',')}.${metric}`;
}

async function columnsOf(rule: DqRule, context: EvaluationContext): Promise<QuotedColumn[]> {
  return Promise.all(rule.parameters.map((parameter) => requireColumn(context, parameter.value)));
}

/** Completeness of each column: the share of rows where it is not NULL. */
async function completeness(rule: DqRule, context: EvaluationContext, columns: readonly QuotedColumn[]): Promise<Record<string, number | null>> {
  const counts = columns.map((column, i) => `CAST(count(${column.sql}) AS DOUBLE) AS c${i}`).join(', ');
  const row = await queryRow(context, `SELECT CAST(count(*) AS DOUBLE) AS total, ${counts} FROM ${rowsOf(context.view, rule.where)} AS dq_rows`);
  const total = readNumber(row, 'total') ?? 0;
  return Object.fromEntries(columns.map((column, i) => [columnMetric([column.name], 'Completeness'), total > 0 ? (readNumber(row, `c${i}`) ?? 0) / total : null]));
}

/** The value frequencies of a column combination (NULLs left out), as Deequ computes uniqueness and entropy. */
interface Frequencies {
  /** Rows looked at, NULLs included. */
  readonly total: number;
  /** Rows whose value occurs exactly once. */
  readonly uniqueRows: number;
  /** Distinct non-NULL values. */
  readonly distinct: number;
  /** Distinct values that occur exactly once. */
  readonly singletons: number;
  /** Shannon entropy (natural log) of the non-NULL values; null when there are none. */
  readonly entropy: number | null;
}

async function frequencies(rule: DqRule, context: EvaluationContext, columns: readonly QuotedColumn[]): Promise<Frequencies> {
  const keys = columns.map((column) => column.sql).join(', ');
  const present = columns.map((column) => `${column.sql} IS NOT NULL`).join(' AND ');
  // One pass over the groups. Entropy -sum(p ln p) with p = n / N is ln N - sum(n ln n) / N: no window over the groups.
  const row = await queryRow(
    context,
    `WITH dq_rows AS (SELECT * FROM ${rowsOf(context.view, rule.where)}),
     dq_groups AS (SELECT count(*) AS n FROM dq_rows WHERE ${present} GROUP BY ${keys})
     SELECT CAST((SELECT count(*) FROM dq_rows) AS DOUBLE) AS total, dq_stats.unique_rows, dq_stats.distinct_values, dq_stats.singletons,
            CASE WHEN dq_stats.present > 0 THEN ln(dq_stats.present) - dq_stats.n_ln_n / dq_stats.present END AS entropy
     FROM (SELECT CAST(coalesce(sum(n) FILTER (WHERE n = 1), 0) AS DOUBLE) AS unique_rows, CAST(count(*) AS DOUBLE) AS distinct_values,
                  CAST(count(*) FILTER (WHERE n = 1) AS DOUBLE) AS singletons, CAST(coalesce(sum(n), 0) AS DOUBLE) AS present,
                  sum(n * ln(n)) AS n_ln_n FROM dq_groups) AS dq_stats`,
  );
  return {
    total: readNumber(row, 'total') ?? 0,
    uniqueRows: readNumber(row, 'unique_rows') ?? 0,
    distinct: readNumber(row, 'distinct_values') ?? 0,
    singletons: readNumber(row, 'singletons') ?? 0,
    entropy: readNumber(row, 'entropy'),
  };
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Completeness "col" > 0.95: the share of non-NULL values. */
export async function evaluateCompleteness(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const columns = await columnsOf(rule, context);
  const [[name, value] = ['', null]] = Object.entries(await completeness(rule, context, columns));
  return metricOutcome(name, value, conditionOf(rule));
}

/** IsComplete "col": no NULL at all. */
export async function evaluateIsComplete(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  return allOnesOutcome(await completeness(rule, context, await columnsOf(rule, context)));
}

/** Uniqueness "col" > 0.9: the share of rows whose value occurs exactly once. */
export async function evaluateUniqueness(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const columns = await columnsOf(rule, context);
  const counts = await frequencies(rule, context, columns);
  return metricOutcome(columnMetric(columns.map((column) => column.name), 'Uniqueness'), ratio(counts.uniqueRows, counts.total), conditionOf(rule));
}

/** IsUnique "col": every value occurs once (NULLs count as not unique). */
export async function evaluateIsUnique(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const columns = await columnsOf(rule, context);
  const counts = await frequencies(rule, context, columns);
  return allOnesOutcome({ [columnMetric(columns.map((column) => column.name), 'Uniqueness')]: ratio(counts.uniqueRows, counts.total) });
}

/**
 * IsPrimaryKey "a" "b": every column complete and the combination unique. When the caller says the step that wrote
 * the dataset makes the combination unique (`uniqueByConstruction`), completeness is still measured, uniqueness is
 * taken from the guarantee (every row with all key columns present is unique: Deequ's uniqueness is then their share
 * of the rows) and the evidence goes with the result.
 */
export async function evaluateIsPrimaryKey(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const columns = await columnsOf(rule, context);
  const guarantee = rule.where === undefined ? context.uniqueGuarantee(columns.map((column) => column.name)) : undefined;
  if (guarantee) {
    const counts = await presentCounts(context, columns);
    const outcome = allOnesOutcome({ ...counts.completeness, [columnMetric(columns.map((column) => column.name), 'Uniqueness')]: ratio(counts.allPresent, counts.total) });
    return { ...outcome, evidence: `uniqueness by construction, not measured locally: ${guarantee.evidence}` };
  }
  const complete = await completeness(rule, context, columns);
  const counts = await frequencies(rule, context, columns);
  return allOnesOutcome({ ...complete, [columnMetric(columns.map((column) => column.name), 'Uniqueness')]: ratio(counts.uniqueRows, counts.total) });
}

/** Rows, each column's completeness and the rows with every column present, in one scan without grouping. */
async function presentCounts(context: EvaluationContext, columns: readonly QuotedColumn[]): Promise<{ total: number; allPresent: number; completeness: Record<string, number | null> }> {
  const counts = columns.map((column, i) => `CAST(count(${column.sql}) AS DOUBLE) AS c${i}`).join(', ');
  const present = columns.map((column) => `${column.sql} IS NOT NULL`).join(' AND ');
  const row = await queryRow(context, `SELECT CAST(count(*) AS DOUBLE) AS total, CAST(count(*) FILTER (WHERE ${present}) AS DOUBLE) AS all_present, ${counts} FROM ${context.view} AS dq_rows`);
  const total = readNumber(row, 'total') ?? 0;
  return {
    total,
    allPresent: readNumber(row, 'all_present') ?? 0,
    completeness: Object.fromEntries(columns.map((column, i) => [columnMetric([column.name], 'Completeness'), total > 0 ? (readNumber(row, `c${i}`) ?? 0) / total : null])),
  };
}

/** DistinctValuesCount "col" > 3: distinct non-NULL values. */
export async function evaluateDistinctValuesCount(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const columns = await columnsOf(rule, context);
  const counts = await frequencies(rule, context, columns);
  return metricOutcome(columnMetric(columns.map((column) => column.name), 'DistinctValuesCount'), counts.distinct, conditionOf(rule));
}

/** UniqueValueRatio "col" > 0.5: distinct values occurring once, over distinct values. */
export async function evaluateUniqueValueRatio(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const columns = await columnsOf(rule, context);
  const counts = await frequencies(rule, context, columns);
  return metricOutcome(columnMetric(columns.map((column) => column.name), 'UniqueValueRatio'), ratio(counts.singletons, counts.distinct), conditionOf(rule));
}

/** Entropy "col" > 1: -sum(p ln p) over the value frequencies. */
export async function evaluateEntropy(rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> {
  const columns = await columnsOf(rule, context);
  const counts = await frequencies(rule, context, columns);
  return metricOutcome(columnMetric(columns.map((column) => column.name), 'Entropy'), counts.entropy, conditionOf(rule));
}

/** Mean, Sum and StandardDeviation (population) of a column's numeric values. */
function statistic(metric: 'Mean' | 'Sum' | 'StandardDeviation', aggregate: string) {
  return async (rule: DqRule, context: EvaluationContext): Promise<RuleOutcomeDetail> => {
    const [column] = await columnsOf(rule, context);
    if (!column) return metricOutcome(metric, null, conditionOf(rule));
    const row = await queryRow(context, `SELECT CAST(${aggregate}(${asNumber(column.sql)}) AS DOUBLE) AS v FROM ${rowsOf(context.view, rule.where)} AS dq_rows`);
    return metricOutcome(columnMetric([column.name], metric), readNumber(row, 'v'), conditionOf(rule));
  };
}

/** Mean "col" > 3. */
export const evaluateMean = statistic('Mean', 'avg');
/** Sum "col" > 0. */
export const evaluateSum = statistic('Sum', 'sum');
/** StandardDeviation "col" < 10, as Deequ computes it (population). */
export const evaluateStandardDeviation = statistic('StandardDeviation', 'stddev_pop');
