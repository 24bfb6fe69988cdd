import type { SqlParseTree } from '../sql-column-lineage';

/** Parses one SQL query into DuckDB's parse tree (`json_serialize_sql`), which the column lineage is read from. */
export interface SqlParser {
  /** @throws Error naming the parser's complaint when the query does not parse */
  parse(sql: string): Promise<SqlParseTree>;
}
