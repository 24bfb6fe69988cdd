import type { DatasetSpec } from '@cur/contracts';
import type { SqlDialect } from '../sql/sql-dialect';
import type { PlanInput, PlanStatement } from './step-plan';

/** A plan's view of one dataset: an input over its published files, or an empty typed view when there are none. */
export interface DatasetSource {
  readonly inputs: PlanInput[];
  readonly statements: PlanStatement[];
}

/**
 * The plan fragment that makes a dataset's published files queryable as `name`. With no files (no batch that day, no
 * previous month) it is a view of no rows with the declared column types, so the step's SQL still resolves and simply
 * sees no rows; masked columns (`storedAsText`) are text whatever their declared type, as the mask step stores them.
 *
 * @param dialect - spells the empty view's types for the engine that runs the plan
 */
export function datasetSource(name: string, files: readonly string[], dataset: DatasetSpec, dialect: SqlDialect, storedAsText: ReadonlySet<string> = new Set()): DatasetSource {
  if (files.length > 0) return { inputs: [{ format: 'parquet', name, paths: [...files], columns: null }], statements: [] };
  const columns = [...dataset.columns, ...dataset.partitionColumns].map((column) => `CAST(NULL AS ${dialect.typeName(storedAsText.has(column.name) ? 'string' : column.type)}) AS ${column.name}`);
  return { inputs: [], statements: [{ kind: 'view', name, sql: `SELECT ${columns.join(', ')} WHERE 1 = 0` }] };
}
