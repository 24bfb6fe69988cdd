import type { ReplicaTable } from '../replica-tables';

/** One row for or from the replica, keyed by the contract's (lower-case) column names. */
export type ReplicaRow = Readonly<Record<string, unknown>>;

/**
 * The database the lake is replicated to: RDS for Oracle in AWS (through `oracledb`), a SQLite file under the state
 * folder on a laptop. Rows are keyed by the contract's column names on both sides of this port; each adapter maps
 * them to its own upper-case columns and types.
 */
export interface ReplicaTarget {
  /** What the target is, for reports: `oracle://host:port/service`, `sqlite:<path>`. Never a password. */
  readonly description: string;
  /**
   * Makes sure the tables exist: the SQLite adapter creates what is missing; the Oracle adapter only checks, since
   * its DDL is applied by the schema owner (`cur replicate --ddl`).
   *
   * @throws ReplicationError `REPLICA_SCHEMA_MISSING` naming each missing table
   */
  prepare(tables: readonly ReplicaTable[]): Promise<void>;
  /** Empties one business date of a table; a date that holds nothing is not an error. */
  clearPartition(table: ReplicaTable, businessDate: string): Promise<void>;
  /** Inserts rows into one business date of a table and commits; returns how many. */
  insertRows(table: ReplicaTable, businessDate: string, rows: AsyncIterable<ReplicaRow>): Promise<number>;
  /** The rows of one business date of a table, in no particular order. */
  readRows(table: ReplicaTable, businessDate: string): AsyncIterable<ReplicaRow>;
  close(): Promise<void>;
}
