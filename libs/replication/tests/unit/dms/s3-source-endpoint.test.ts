import { describe, expect, it } from 'vitest';
import { REPLICA_TABLES, dmsExternalTableDefinition, dmsS3SourceSettings, replicaTable } from '../../../src/index';
import { DMS_REFERENCE_DIR, readDmsReference } from '../../helpers/shared-reference';

/** The AWS documentation's example external table definition, kept in ../shared (absent from a user's clone). */
const reference = readDmsReference('s3_external_table_definition.json') as { Tables: { TableColumns: Record<string, string>[] }[] } | undefined;
if (!reference) console.warn(`DMS reference shapes not found in ${DMS_REFERENCE_DIR}: the tests against them are skipped (../shared is not part of a clone)`);

const definition = dmsExternalTableDefinition(REPLICA_TABLES);

describe('dmsExternalTableDefinition', () => {
  it.skipIf(!reference)('has the keys of the documented example at every level, and no others', () => {
    const ref = reference as NonNullable<typeof reference> & Record<string, unknown>;
    const refTable = ref.Tables[0] as unknown as Record<string, unknown>;
    const refColumnKeys = new Set(ref.Tables.flatMap((table) => table.TableColumns.flatMap((column) => Object.keys(column))).concat(['ColumnPrecision', 'ColumnScale']));
    expect(Object.keys(definition).sort()).toEqual(Object.keys(ref).sort());
    for (const table of definition.Tables) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(refTable).sort());
      for (const column of table.TableColumns) for (const key of Object.keys(column)) expect(refColumnKeys, key).toContain(key);
    }
  });

  it.skipIf(!reference)('writes every value as text, as the documented example does', () => {
    const values = definition.Tables.flatMap((table) => [table.TableName, table.TablePath, table.TableOwner, table.TableColumnsTotal, ...table.TableColumns.flatMap((column) => Object.values(column))]);
    expect(values.every((value) => typeof value === 'string')).toBe(true);
    expect(typeof definition.TableCount).toBe('string');
  });

  it('counts its tables and columns as DMS checks them', () => {
    expect(definition.TableCount).toBe(String(definition.Tables.length));
    for (const table of definition.Tables) expect(table.TableColumnsTotal).toBe(String(table.TableColumns.length));
  });

  it('uses only S3-source types DMS lists, with the lengths, precisions and scales they require', () => {
    const types = new Set(['BYTE', 'DATE', 'TIME', 'DATETIME', 'TIMESTAMP', 'INT1', 'INT2', 'INT4', 'INT8', 'NUMERIC', 'REAL4', 'REAL8', 'STRING', 'UINT1', 'UINT2', 'UINT4', 'UINT8', 'BLOB', 'CLOB', 'BOOLEAN']);
    for (const column of definition.Tables.flatMap((table) => table.TableColumns)) {
      expect(types, column.ColumnName).toContain(column.ColumnType);
      if (column.ColumnType === 'STRING') expect(Number(column.ColumnLength), column.ColumnName).toBeGreaterThan(0);
      if (column.ColumnType === 'NUMERIC') expect([column.ColumnPrecision, column.ColumnScale]).toEqual(['18', '2']);
    }
  });

  it('names the columns as the Parquet files do, business_date included and keyed', () => {
    const tags = definition.Tables.find((table) => table.TableName === 'customer_tags');
    expect(tags).toMatchObject({ TablePath: 'cur/customer_tags/', TableOwner: 'cur' });
    expect(tags?.TableColumns).toEqual([
      { ColumnName: 'cust_id', ColumnType: 'STRING', ColumnLength: '256', ColumnNullable: 'false', ColumnIsPk: 'true' },
      { ColumnName: 'tag', ColumnType: 'STRING', ColumnLength: '256', ColumnNullable: 'false', ColumnIsPk: 'true' },
      { ColumnName: 'business_date', ColumnType: 'DATE', ColumnNullable: 'false', ColumnIsPk: 'true' },
    ]);
  });
});

describe('dmsS3SourceSettings', () => {
  it('reads the staged Parquet files with the definition as a JSON string', () => {
    const settings = dmsS3SourceSettings([replicaTable('customer_tags')], { bucketName: 'cur-dev-system', serviceAccessRoleArn: 'arn:aws:iam::123456789012:role/cur-dev-dms-s3' });
    expect(settings).toMatchObject({ BucketName: 'cur-dev-system', BucketFolder: 'replication/dms-source', DataFormat: 'parquet' });
    expect(JSON.parse(settings.ExternalTableDefinition)).toEqual(dmsExternalTableDefinition([replicaTable('customer_tags')]));
  });
});
