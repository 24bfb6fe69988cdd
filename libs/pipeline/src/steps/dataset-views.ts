import type { DatasetSpec } from '@cur/contracts';
import type { SqlEngine } from '@cur/platform';

/**
 * Registers a view over a dataset's published files; with no files, an empty view with the declared column types,
 * so SQL over a missing batch still type-checks and simply sees no rows.
 */
export async function registerDatasetView(engine: SqlEngine, name: string, files: readonly string[], dataset: DatasetSpec, storedAsText: ReadonlySet<string> = new Set()): Promise<void> {
  if (files.length > 0) return engine.registerParquetView(name, files);
  const columns = [...dataset.columns, ...dataset.partitionColumns].map((column) => {
    const type = storedAsText.has(column.name) ? 'VARCHAR' : sqlType(column.type);
    return `CAST(NULL AS ${type}) AS ${column.name}`;
  });
  await engine.execute(`CREATE OR REPLACE VIEW ${name} AS SELECT ${columns.join(', ')} WHERE 1 = 0`);
}

function sqlType(type: string): string {
  switch (type) {
    case 'string':
      return 'VARCHAR';
    case 'int':
      return 'INTEGER';
    default:
      return type.toUpperCase();
  }
}
