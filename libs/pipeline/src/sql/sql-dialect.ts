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
}

/** DuckDB, the local engine. */
export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  fullMatch: (expression, pattern) => `regexp_full_match(${expression}, ${quote(pattern)})`,
  isAscii: (expression) => `strlen(${expression}) = length(${expression})`,
  typeName: (type) => commonTypeName(type, 'VARCHAR'),
};

/** Spark SQL as Glue 5.1 runs it (Spark 3.5.6). */
export const SPARK_DIALECT: SqlDialect = {
  name: 'spark',
  fullMatch: (expression, pattern) => `(${expression} RLIKE ${quote(`^(?:${pattern})$`)})`,
  isAscii: (expression) => `octet_length(${expression}) = length(${expression})`,
  typeName: (type) => (type === 'timestamp' ? 'TIMESTAMP_NTZ' : commonTypeName(type, 'STRING')),
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
