import type { ColumnSpec } from '@cur/contracts';
import { DMS_SOURCE_SCHEMA, type ReplicaTable } from '../replica-tables';

/** Where the replicator stages a date's files for DMS, in the system bucket: `<folder>/<schema>/<dataset>/`. @default */
export const DMS_STAGING_FOLDER = 'replication/dms-source';

/** One column of DMS's external table definition (every value a string, as DMS's documentation writes them). */
export interface DmsTableColumn {
  readonly ColumnName: string;
  readonly ColumnType: string;
  readonly ColumnLength?: string;
  readonly ColumnPrecision?: string;
  readonly ColumnScale?: string;
  readonly ColumnNullable?: 'true' | 'false';
  readonly ColumnIsPk?: 'true';
}

/** One table of DMS's external table definition. */
export interface DmsExternalTable {
  readonly TableName: string;
  readonly TablePath: string;
  readonly TableOwner: string;
  readonly TableColumns: readonly DmsTableColumn[];
  readonly TableColumnsTotal: string;
}

/** The S3 source endpoint's `ExternalTableDefinition`: how DMS reads each staged table. */
export interface DmsExternalTableDefinition {
  readonly TableCount: string;
  readonly Tables: readonly DmsExternalTable[];
}

/**
 * DMS's S3-source type of a contract column. `ColumnLength` of text is in bytes for DMS: four per character, the
 * most UTF-8 needs, so Chinese text is never cut at the source (the Oracle column holds the characters).
 */
function dmsColumnType(spec: ColumnSpec): Pick<DmsTableColumn, 'ColumnType' | 'ColumnLength' | 'ColumnPrecision' | 'ColumnScale'> {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(spec.type);
  if (decimal) return { ColumnType: 'NUMERIC', ColumnPrecision: decimal[1] as string, ColumnScale: decimal[2] as string };
  switch (spec.type) {
    case 'string':
      return { ColumnType: 'STRING', ColumnLength: String((spec.maxLength ?? 1000) * 4) };
    case 'int':
      return { ColumnType: 'INT4' };
    case 'bigint':
      return { ColumnType: 'INT8' };
    case 'double':
      return { ColumnType: 'REAL8' };
    case 'boolean':
      return { ColumnType: 'BOOLEAN' };
    case 'date':
      return { ColumnType: 'DATE' };
    case 'timestamp':
      return { ColumnType: 'DATETIME' };
    default:
      throw new Error(`no DMS type for '${spec.type}'`);
  }
}

/**
 * The external table definition of the S3 source endpoint, generated from the contracts: one table per replica
 * table, named and laid out as the lake's Parquet files are (lower-case contract names, `business_date` included),
 * under `<schema>/<dataset>/` of the staging folder. The key columns are the business date and the contract's key.
 */
export function dmsExternalTableDefinition(tables: readonly ReplicaTable[]): DmsExternalTableDefinition {
  return {
    TableCount: String(tables.length),
    Tables: tables.map((table) => {
      const key = new Set(table.dataset.primaryKey);
      const columns: DmsTableColumn[] = table.columns.map(({ spec }) => ({
        ColumnName: spec.name,
        ...dmsColumnType(spec),
        ColumnNullable: spec.nullable ? 'true' : 'false',
        ...(key.has(spec.name) ? { ColumnIsPk: 'true' as const } : {}),
      }));
      columns.push({ ColumnName: table.partitionColumn.toLowerCase(), ColumnType: 'DATE', ColumnNullable: 'false', ColumnIsPk: 'true' });
      return { TableName: table.dataset.name, TablePath: dmsTablePath(table), TableOwner: DMS_SOURCE_SCHEMA, TableColumns: columns, TableColumnsTotal: String(columns.length) };
    }),
  };
}

/** The path of a table's staged files under the endpoint's bucket folder. */
export function dmsTablePath(table: ReplicaTable): string {
  return `${DMS_SOURCE_SCHEMA}/${table.dataset.name}/`;
}

/** Options of {@link dmsS3SourceSettings}. */
export interface DmsS3SourceOptions {
  /** The system bucket, where the replicator stages each date's files. */
  readonly bucketName: string;
  /** The IAM role DMS assumes to read the bucket. */
  readonly serviceAccessRoleArn: string;
  /** @default DMS_STAGING_FOLDER */
  readonly bucketFolder?: string;
}

/**
 * The `S3Settings` of the source endpoint (CreateEndpoint / ModifyEndpoint): the staged Parquet files (DMS 3.5.3 and
 * later read Parquet from an S3 source) and the external table definition above, as the JSON string DMS takes.
 */
export function dmsS3SourceSettings(tables: readonly ReplicaTable[], options: DmsS3SourceOptions) {
  return {
    BucketName: options.bucketName,
    BucketFolder: options.bucketFolder ?? DMS_STAGING_FOLDER,
    ServiceAccessRoleArn: options.serviceAccessRoleArn,
    DataFormat: 'parquet',
    ExternalTableDefinition: JSON.stringify(dmsExternalTableDefinition(tables)),
  } as const;
}
