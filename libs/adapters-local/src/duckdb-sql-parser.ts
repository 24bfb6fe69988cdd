import type { DuckDBConnection } from '@duckdb/node-api';
import { AdapterError } from '@cur/platform';

/** DuckDB's parse tree of a statement (`json_serialize_sql`'s first statement node), the shape libs/lineage reads. */
export type DuckDbParseTree = Readonly<Record<string, unknown>>;

/**
 * Parses SQL with an in-memory DuckDB's `json_serialize_sql`, without running it: no table needs to exist. The
 * lineage's `SqlParser` port; `close()` releases the database.
 *
 * @example
 * const parser = await DuckDbSqlParser.open();
 * try { tree = await parser.parse('SELECT a FROM t'); } finally { parser.close(); }
 */
export class DuckDbSqlParser {
  readonly #connection: DuckDBConnection;
  readonly #close: () => void;

  private constructor(connection: DuckDBConnection, close: () => void) {
    this.#connection = connection;
    this.#close = close;
  }

  static async open(): Promise<DuckDbSqlParser> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    return new DuckDbSqlParser(connection, () => {
      connection.closeSync();
      instance.closeSync();
    });
  }

  /** @throws AdapterError with DuckDB's parser message when the query does not parse (the message quotes SQL, never data) */
  async parse(sql: string): Promise<DuckDbParseTree> {
    const reader = await this.#connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const serialised = reader.getRows()[0]?.[0];
    const parsed = JSON.parse(typeof serialised === 'string' ? serialised : '{}') as { error?: boolean; error_message?: string; statements?: { node?: DuckDbParseTree }[] };
    const node = parsed.statements?.[0]?.node;
    if (parsed.error === true || node === undefined) throw new AdapterError(`DuckDB could not parse a plan query: ${parsed.error_message ?? 'no statement'}`);
    return node;
  }

  close(): void {
    this.#close();
  }
}
