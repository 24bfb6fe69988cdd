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

/**
 * Reading a column out in bulk joins its values with this separator into one string per chunk: one crossing of the
 * native boundary instead of one per value. A value that holds it is caught by the count check and moves row by row.
 */
const SEPARATOR = '\u001e';
const SEPARATOR_SQL = 'chr(30)';

/** Values per bulk string: keeps each well under V8's string limit. */
const BULK_CHUNK = 1_000_000;

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
  /** False for a session made by {@link fork}: closing it must not close the database under the others. */
  readonly #ownsInstance: boolean;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, ownsInstance = true) {
    this.#instance = instance;
    this.#connection = connection;
    this.#ownsInstance = ownsInstance;
  }

  async fork(): Promise<DuckDbSqlEngine> {
    return new DuckDbSqlEngine(this.#instance, await this.#instance.connect(), false);
  }

  /**
   * Opens an in-memory DuckDB. @param threads - @default 2
   * @param tempDirectory - where DuckDB spills what does not fit in memory (the mask step's staged rows are plaintext,
   * so the pipeline passes its private scratch folder). @default DuckDB's own: `.tmp` under the working directory
   */
  static async open(options: { threads?: number; memoryLimit?: string; tempDirectory?: string } = {}): Promise<DuckDbSqlEngine> {
    // Loaded on demand: DuckDB's native addon must never be needed by a Lambda bundle that links this package.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(options.threads ?? 2),
      // DuckDB's default, pinned: queries without ORDER BY over one table keep its row order (see writeParquet).
      preserve_insertion_order: 'true',
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
      ...(options.tempDirectory ? { temp_directory: options.tempDirectory } : {}),
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

  async readColumn(table: string, column: string, orderColumn: string): Promise<(string | null)[]> {
    const [name, value, order] = [identifier(table), identifier(column), identifier(orderColumn)];
    const chunks = await this.query(
      `SELECT string_agg(coalesce(${value}, ''), ${SEPARATOR_SQL} ORDER BY o) AS joined, count(*) AS n, count(${value}) AS present FROM (SELECT ${value}, ${order} AS o, row_number() OVER (ORDER BY ${order}) AS rn FROM ${name}) GROUP BY (rn - 1) // ${BULK_CHUNK} ORDER BY min(rn)`,
    );
    const values: string[] = [];
    for (const chunk of chunks) {
      const parts = String(chunk['joined'] ?? '').split(SEPARATOR);
      const n = Number(chunk['n']);
      if (Number(chunk['present']) !== n || parts.length !== n) return this.#readColumnByRow(name, value, order);
      for (const part of parts) values.push(part);
    }
    return values;
  }

  async #readColumnByRow(table: string, column: string, order: string): Promise<(string | null)[]> {
    const reader = await this.#connection.runAndReadAll(`SELECT ${column} FROM ${table} ORDER BY ${order}`);
    return (reader.getColumnsJS()[0] ?? []).map((v) => (v === null || v === undefined ? null : String(v)));
  }

  async loadColumn(table: string, values: readonly (string | null)[]): Promise<void> {
    const name = identifier(table);
    await this.execute(`CREATE OR REPLACE TABLE ${name} (position BIGINT, value VARCHAR)`);
    // The appender takes any string as is (no separator to avoid) and is the fastest way in: ~0.2 us a value.
    const appender = await this.#connection.createAppender(name);
    try {
      for (let i = 0; i < values.length; i += 1) {
        appender.appendInteger(i + 1);
        const value = values[i];
        if (value === null || value === undefined) appender.appendNull();
        else appender.appendVarchar(value);
        appender.endRow();
      }
      appender.flushSync();
    } catch (error) {
      throw new AdapterError(`DuckDB could not load a column (${errorKind(error)})`, { cause: error });
    } finally {
      appender.closeSync();
    }
  }

  async execute(sql: string): Promise<void> {
    try {
      await this.#connection.run(sql);
    } catch (error) {
      throw new AdapterError(`DuckDB could not run a statement (${errorKind(error)})`, { cause: error });
    }
  }

  async update(sql: string): Promise<number> {
    try {
      return Number((await this.#connection.run(sql)).rowsChanged);
    } catch (error) {
      throw new AdapterError(`DuckDB could not change rows (${errorKind(error)})`, { cause: error });
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
    try {
      // COPY answers with the number of rows it wrote.
      const result = await this.#connection.run(`COPY (${sql}) TO ${literal(file)} (FORMAT PARQUET, COMPRESSION ZSTD)`);
      return Number(result.rowsChanged);
    } catch (error) {
      throw new AdapterError(`DuckDB could not write Parquet (${errorKind(error)})`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.#connection.closeSync();
    if (this.#ownsInstance) this.#instance.closeSync();
  }
}
