/**
 * The few places where DuckDB and Spark SQL spell things differently. Step SQL is written against this interface,
 * so the same definitions can later be rendered for Glue (Spark); only DuckDB's is implemented and exercised here.
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'spark';
  /** True when the whole of `expression` matches the regular expression. */
  fullMatch(expression: string, pattern: string): string;
  /** True when `expression` holds only ASCII characters (its byte length is its character length). */
  isAscii(expression: string): string;
}

/** DuckDB, the local engine. */
export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  fullMatch: (expression, pattern) => `regexp_full_match(${expression}, ${quote(pattern)})`,
  isAscii: (expression) => `strlen(${expression}) = length(${expression})`,
};

/** Spark SQL as Glue 4 runs it; rendered and syntax-checked only, not run here. */
export const SPARK_DIALECT: SqlDialect = {
  name: 'spark',
  fullMatch: (expression, pattern) => `(${expression} RLIKE ${quote(`^(?:${pattern})$`)})`,
  isAscii: (expression) => `octet_length(${expression}) = length(${expression})`,
};

/** A SQL string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
