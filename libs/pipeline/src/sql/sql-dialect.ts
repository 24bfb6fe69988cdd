import type { ColumnType } from '@cur/contracts';

/**
 * The few places where DuckDB and Spark SQL spell things differently. Step SQL is written against this interface,
 * so the same definitions render for either engine. The mart and consumption plans run on both (a parity test runs
 * them on DuckDB and on local Spark 3.5.6); the transform's `fullMatch` and `isAscii` are rendered for Spark but
 * not yet run there.
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'spark';
  /** True when the whole of `expression` matches the regular expression. */
  fullMatch(expression: string, pattern: string): string;
  /** True when `expression` holds only ASCII characters (its byte length is its character length). */
  isAscii(expression: string): string;
  /**
   * The engine's name of a contract column type: `string` is DuckDB's VARCHAR and Spark's STRING; `timestamp` (a
   * local date and time, no zone) is DuckDB's TIMESTAMP and Spark's TIMESTAMP_NTZ, since Spark's TIMESTAMP is an
   * instant, written to Parquet as UTC-adjusted (read back by DuckDB as TIMESTAMP WITH TIME ZONE).
   */
  typeName(type: ColumnType): string;
  /**
   * The average of a `DECIMAL(_,2)` column as `DECIMAL(18,2)`, computed exactly and rounded half away from zero, as
   * Spark averages decimals. DuckDB's `AVG` of a decimal is a DOUBLE, whose cast to a decimal can round the other way
   * (a mart parity test found one branch's `avg_aum` a cent apart), so DuckDB's spelling works in whole cents.
   */
  averageDecimal(expression: string): string;
  /** A 64-bit hash of the values together (DuckDB's `hash`, Spark's `xxhash64`): equal values, equal hashes. */
  hash64(expressions: readonly string[]): string;
}

/** DuckDB, the local engine. */
export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  fullMatch: (expression, pattern) => `regexp_full_match(${expression}, ${quote(pattern)})`,
  isAscii: (expression) => `strlen(${expression}) = length(${expression})`,
  typeName: (type) => commonTypeName(type, 'VARCHAR'),
  averageDecimal: (expression) => {
    const cents = `CAST(SUM(${expression}) * 100 AS HUGEINT)`;
    const count = `COUNT(${expression})`;
    const rounded = `CASE WHEN ${cents} >= 0 THEN (2 * ${cents} + ${count}) // (2 * ${count}) ELSE -((${count} - 2 * ${cents}) // (2 * ${count})) END`;
    return `CAST(CAST(${rounded} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))`;
  },
  hash64: (expressions) => `hash(${expressions.join(', ')})`,
};

/** Spark SQL as Glue 5.1 runs it (Spark 3.5.6). */
export const SPARK_DIALECT: SqlDialect = {
  name: 'spark',
  fullMatch: (expression, pattern) => `(${expression} RLIKE ${quote(`^(?:${pattern})$`)})`,
  isAscii: (expression) => `octet_length(${expression}) = length(${expression})`,
  typeName: (type) => (type === 'timestamp' ? 'TIMESTAMP_NTZ' : commonTypeName(type, 'STRING')),
  averageDecimal: (expression) => `CAST(AVG(${expression}) AS DECIMAL(18,2))`,
  hash64: (expressions) => `xxhash64(${expressions.join(', ')})`,
};

function commonTypeName(type: ColumnType, text: string): string {
  switch (type) {
    case 'string':
      return text;
    case 'int':
      return 'INTEGER';
    default:
      return type.toUpperCase();
  }
}

/** A SQL string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
