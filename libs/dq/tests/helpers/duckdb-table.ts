import { DuckDbSqlEngine } from '@cur/adapters-local';
import type { SqlEngine } from '@cur/platform';

/** Opens an in-memory DuckDB through the local adapter. */
export async function openEngine(): Promise<DuckDbSqlEngine> {
  return DuckDbSqlEngine.open({ threads: 1 });
}

/**
 * Builds a small typed view: the rows are loaded as text (`engine.loadRows`), then a view casts each column to its
 * SQL type, as a zone's Parquet view would hold them.
 *
 * @param columns - column name to SQL type, in order
 * @param rows - values as text, `null` for NULL
 * @example
 * await typedView(engine, 'dq_target', { id: 'INTEGER', name: 'VARCHAR' }, [['1', 'a'], ['2', null]]);
 */
export async function typedView(engine: SqlEngine, view: string, columns: Readonly<Record<string, string>>, rows: readonly (readonly (string | null)[])[]): Promise<void> {
  const names = Object.keys(columns);
  const table = `${view}_rows`;
  await engine.loadRows(
    table,
    names,
    (async function* () {
      yield rows;
    })(),
  );
  const casts = names.map((name) => `CAST(${name} AS ${columns[name] ?? 'VARCHAR'}) AS ${name}`).join(', ');
  await engine.execute(`CREATE OR REPLACE VIEW ${view} AS SELECT ${casts} FROM ${table}`);
}

/** One column of values as rows. */
export const column = (values: readonly (string | null)[]): (string | null)[][] => values.map((value) => [value]);
