/**
 * The few places where DuckDB and Spark SQL spell things differently. Step SQL is written against this interface,
 * so the same definitions can later be rendered for Glue (Spark); only DuckDB's is implemented and exercised here.
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'spark';
  /** True when the whole of `expression` matches the regular expression. */
  fullMatch(expression: string, pattern: string): string;
}

/** DuckDB, the local engine. */
export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  fullMatch: (expression, pattern) => `regexp_full_match(${expression}, ${quote(pattern)})`,
};

/** Spark SQL as Glue 4 runs it; rendered and syntax-checked only, not run here. */
export const SPARK_DIALECT: SqlDialect = {
  name: 'spark',
  fullMatch: (expression, pattern) => `(${expression} RLIKE ${quote(`^(?:${pattern})$`)})`,
};

/** A SQL string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
