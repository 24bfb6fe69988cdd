import type { Connection } from 'oracledb';
import { AdapterError } from '@cur/platform';
import {
  DEFAULT_ORACLE_SCHEMA,
  ORACLE_EXISTING_TABLES_SQL,
  REPLICATION_ERROR_CODES,
  ReplicationError,
  canonicalValue,
  oracleClearPartition,
  oracleInsertRow,
  oracleSelectPartition,
  type ReplicaRow,
  type ReplicaTable,
  type ReplicaTarget,
} from '@cur/replication';

/** Where and as whom to connect. The password comes from Secrets Manager in AWS, from `CUR_ORACLE_URL` in tests. */
export interface OracleConnectionOptions {
  readonly user: string;
  readonly password: string;
  /**
   * Easy Connect: `host:port/service_name`, or `tcps://host:port/service_name` for TLS (RDS's `SSL` option, port
   * 2484). Over TCPS the server's certificate must chain to a CA Node trusts (RDS's: Lambda's
   * `/var/runtime/ca-cert.pem` through `NODE_EXTRA_CA_CERTS`) and name the host connected to.
   */
  readonly connectString: string;
  /** The schema that owns the replica. @default DEFAULT_ORACLE_SCHEMA */
  readonly schema?: string;
}

/** Rows per `executeMany` round trip, and per fetch when reading. */
const BATCH_ROWS = 1000;

/** Whether a connect string asks for TLS (`tcps://`). */
export const isTlsConnectString = (connectString: string): boolean => /^tcps:\/\//i.test(connectString);

/**
 * What `oracledb.getConnection` gets besides the credentials. Over TCPS the server's certificate is checked against
 * the host name (`sslServerDNMatch`, node-oracledb's default made explicit) and against Node's trusted CAs: no
 * wallet is passed, because thin mode reads a wallet as the client's own certificate and key (a CA alone is
 * refused), so the CA is added to Node's store with `NODE_EXTRA_CA_CERTS`.
 */
export function oracleConnectAttributes(connectString: string): { connectString: string; sslServerDNMatch?: true } {
  return isTlsConnectString(connectString) ? { connectString, sslServerDNMatch: true } : { connectString };
}

/**
 * Parses `oracle://user:password@host:port/service` (what `CUR_ORACLE_URL` holds) into connection options;
 * `oracles://` connects over TLS (`tcps://`, port 2484 unless given).
 *
 * @throws AdapterError naming what is missing, never the password
 */
export function parseOracleUrl(url: string, schema?: string): OracleConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new AdapterError('CUR_ORACLE_URL is not a URL: expected oracle://user:password@host:port/service', { cause: error });
  }
  const service = parsed.pathname.replace(/^\//, '');
  const tls = parsed.protocol === 'oracles:';
  if ((parsed.protocol !== 'oracle:' && !tls) || !parsed.username || !parsed.hostname || !service) {
    throw new AdapterError('CUR_ORACLE_URL must look like oracle://user:password@host:port/service (oracles:// for TLS)');
  }
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    connectString: tls ? `tcps://${parsed.hostname}:${parsed.port || '2484'}/${service}` : `${parsed.hostname}:${parsed.port || '1521'}/${service}`,
    schema: schema ?? decodeURIComponent(parsed.username).toUpperCase(),
  };
}

/**
 * The replica in RDS for Oracle, through `oracledb` in thin mode (pure JavaScript: no Instant Client in the Lambda).
 * It checks the generated schema is there, empties a date before a load (a `DELETE` pruned to its partition), inserts rows for the local runner, and reads a date back for the reconciliation with
 * `NUMBER`s fetched as text, so no decimal passes through a float on the way out.
 */
export class OracleReplicaTarget implements ReplicaTarget {
  readonly description: string;
  readonly #connection: Connection;
  readonly #schema: string;

  private constructor(connection: Connection, options: OracleConnectionOptions) {
    this.#connection = connection;
    this.#schema = options.schema ?? DEFAULT_ORACLE_SCHEMA;
    this.description = `oracle://${options.connectString}`;
  }

  /** Connects, and sets the session's formats so dates and numbers cross as the reconciliation expects. */
  static async connect(options: OracleConnectionOptions): Promise<OracleReplicaTarget> {
    const { default: oracledb } = await import('oracledb');
    let connection: Connection;
    try {
      connection = await oracledb.getConnection({ user: options.user, password: options.password, ...oracleConnectAttributes(options.connectString) });
    } catch (error) {
      throw new AdapterError(`cannot connect to Oracle at ${options.connectString} as ${options.user}`, { cause: error });
    }
    await connection.execute("ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '.,' NLS_DATE_FORMAT = 'YYYY-MM-DD' TIME_ZONE = 'UTC'");
    return new OracleReplicaTarget(connection, options);
  }

  async prepare(tables: readonly ReplicaTable[]): Promise<void> {
    const result = await this.#connection.execute<[string]>(ORACLE_EXISTING_TABLES_SQL, { owner: this.#schema });
    const existing = new Set((result.rows ?? []).map((row) => row[0]));
    const missing = tables.filter((table) => !existing.has(table.name)).map((table) => `${this.#schema}.${table.name}`);
    if (missing.length > 0) {
      throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICA_SCHEMA_MISSING, `the Oracle replica lacks ${missing.join(', ')}: apply the generated DDL (cur replicate --ddl) as the schema owner`);
    }
  }

  async clearPartition(table: ReplicaTable, businessDate: string): Promise<void> {
    await this.#connection.execute(oracleClearPartition(table, businessDate, { schema: this.#schema }), {}, { autoCommit: true });
  }

  async insertRows(table: ReplicaTable, businessDate: string, rows: AsyncIterable<ReplicaRow>): Promise<number> {
    const { default: oracledb } = await import('oracledb');
    const sql = oracleInsertRow(table, { schema: this.#schema });
    // Declared types: a batch whose first row holds a null must not leave a column's type to guessing.
    const bindDefs = [
      ...table.columns.map(({ spec }) => (spec.type === 'double' ? { type: oracledb.NUMBER } : { type: oracledb.STRING, maxSize: spec.type === 'string' ? (spec.maxLength ?? 1000) * 4 : 64 })),
      { type: oracledb.STRING, maxSize: 10 },
    ];
    const toBind = (row: ReplicaRow): unknown[] => [
      ...table.columns.map(({ spec }) => {
        const value = row[spec.name];
        if (value === null || value === undefined) return null;
        if (spec.type === 'string') return String(value);
        if (spec.type === 'double') return Number(value);
        // Integers, decimals, booleans, dates and timestamps go as their canonical text: exact, whatever their size.
        const text = canonicalValue(spec, value);
        return spec.type === 'boolean' ? (text === 'true' ? '1' : '0') : text;
      }),
      businessDate,
    ];
    let count = 0;
    let batch: unknown[][] = [];
    try {
      for await (const row of rows) {
        batch.push(toBind(row));
        if (batch.length >= BATCH_ROWS) {
          await this.#connection.executeMany(sql, batch, { bindDefs });
          count += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) await this.#connection.executeMany(sql, batch, { bindDefs });
      count += batch.length;
      await this.#connection.commit();
    } catch (error) {
      await this.#connection.rollback();
      throw new AdapterError(`inserting into ${this.#schema}.${table.name} for ${businessDate} failed`, { cause: error });
    }
    return count;
  }

  async *readRows(table: ReplicaTable, businessDate: string): AsyncIterable<ReplicaRow> {
    const { default: oracledb } = await import('oracledb');
    const result = await this.#connection.execute<unknown[]>(oracleSelectPartition(table, { schema: this.#schema }), { business_date: businessDate }, {
      resultSet: true,
      outFormat: oracledb.OUT_FORMAT_ARRAY,
      fetchTypeHandler: (metadata) => (metadata.dbType === oracledb.DB_TYPE_NUMBER ? { type: oracledb.STRING } : undefined),
    });
    const resultSet = result.resultSet;
    if (!resultSet) return;
    try {
      for (let rows = await resultSet.getRows(BATCH_ROWS); rows.length > 0; rows = await resultSet.getRows(BATCH_ROWS)) {
        for (const values of rows) yield Object.fromEntries(table.columns.map(({ spec }, index) => [spec.name, values[index]]));
      }
    } finally {
      await resultSet.close();
    }
  }

  async close(): Promise<void> {
    await this.#connection.close();
  }
}
