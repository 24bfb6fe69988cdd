/**
 * The SQL engine the pipeline's transforms run on: DuckDB on a laptop, Spark SQL in Glue. Step SQL is plain SELECTs
 * over named views in the subset both engines accept; everything engine-specific (how files become views, how a
 * result becomes Parquet) is behind this port.
 */
export interface SqlEngine {
  /** Makes Parquet files queryable as `name`. An empty list gives an empty view with the given columns. */
  registerParquetView(name: string, files: readonly string[], emptyColumns?: readonly string[]): Promise<void>;
  /** Creates (or replaces) a table of VARCHAR columns and appends rows; returns the row count. */
  loadRows(table: string, columns: readonly string[], chunks: AsyncIterable<readonly (readonly (string | null)[])[]>): Promise<number>;
  /**
   * The values of one column of a table in the order of `orderColumn`, moved out in bulk: for handing millions of
   * values to JavaScript (the mask step's distinct values).
   */
  readColumn(table: string, column: string, orderColumn: string): Promise<(string | null)[]>;
  /** Creates (or replaces) `table (position BIGINT, value VARCHAR)` with `values` at positions 1..n, moved in bulk. */
  loadColumn(table: string, values: readonly (string | null)[]): Promise<void>;
  /** Runs a statement that returns nothing of interest (CREATE VIEW ...). */
  execute(sql: string): Promise<void>;
  /** Runs a statement that changes rows (UPDATE, MERGE, INSERT, DELETE) and returns how many it changed. */
  update(sql: string): Promise<number>;
  /** Runs a query and returns its rows as plain objects (integers as numbers when they fit, else strings). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /**
   * Writes a query's result to one Parquet file at `file`; returns the row count. Rows are written in the order the
   * query yields them: a query without ORDER BY that only filters and projects one table yields the table's
   * insertion order (no sort needed for a byte-identical rerun); joins and aggregates give no order.
   */
  writeParquet(sql: string, file: string): Promise<number>;
  /**
   * Another session on the same database, so independent steps can run side by side (tables are shared, each
   * session runs its own statements). Closing a session leaves the database open; closing the original closes it.
   */
  fork(): Promise<SqlEngine>;
  close(): Promise<void>;
}
