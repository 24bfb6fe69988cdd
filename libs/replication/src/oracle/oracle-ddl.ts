import { HUMAN_ROLES, ROLES, type ColumnSpec, type Role } from '@cur/contracts';
import type { MaskingPolicy } from '@cur/policy';
import { DEFAULT_ORACLE_SCHEMA, type ReplicaTable } from '../replica-tables';
import { assertBusinessDate } from '../business-date';

/** One generated Oracle statement, without its terminator, and what it is for. */
export interface OracleStatement {
  readonly purpose: 'table' | 'comment' | 'role' | 'view' | 'grant';
  /** The object it creates or changes, e.g. `CUR_REPLICA.CUSTOMER_TAGS` or `CUR_AP`. */
  readonly object: string;
  readonly sql: string;
}

/** Options of the Oracle generators. */
export interface OracleSchemaOptions {
  /** The schema (user) that owns the replica. @default DEFAULT_ORACLE_SCHEMA */
  readonly schema?: string;
  /**
   * The first business date the replica can hold; dates before it land in the one initial partition. Later dates
   * each get their own partition, created by Oracle on first insert (interval partitioning).
   * @default INITIAL_PARTITION_BOUND
   */
  readonly initialPartitionBound?: string;
}

/** The upper bound of the initial partition. @default */
export const INITIAL_PARTITION_BOUND = '2020-01-01';

/** The Oracle role that mirrors a platform role. */
export function oracleRoleName(role: Role): string {
  return `CUR_${role}`;
}

/**
 * The Oracle type of a contract column. Text is `VARCHAR2(n CHAR)`: character semantics, so `n` Chinese characters
 * fit whatever the AL32UTF8 byte count. Doubles are `BINARY_DOUBLE`, the IEEE type, so a value goes in and comes out
 * bit for bit (a `NUMBER` would round it and the reconciliation's hash would differ).
 */
export function oracleTypeOf(column: ColumnSpec): string {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(column.type);
  if (decimal) return `NUMBER(${decimal[1]},${decimal[2]})`;
  switch (column.type) {
    case 'string':
      return `VARCHAR2(${column.maxLength ?? 4000} CHAR)`;
    case 'int':
      return 'NUMBER(10)';
    case 'bigint':
      return 'NUMBER(19)';
    case 'double':
      return 'BINARY_DOUBLE';
    case 'boolean':
      return 'NUMBER(1)';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP(6)';
    default:
      throw new Error(`no Oracle type for '${column.type}'`);
  }
}

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const qualified = (schema: string, table: ReplicaTable): string => `${schema}.${table.name}`;

/**
 * The `CREATE TABLE` of a replica table: the contract's columns, `BUSINESS_DATE`, a primary key of the business date
 * and the contract's key (a local index, one per partition), and interval partitioning by day, so each business date
 * is a partition the replicator can empty and reload on its own.
 */
export function oracleCreateTable(table: ReplicaTable, options: OracleSchemaOptions = {}): string {
  const schema = options.schema ?? DEFAULT_ORACLE_SCHEMA;
  const bound = assertBusinessDate(options.initialPartitionBound ?? INITIAL_PARTITION_BOUND);
  const columns = table.columns.map(({ name, spec }) => {
    const check = spec.type === 'boolean' ? ` CHECK (${name} IN (0, 1))` : '';
    return `  ${name} ${oracleTypeOf(spec)}${spec.nullable ? '' : ' NOT NULL'}${check}`;
  });
  return [
    `CREATE TABLE ${qualified(schema, table)} (`,
    [...columns, `  ${table.partitionColumn} DATE NOT NULL`, `  CONSTRAINT ${table.name}_PK PRIMARY KEY (${[table.partitionColumn, ...table.key].join(', ')}) USING INDEX LOCAL`].join(',\n'),
    ')',
    `PARTITION BY RANGE (${table.partitionColumn}) INTERVAL (NUMTODSINTERVAL(1, 'DAY'))`,
    `(PARTITION P_BEFORE_${bound.replaceAll('-', '')} VALUES LESS THAN (TO_DATE('${bound}', 'YYYY-MM-DD')))`,
  ].join('\n');
}

/** What a role is shown of a column in the replica: the stored value, a fixed marker, or nothing. */
type ColumnExposure = 'stored' | 'redacted' | 'hidden';

const REDACTED_MARKER = '***';

function exposureOf(policy: MaskingPolicy, role: Role, table: ReplicaTable, column: string): ColumnExposure {
  const shown = policy.treatmentFor(role, table.dataset.name, column);
  if (shown.method === 'drop') return 'hidden';
  if (shown.method === 'redact') return 'redacted';
  // Downstream of raw the lake holds the storage treatment; a role sees a column only when that is what it may see.
  const stored = policy.storageTreatmentFor(table.dataset.name, column);
  return role === 'SYSTEM' || JSON.stringify(shown) === JSON.stringify(stored) ? 'stored' : 'hidden';
}

/**
 * The roles and grants that mirror the platform's roles: one Oracle role per platform role (`CUR_DE` ... `CUR_AP`,
 * `CUR_SYSTEM`), and for each replica table and role a `SELECT` on what the masking policy lets that role see. A role
 * that sees every column as stored reads the table; otherwise it reads a view of its columns (`<TABLE>_<ROLE>_V`),
 * the same column set Lake Formation grants it on the lake. Nothing here is plaintext: downstream of raw the lake
 * holds tokens and generalised values only, and the replica is loaded from there. SYSTEM, whose loader (DMS and
 * the replicator) empties and reloads partitions, also gets `INSERT` and `DELETE`. Application users (AP) are created
 * by the DBA and granted `CUR_AP`; no password is ever generated.
 */
export function oracleRoleStatements(policy: MaskingPolicy, tables: readonly ReplicaTable[], options: OracleSchemaOptions = {}): OracleStatement[] {
  const schema = options.schema ?? DEFAULT_ORACLE_SCHEMA;
  const statements: OracleStatement[] = ROLES.map((role) => ({ purpose: 'role', object: oracleRoleName(role), sql: `CREATE ROLE ${oracleRoleName(role)}` }));
  for (const table of tables) {
    for (const role of [...HUMAN_ROLES, 'SYSTEM'] as const) {
      const exposures = table.columns.map((column) => ({ column, exposure: exposureOf(policy, role, table, column.spec.name) }));
      const privileges = role === 'SYSTEM' ? 'SELECT, INSERT, DELETE' : 'SELECT';
      if (exposures.every(({ exposure }) => exposure === 'stored')) {
        statements.push({ purpose: 'grant', object: qualified(schema, table), sql: `GRANT ${privileges} ON ${qualified(schema, table)} TO ${oracleRoleName(role)}` });
        continue;
      }
      const view = `${schema}.${table.name}_${role}_V`;
      const select = exposures
        .filter(({ exposure }) => exposure !== 'hidden')
        .map(({ column, exposure }) => (exposure === 'redacted' ? `${quote(REDACTED_MARKER)} AS ${column.name}` : column.name));
      statements.push({ purpose: 'view', object: view, sql: `CREATE OR REPLACE VIEW ${view} AS SELECT ${[...select, table.partitionColumn].join(', ')} FROM ${qualified(schema, table)}` });
      statements.push({ purpose: 'grant', object: view, sql: `GRANT SELECT ON ${view} TO ${oracleRoleName(role)}` });
    }
  }
  return statements;
}

/**
 * The whole replica schema, generated from the contracts and the masking policy: each table with its comments (the
 * contracts' descriptions), then the roles, views and grants. Apply it to an empty schema as its owner; the order
 * is the order to run.
 *
 * @example
 * const script = renderOracleScript(oracleSchemaStatements(createMaskingPolicy(), REPLICA_TABLES));
 */
export function oracleSchemaStatements(policy: MaskingPolicy, tables: readonly ReplicaTable[], options: OracleSchemaOptions = {}): OracleStatement[] {
  const schema = options.schema ?? DEFAULT_ORACLE_SCHEMA;
  const statements: OracleStatement[] = [];
  for (const table of tables) {
    const name = qualified(schema, table);
    statements.push({ purpose: 'table', object: name, sql: oracleCreateTable(table, options) });
    statements.push({ purpose: 'comment', object: name, sql: `COMMENT ON TABLE ${name} IS ${quote(`${table.dataset.description} (${table.zone}, contract schema version ${table.dataset.schemaVersion})`)}` });
    for (const { name: column, spec } of table.columns) {
      statements.push({ purpose: 'comment', object: `${name}.${column}`, sql: `COMMENT ON COLUMN ${name}.${column} IS ${quote(`${spec.description} [${spec.classification}]`)}` });
    }
    statements.push({ purpose: 'comment', object: `${name}.${table.partitionColumn}`, sql: `COMMENT ON COLUMN ${name}.${table.partitionColumn} IS 'business date of the lake partition this row was replicated from'` });
  }
  return [...statements, ...oracleRoleStatements(policy, tables, options)];
}

/** A SQL*Plus / SQLcl script of statements, each ended by `;` on its line. */
export function renderOracleScript(statements: readonly OracleStatement[]): string {
  return `${statements.map((statement) => `${statement.sql};`).join('\n\n')}\n`;
}

/**
 * The statement that empties one business date so it can be loaded again (the replicator runs it before each load,
 * which makes a rerun replace the date rather than add to it). A `DELETE` of the date, which Oracle prunes to the
 * date's partition: always valid, whether or not the interval partition exists yet, and undone if the session fails
 * before it commits. (`ALTER TABLE ... TRUNCATE PARTITION FOR` would be faster on millions of rows; see
 * docs/ARCHITECTURE.md, "Oracle replica".)
 */
export function oracleClearPartition(table: ReplicaTable, businessDate: string, options: OracleSchemaOptions = {}): string {
  const date = assertBusinessDate(businessDate);
  return `DELETE FROM ${qualified(options.schema ?? DEFAULT_ORACLE_SCHEMA, table)} WHERE ${table.partitionColumn} = TO_DATE('${date}', 'YYYY-MM-DD')`;
}

/** The query of one date's rows, the contract's columns in order; binds `:business_date` (`YYYY-MM-DD`). */
export function oracleSelectPartition(table: ReplicaTable, options: OracleSchemaOptions = {}): string {
  return `SELECT ${table.columns.map((column) => column.name).join(', ')} FROM ${qualified(options.schema ?? DEFAULT_ORACLE_SCHEMA, table)} WHERE ${table.partitionColumn} = TO_DATE(:business_date, 'YYYY-MM-DD')`;
}

/**
 * The insert of one row, binds by position: the contract's columns in order (dates and timestamps as ISO text), then
 * the business date as text. Numbers bind as numbers or as text in `.`-decimal form (the adapter sets the session's
 * NLS_NUMERIC_CHARACTERS so).
 */
export function oracleInsertRow(table: ReplicaTable, options: OracleSchemaOptions = {}): string {
  const binds = table.columns.map(({ spec }, index) =>
    spec.type === 'date' ? `TO_DATE(:${index + 1}, 'YYYY-MM-DD')` : spec.type === 'timestamp' ? `TO_TIMESTAMP(:${index + 1}, 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')` : `:${index + 1}`,
  );
  return `INSERT INTO ${qualified(options.schema ?? DEFAULT_ORACLE_SCHEMA, table)} (${[...table.columns.map((column) => column.name), table.partitionColumn].join(', ')}) VALUES (${[...binds, `TO_DATE(:${binds.length + 1}, 'YYYY-MM-DD')`].join(', ')})`;
}

/** The query listing which replica tables exist in the schema; binds `:owner`. */
export const ORACLE_EXISTING_TABLES_SQL = 'SELECT TABLE_NAME FROM ALL_TABLES WHERE OWNER = :owner';
