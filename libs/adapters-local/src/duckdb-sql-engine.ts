import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { SqlEngine } from '@cur/platform';
import { AdapterError } from '@cur/platform';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new AdapterError(`'${name}' is not a plain SQL identifier`);
  return name;
}

/** DuckDB's messages may quote the data that failed; only the kind of error ("Conversion Error") is repeated. */
function errorKind(error: unknown): string {
  return /^([A-Za-z ]+ Error)/.exec((error as Error).message ?? '')?.[1] ?? 'error';
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A {@link SqlEngine} on an in-process DuckDB: Parquet files become views through `read_parquet`, results are written
 * with `COPY ... TO ... (FORMAT PARQUET)`. Threads are limited so a laptop stays usable.
 */
export class DuckDbSqlEngine implements SqlEngine {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  /** Opens an in-memory DuckDB. @param threads - @default 2 */
  static async open(options: { threads?: number; memoryLimit?: string } = {}): Promise<DuckDbSqlEngine> {
    // Loaded on demand: DuckDB's native addon must never be needed by a Lambda bundle that links this package.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(options.threads ?? 2),
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    });
    return new DuckDbSqlEngine(instance, await instance.connect());
  }

  async registerParquetView(name: string, files: readonly string[], emptyColumns: readonly string[] = []): Promise<void> {
    const view = identifier(name);
    if (files.length === 0) {
      const columns = emptyColumns.length > 0 ? emptyColumns.map((column) => `CAST(NULL AS VARCHAR) AS ${identifier(column)}`).join(', ') : 'NULL AS empty';
      await this.execute(`CREATE OR REPLACE VIEW ${view} AS SELECT ${columns} WHERE FALSE`);
      return;
    }
    await this.execute(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM read_parquet([${files.map(literal).join(', ')}])`);
  }

  async loadRows(table: string, columns: readonly string[], chunks: AsyncIterable<readonly (readonly (string | null)[])[]>): Promise<number> {
    const name = identifier(table);
    await this.execute(`CREATE OR REPLACE TABLE ${name} (${columns.map((column) => `${identifier(column)} VARCHAR`).join(', ')})`);
    const appender = await this.#connection.createAppender(name);
    let count = 0;
    try {
      for await (const rows of chunks) {
        for (const row of rows) {
          for (let i = 0; i < columns.length; i += 1) {
            const value = row[i];
            if (value === null || value === undefined) appender.appendNull();
            else appender.appendVarchar(value);
          }
          appender.endRow();
          count += 1;
        }
        appender.flushSync();
      }
    } finally {
      appender.closeSync();
    }
    return count;
  }

  async execute(sql: string): Promise<void> {
    try {
      await this.#connection.run(sql);
    } catch (error) {
      throw new AdapterError(`DuckDB could not run a statement (${errorKind(error)})`, { cause: error });
    }
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    try {
      const reader = await this.#connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    } catch (error) {
      throw new AdapterError(`DuckDB could not run a query (${errorKind(error)})`, { cause: error });
    }
  }

  async writeParquet(sql: string, file: string): Promise<number> {
    await this.execute(`COPY (${sql}) TO ${literal(file)} (FORMAT PARQUET, COMPRESSION ZSTD)`);
    const [row] = await this.query(`SELECT count(*) AS n FROM read_parquet(${literal(file)})`);
    return Number(row?.['n'] ?? 0);
  }

  async close(): Promise<void> {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}
