import { DATASETS, ZONES, ZONE_DESCRIPTIONS } from '@cur/contracts';
import type { DatasetSpec, Zone } from '@cur/contracts';
import { createMaskingPolicy, storedTypeOf } from '@cur/policy';
import type { MaskingPolicy } from '@cur/policy';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';

/** Zones whose data is Parquet and catalogued; landing holds the raw CSV extracts and is SYSTEM-only. */
export const CATALOGUED_FORMAT_ZONES: readonly Zone[] = ZONES.filter((zone) => zone !== 'landing');

/** The Hive/Glue storage classes of a Parquet table. */
export const PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSideSerDe',
} as const;

/** One catalogued table: a dataset in a zone. */
export interface CatalogTable {
  readonly dataset: DatasetSpec;
  readonly zone: Zone;
  readonly table: glue.CfnTable;
}

/** Properties of {@link DataCatalog}. */
export interface DataCatalogProps {
  readonly names: PlatformNames;
  /**
   * The datasets to catalogue; each gets a table in every zone it declares from {@link CATALOGUED_FORMAT_ZONES}.
   * @default every dataset of `DATASETS` in @cur/contracts
   */
  readonly datasets?: readonly DatasetSpec[];
  /**
   * The masking policy the pipeline stores with: a column is catalogued with the type its files hold in each zone
   * (`storedTypeOf`), so Athena and Spectrum read raw's text and transformed's tokens as strings.
   * @default createMaskingPolicy() (the contracts' classifications, no overrides)
   */
  readonly policy?: MaskingPolicy;
}

/**
 * The Glue Data Catalog of the lake, derived from the contracts lib: a database per zone (landing included, so the
 * zone exists for lineage and tags), and for every dataset a Parquet table per zone it lives in, with the declared
 * columns in their declared order and the partition columns as partition keys. Nothing here re-declares a column.
 */
export class DataCatalog extends Construct {
  /** The Glue database of each zone. */
  public readonly databases: Readonly<Record<Zone, glue.CfnDatabase>>;
  /** Every table, in dataset then zone order. */
  public readonly tables: readonly CatalogTable[];

  constructor(scope: Construct, id: string, props: DataCatalogProps) {
    super(scope, id);
    const { names } = props;
    const datasets = props.datasets ?? Object.values(DATASETS);
    const policy = props.policy ?? createMaskingPolicy();

    const databases = {} as Record<Zone, glue.CfnDatabase>;
    for (const zone of ZONES) {
      databases[zone] = new glue.CfnDatabase(this, `${zone}-database`, {
        catalogId: names.account,
        databaseInput: {
          name: names.glueDatabaseName(zone),
          description: ZONE_DESCRIPTIONS[zone],
          locationUri: `s3://${names.bucketName(zone)}/`,
          // Lake Formation alone decides access: no IAMAllowedPrincipals default on new tables.
          createTableDefaultPermissions: [],
        },
      });
    }
    this.databases = databases;

    const tables: CatalogTable[] = [];
    for (const dataset of datasets) {
      for (const zone of dataset.zones.filter((candidate) => CATALOGUED_FORMAT_ZONES.includes(candidate))) {
        const table = new glue.CfnTable(this, `${zone}-${dataset.name}`, {
          catalogId: names.account,
          databaseName: names.glueDatabaseName(zone),
          tableInput: {
            name: dataset.name,
            description: dataset.description,
            tableType: 'EXTERNAL_TABLE',
            parameters: {
              classification: 'parquet',
              EXTERNAL: 'TRUE',
              'cur.owner': dataset.owner,
              'cur.schema_version': String(dataset.schemaVersion),
              'cur.primary_key': dataset.primaryKey.join(','),
            },
            partitionKeys: dataset.partitionColumns.map((column) => ({
              name: column.name,
              type: column.type,
              comment: column.description,
            })),
            storageDescriptor: {
              location: `s3://${names.bucketName(zone)}/${dataset.name}/`,
              inputFormat: PARQUET_STORAGE.inputFormat,
              outputFormat: PARQUET_STORAGE.outputFormat,
              serdeInfo: { serializationLibrary: PARQUET_STORAGE.serializationLibrary, parameters: { 'serialization.format': '1' } },
              compressed: false,
              storedAsSubDirectories: false,
              columns: dataset.columns.map((column) => ({ name: column.name, type: storedTypeOf(dataset, column, zone, policy), comment: column.description })),
            },
          },
        });
        table.addResourceDependency(databases[zone]);
        tables.push({ dataset, zone, table });
      }
    }
    this.tables = tables;
  }
}
