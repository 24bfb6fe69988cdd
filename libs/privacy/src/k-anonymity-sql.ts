import { ValidationError } from '@cur/platform';
import { MAX_K_THRESHOLD } from './constants';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** What {@link kAnonymitySql} measures. */
export interface KAnonymitySqlOptions {
  /** The view or table to read. */
  readonly view: string;
  /** The quasi-identifier columns; none puts every record in one class. */
  readonly columns: readonly string[];
  /**
   * The column naming the person a record is about (the dataset's key), so a repeated record of one customer does not
   * count as two; without it, records are counted.
   */
  readonly subject?: string;
  /** Classes smaller than this are counted as below it. */
  readonly threshold: number;
}

/**
 * The SQL that measures k-anonymity over a view: groups its records by the quasi-identifiers (an equivalence class is
 * one combination of their values, nulls included), sizes each class in distinct subjects, and returns one row:
 * `classes`, `records` (the classes' sizes summed), `k` (the smallest class; null when there are no records),
 * `records_below` and `classes_below` (in classes smaller than the threshold). Only counts leave the engine, never a
 * value. Plain SQL that DuckDB and Spark both run.
 *
 * @throws ValidationError for a name that is not a plain lower-case identifier, or a threshold out of range
 * @example
 * kAnonymitySql({ view: 'dq_target', columns: ['age_band', 'gender'], subject: 'cust_id', threshold: 5 });
 */
export function kAnonymitySql(options: KAnonymitySqlOptions): string {
  const { view, columns, subject, threshold } = options;
  for (const name of [view, ...columns, ...(subject === undefined ? [] : [subject])]) {
    if (!IDENTIFIER.test(name)) throw new ValidationError(`k-anonymity: '${name}' is not a plain column or view name`);
  }
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_K_THRESHOLD) throw new ValidationError(`k-anonymity: the threshold must be a whole number from 1 to ${MAX_K_THRESHOLD}`);
  // A record without a subject is a person of its own: it can only make its class look smaller, never larger.
  const size = subject === undefined ? 'count(*)' : `count(DISTINCT ${subject}) + count(*) - count(${subject})`;
  const groupBy = columns.length > 0 ? ` GROUP BY ${columns.join(', ')}` : '';
  return [
    'SELECT CAST(count(*) AS BIGINT) AS classes, CAST(COALESCE(sum(n), 0) AS BIGINT) AS records, CAST(min(n) AS BIGINT) AS k,',
    `CAST(COALESCE(sum(CASE WHEN n < ${threshold} THEN n ELSE 0 END), 0) AS BIGINT) AS records_below,`,
    `CAST(COALESCE(sum(CASE WHEN n < ${threshold} THEN 1 ELSE 0 END), 0) AS BIGINT) AS classes_below`,
    // HAVING keeps an empty view from making one class of size 0 when there is nothing to group by.
    `FROM (SELECT ${size} AS n FROM ${view}${groupBy} HAVING count(*) > 0) equivalence_classes`,
  ].join(' ');
}
