import { open as openFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ColumnSpec } from '@cur/contracts';
import { AdapterError } from '@cur/platform';
import { canonicalValue, type ReplicaRow, type ReplicaTable, type ReplicaTarget } from '@cur/replication';
import { PRIVATE_FILE_MODE, makePrivateDir } from '../private-files';

/** Where the local replica lives under the state folder. @default */
export const LOCAL_REPLICA_FILE = 'oracle/replica.sqlite';

/** Rows inserted per transaction chunk; one date is still one transaction. */
const INSERT_BATCH = 5000;

/**
 * The SQLite type of a contract column in a STRICT table. Decimals, dates and timestamps are kept as their exact
 * canonical text (SQLite has no fixed-point type; a REAL would round them), integers as INTEGER, doubles as REAL.
 */
function sqliteTypeOf(spec: ColumnSpec): 'TEXT' | 'INTEGER' | 'REAL' {
  if (spec.type === 'int' || spec.type === 'bigint' || spec.type === 'boolean') return 'INTEGER';
  if (spec.type === 'double') return 'REAL';
  return 'TEXT';
}

/** A value as SQLite stores it in its column. */
function toSqlite(spec: ColumnSpec, value: unknown): string | number | bigint | null {
  if (value === null || value === undefined) return null;
  switch (sqliteTypeOf(spec)) {
    case 'INTEGER':
      return spec.type === 'boolean' ? (canonicalValue(spec, value) === 'true' ? 1 : 0) : BigInt(canonicalValue(spec, value) as string);
    case 'REAL':
      return Number(value);
    default:
      return spec.type === 'string' ? String(value) : canonicalValue(spec, value);
  }
}

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The local stand-in for the Oracle replica: one SQLite file (`.cur/oracle/replica.sqlite`, owner-only) through
 * better-sqlite3, with a STRICT table per replica table rendered from the same {@link ReplicaTable} as the Oracle DDL:
 * the upper-case names, `BUSINESS_DATE`, the key of the business date and the contract's key. A date is one
 * transaction, so a failed load leaves the date empty rather than half there.
 */
export class SqliteReplicaTarget implements ReplicaTarget {
  readonly description: string;
  readonly #db: Database;

  private constructor(db: Database, path: string) {
    this.#db = db;
    this.description = `sqlite:${path}`;
  }

  /**
   * Opens (or creates) the replica file, owner-only.
   *
   * @example
   * const target = await SqliteReplicaTarget.open(join(config.home, LOCAL_REPLICA_FILE));
   */
  static async open(path: string): Promise<SqliteReplicaTarget> {
    await makePrivateDir(dirname(path));
    // Created 0600 before SQLite opens it; SQLite gives its journal the database file's mode.
    await (await openFile(path, 'a', PRIVATE_FILE_MODE)).close();
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    try {
      const db = new BetterSqlite3(path);
      db.pragma('journal_mode = DELETE');
      db.defaultSafeIntegers(true);
      return new SqliteReplicaTarget(db, path);
    } catch (error) {
      throw new AdapterError(`cannot open the local replica at ${path}`, { cause: error });
    }
  }

  prepare(tables: readonly ReplicaTable[]): Promise<void> {
    for (const table of tables) {
      const columns = table.columns.map(({ name, spec }) => `${ident(name)} ${sqliteTypeOf(spec)}${spec.nullable ? '' : ' NOT NULL'}`);
      this.#db.exec(
        `CREATE TABLE IF NOT EXISTS ${ident(table.name)} (${[...columns, `${ident(table.partitionColumn)} TEXT NOT NULL`, `PRIMARY KEY (${[table.partitionColumn, ...table.key].map(ident).join(', ')})`].join(', ')}) STRICT`,
      );
    }
    return Promise.resolve();
  }

  clearPartition(table: ReplicaTable, businessDate: string): Promise<void> {
    this.#db.prepare(`DELETE FROM ${ident(table.name)} WHERE ${ident(table.partitionColumn)} = ?`).run(businessDate);
    return Promise.resolve();
  }

  async insertRows(table: ReplicaTable, businessDate: string, rows: AsyncIterable<ReplicaRow>): Promise<number> {
    const names = [...table.columns.map((column) => column.name), table.partitionColumn];
    const insert = this.#db.prepare(`INSERT INTO ${ident(table.name)} (${names.map(ident).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
    const insertMany = this.#db.transaction((batch: readonly ReplicaRow[]) => {
      for (const row of batch) insert.run(...table.columns.map(({ spec }) => toSqlite(spec, row[spec.name])), businessDate);
    });
    let count = 0;
    let batch: ReplicaRow[] = [];
    this.#db.exec('BEGIN');
    try {
      for await (const row of rows) {
        batch.push(row);
        if (batch.length >= INSERT_BATCH) {
          insertMany(batch);
          count += batch.length;
          batch = [];
        }
      }
      insertMany(batch);
      count += batch.length;
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw new AdapterError(`loading ${table.name} for ${businessDate} into the local replica failed`, { cause: error });
    }
    return count;
  }

  async *readRows(table: ReplicaTable, businessDate: string): AsyncIterable<ReplicaRow> {
    const select = this.#db.prepare(`SELECT ${table.columns.map((column) => ident(column.name)).join(', ')} FROM ${ident(table.name)} WHERE ${ident(table.partitionColumn)} = ?`).raw(true);
    for (const values of select.iterate(businessDate) as Iterable<unknown[]>) {
      yield Object.fromEntries(table.columns.map(({ spec }, index) => [spec.name, values[index]]));
    }
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}
