import type { DuckDBConnection, DuckDBExtractedStatements, DuckDBInstance } from '@duckdb/node-api';
import { AdapterError, CurError } from '@cur/platform';

/** One view a sandbox offers: `<schema>.<name>`, exactly these columns, over exactly these Parquet files. */
export interface SandboxView {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly string[];
  readonly files: readonly string[];
}

/** Options of {@link DuckDbQuerySandbox.open}. */
export interface QuerySandboxOptions {
  readonly views: readonly SandboxView[];
  /** @default 2 */
  readonly threads?: number;
  /** DuckDB's memory limit, e.g. `'4GB'`. @default DuckDB's own (80% of RAM) */
  readonly memoryLimit?: string;
}

/** A query the sandbox will not run; the message says why and what is allowed instead. */
export class QueryRefusedError extends CurError {
  constructor(message: string) {
    super('QUERY_REFUSED', message);
    this.name = 'QueryRefusedError';
  }
}

/**
 * Table functions a query may call: they compute rows and touch no file or setting. Every other table function
 * (`read_parquet`, `read_csv`, `read_blob`, `glob`, `query_table`, `duckdb_settings`, ...) is refused.
 */
const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest']);

/** The table names DuckDB gives `SHOW ALL TABLES`, `SHOW TABLES` and `DESCRIBE`/`SUMMARIZE` of a query. */
const ALLOWED_SHOW_NAMES: ReadonlySet<string> = new Set(['', '__show_tables_expanded', '"tables"']);

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Read-only SQL over named Parquet views, for a person: the local stand-in for Athena under Lake Formation.
 *
 * Three walls, each enough on its own for what it guards:
 * 1. the text must parse as exactly one statement whose type is SELECT (`DESCRIBE`, `SHOW` and `SUMMARIZE` are
 *    SELECTs to DuckDB); `COPY`, `ATTACH`, `SET`, `PRAGMA`, `INSTALL`, `CREATE` or a second statement are refused;
 * 2. its syntax tree may name only the offered views and its own CTEs, and no table function but
 *    {@link ALLOWED_TABLE_FUNCTIONS}: so `read_parquet` of an allowed file cannot bypass a view's column list;
 * 3. the database itself may open only the views' files (`allowed_paths`, then `enable_external_access=false`) and
 *    its configuration is locked, so nothing can read another file, write one, or turn the walls off.
 */
export class DuckDbQuerySandbox {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  /** Offered views by `schema.name`; a view is created in the database the first time a statement reads it. */
  readonly #offered: ReadonlyMap<string, SandboxView>;
  readonly #created = new Set<string>();

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, offered: ReadonlyMap<string, SandboxView>) {
    this.#instance = instance;
    this.#connection = connection;
    this.#offered = offered;
  }

  /** Opens an in-memory database that may open only the views' files, and locks it down. */
  static async open(options: QuerySandboxOptions): Promise<DuckDbQuerySandbox> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(options.threads ?? 2),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    });
    const connection = await instance.connect();
    const offered = new Map<string, SandboxView>();
    for (const view of options.views) {
      if (view.files.length > 0 && view.columns.length > 0) offered.set(`${identifier(view.schema)}.${identifier(view.name)}`, view);
    }
    try {
      for (const schema of new Set(options.views.map((view) => view.schema))) await connection.run(`CREATE SCHEMA ${identifier(schema)}`);
      await connection.run(`SET allowed_paths = [${[...offered.values()].flatMap((view) => view.files).map(literal).join(', ')}]`);
      await connection.run('SET allowed_directories = []');
      await connection.run('SET enable_external_access = false');
      await connection.run('SET lock_configuration = true');
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw new AdapterError('the query sandbox could not be set up', { cause: error });
    }
    return new DuckDbQuerySandbox(instance, connection, offered);
  }

  /** The views this sandbox offers, as `schema.name`, sorted. */
  get views(): string[] {
    return [...this.#offered.keys()].sort();
  }

  /**
   * Runs one read-only statement.
   *
   * @param options.beforeRun - called with the views the statement reads (`schema.name`; all of them for a statement
   *   that names none, like `SHOW ALL TABLES`) once its text passed the checks and before any of their files is
   *   opened, e.g. to verify the files
   *
   * @throws QueryRefusedError for anything but one SELECT over the offered views
   * @throws CurError `QUERY_FAILED` when DuckDB cannot run it (syntax, unknown column, type error)
   */
  async query(sql: string, options: { beforeRun?: (views: readonly string[]) => Promise<void> } = {}): Promise<Record<string, unknown>[]> {
    const statements = await this.#oneStatement(sql);
    // The tree is checked before the statement is prepared: preparing binds, and binding may already open files.
    const read = await this.#checkTree(sql, statements);
    // A statement that reads no view (SHOW ALL TABLES) lists them all, so all must exist.
    const views = read.size > 0 ? [...read].sort() : this.views;
    await options.beforeRun?.(views);
    await this.#create(views);
    await this.#checkType(statements);
    try {
      const reader = await this.#connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    } catch (error) {
      throw new CurError('QUERY_FAILED', `the query could not run: ${safeMessage(error)}`, { cause: error });
    }
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }

  async #create(views: readonly string[]): Promise<void> {
    for (const name of views) {
      const view = this.#offered.get(name);
      if (view === undefined || this.#created.has(name)) continue;
      try {
        // Allowed under the lock: the view's files are on the allowed paths, and a view is not configuration.
        await this.#connection.run(`CREATE VIEW ${name} AS SELECT ${view.columns.map(identifier).join(', ')} FROM read_parquet([${view.files.map(literal).join(', ')}])`);
      } catch (error) {
        throw new AdapterError(`the view ${name} could not be opened (${safeMessage(error)})`, { cause: error });
      }
      this.#created.add(name);
    }
  }

  async #oneStatement(sql: string): Promise<DuckDBExtractedStatements> {
    let statements: DuckDBExtractedStatements;
    try {
      statements = await this.#connection.extractStatements(sql);
    } catch (error) {
      throw new CurError('QUERY_FAILED', `the query could not run: ${safeMessage(error)}`, { cause: error });
    }
    if (statements.count !== 1) throw new QueryRefusedError(`a query is exactly one statement; this text has ${statements.count}`);
    return statements;
  }

  async #checkType(statements: DuckDBExtractedStatements): Promise<void> {
    const { StatementType } = await import('@duckdb/node-api');
    let type: string;
    try {
      type = StatementType[(await statements.prepare(0)).statementType] ?? 'UNKNOWN';
    } catch (error) {
      if (/Permission Error/.test((error as Error).message ?? '')) throw new QueryRefusedError('queries here read only the <zone>.<dataset> views: no other file can be read or written');
      throw new CurError('QUERY_FAILED', `the query could not run: ${safeMessage(error)}`, { cause: error });
    }
    if (type !== 'SELECT') {
      throw new QueryRefusedError(`only read-only queries run here (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE); this is a ${type} statement`);
    }
  }

  /** @returns the offered views the statement reads */
  async #checkTree(sql: string, statements: DuckDBExtractedStatements): Promise<Set<string>> {
    const reader = await this.#connection.runAndReadAll(`SELECT json_serialize_sql(${literal(sql)}) AS tree`);
    const tree = JSON.parse(String(reader.getRowObjectsJson()[0]?.['tree'] ?? '{}')) as { error?: boolean; statements?: unknown[] };
    if (tree.error || !Array.isArray(tree.statements) || tree.statements.length !== 1) {
      // Only SELECTs have a tree; anything else is refused here, by its type when DuckDB can name it.
      await this.#checkType(statements);
      throw new QueryRefusedError('only plain queries run here (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE)');
    }
    const ctes = new Set<string>();
    collectCteNames(tree.statements, ctes);
    const views = new Set<string>();
    visit(tree.statements, (node) => this.#checkNode(node, ctes, views));
    // SHOW ALL TABLES and DESCRIBE read the catalog, not the files.
    return views;
  }

  #checkNode(node: Record<string, unknown>, ctes: ReadonlySet<string>, views: Set<string>): void {
    switch (node['type']) {
      case 'BASE_TABLE': {
        const schema = String(node['schema_name'] ?? '');
        const table = String(node['table_name'] ?? '');
        const catalog = String(node['catalog_name'] ?? '');
        if (catalog === '' && schema === '' && ctes.has(table)) return;
        if ((catalog === '' || catalog === 'memory') && this.#offered.has(`${schema}.${table}`)) {
          views.add(`${schema}.${table}`);
          return;
        }
        throw new QueryRefusedError(`'${[catalog, schema, table].filter(Boolean).join('.').slice(0, 80)}' is not a table you can query; yours are ${this.views.join(', ') || 'none yet'}`);
      }
      case 'TABLE_FUNCTION': {
        const name = String((node['function'] as Record<string, unknown> | undefined)?.['function_name'] ?? '');
        if (!ALLOWED_TABLE_FUNCTIONS.has(name)) {
          throw new QueryRefusedError(`the table function ${name.slice(0, 40)}() is not available here: query the <zone>.<dataset> views (list them with SHOW ALL TABLES)`);
        }
        return;
      }
      case 'SHOW_REF': {
        if (!ALLOWED_SHOW_NAMES.has(String(node['table_name'] ?? ''))) throw new QueryRefusedError('SHOW lists tables (SHOW ALL TABLES) or describes a view (DESCRIBE zone.dataset)');
        return;
      }
      default:
    }
  }
}

/**
 * DuckDB's parser, binder and catalog errors name the query's own tables and columns, never data, so they are shown
 * (first line); any other error (a conversion of a stored value, say) is cut to its kind.
 */
function safeMessage(error: unknown): string {
  const full = ((error as Error).message ?? '').replace(/^Failed to extract statements: /, '');
  const message = full.split('\n')[0] ?? '';
  if (/^(Parser|Binder|Catalog) Error: /.test(message)) {
    // DuckDB points at the place in the statement: the user's own text, so the position is shown too.
    const position = /\n\s*LINE (\d+):[^\n]*\n(\s*)\^/.exec(full);
    return position ? `${message} (line ${position[1]}, column ${Math.max(1, (position[2]?.length ?? 0) - `LINE ${position[1]}: `.length + 1)})` : message;
  }
  return /^([A-Za-z ]+ Error)/.exec(message)?.[1] ?? 'error';
}

function collectCteNames(node: unknown, names: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectCteNames(child, names);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  const map = (record['cte_map'] as { map?: { key?: unknown }[] } | undefined)?.map;
  if (Array.isArray(map)) for (const entry of map) if (typeof entry.key === 'string') names.add(entry.key);
  for (const value of Object.values(record)) collectCteNames(value, names);
}

function visit(node: unknown, check: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, check);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  check(node as Record<string, unknown>);
  for (const value of Object.values(node)) visit(value, check);
}

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new AdapterError(`'${name}' is not a plain SQL identifier`);
  return name;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
