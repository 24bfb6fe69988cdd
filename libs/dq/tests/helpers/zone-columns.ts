import { getDataset } from '@cur/contracts';

/** A contract type as the SQL type the lake stores it as. */
function sqlType(type: string): string {
  if (type === 'string') return 'VARCHAR';
  if (type === 'int') return 'INTEGER';
  return type.toUpperCase();
}

/**
 * The columns a dataset's Parquet has in a zone, with SQL types: raw holds every value as text plus the row number
 * of the landing file; later zones hold typed public columns, and text for the rest (tokens, generalised values such
 * as a birth year or an open month, sealed secrets). Every zone adds the business date partition.
 */
export function zoneColumns(dataset: string, zone: string): Record<string, string> {
  const spec = getDataset(dataset);
  const columns: Record<string, string> = zone === 'raw' ? { source_row: 'BIGINT' } : {};
  for (const column of spec.columns) columns[column.name] = zone === 'raw' || column.classification !== 'public' ? 'VARCHAR' : sqlType(column.type);
  for (const partition of spec.partitionColumns) columns[partition.name] = sqlType(partition.type);
  return columns;
}
