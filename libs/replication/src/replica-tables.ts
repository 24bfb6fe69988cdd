import { ALL_DATASETS, BUSINESS_DATE_PARTITION, type ColumnSpec, type DatasetSpec } from '@cur/contracts';
import { REPLICATION_ERROR_CODES, ReplicationError } from './replication-error';

/** The zones whose datasets are replicated to Oracle: the DRV tables and the data mart. */
export const REPLICATED_ZONES = ['consumption', 'mart'] as const;

/** A replicated zone. */
export type ReplicatedZone = (typeof REPLICATED_ZONES)[number];

/** The Oracle schema (user) that owns the replica's tables. @default */
export const DEFAULT_ORACLE_SCHEMA = 'CUR_REPLICA';

/** The schema name the DMS S3 source endpoint gives the lake's tables (renamed to the Oracle schema by a rule). */
export const DMS_SOURCE_SCHEMA = 'cur';

/** One column of a replica table: the contract's column and its name in the replica (upper case, as Oracle folds). */
export interface ReplicaColumn {
  readonly name: string;
  readonly spec: ColumnSpec;
}

/**
 * A dataset as a replica table: its contract, zone, upper-case table name, columns in declared order, the contract's
 * key, and the business date it is partitioned by. Every replica artefact (Oracle DDL, DMS JSON, the SQLite
 * stand-in, the reconciliation's digest) is rendered from this, and this only from the contracts.
 */
export interface ReplicaTable {
  readonly dataset: DatasetSpec;
  readonly zone: ReplicatedZone;
  readonly name: string;
  readonly columns: readonly ReplicaColumn[];
  /** The contract's primary key, upper case; the replica's key is the business date followed by these. */
  readonly key: readonly string[];
  /** `BUSINESS_DATE`, the partition column. */
  readonly partitionColumn: string;
}

const isReplicated = (dataset: DatasetSpec): ReplicatedZone | undefined => REPLICATED_ZONES.find((zone) => (dataset.zones as readonly string[]).includes(zone));

/**
 * Builds the replica table of a dataset.
 *
 * @throws ReplicationError `CONTRACT_INCOMPLETE` when a string column does not declare `maxLength`, or the dataset is
 * not partitioned by business date
 */
export function toReplicaTable(dataset: DatasetSpec): ReplicaTable {
  const zone = isReplicated(dataset);
  if (zone === undefined) throw new ReplicationError(REPLICATION_ERROR_CODES.CONTRACT_INCOMPLETE, `dataset '${dataset.name}' is in no replicated zone (${REPLICATED_ZONES.join(', ')})`);
  const partition = dataset.partitionColumns.find((column) => column.name === BUSINESS_DATE_PARTITION.name);
  if (!partition) throw new ReplicationError(REPLICATION_ERROR_CODES.CONTRACT_INCOMPLETE, `dataset '${dataset.name}' is not partitioned by ${BUSINESS_DATE_PARTITION.name}`);
  for (const column of dataset.columns) {
    if (column.type === 'string' && column.maxLength === undefined) {
      throw new ReplicationError(REPLICATION_ERROR_CODES.CONTRACT_INCOMPLETE, `column '${dataset.name}.${column.name}' is text without maxLength: the replica cannot size it`);
    }
  }
  return Object.freeze({
    dataset,
    zone,
    name: dataset.name.toUpperCase(),
    columns: dataset.columns.map((spec) => Object.freeze({ name: spec.name.toUpperCase(), spec })),
    key: dataset.primaryKey.map((name) => name.toUpperCase()),
    partitionColumn: partition.name.toUpperCase(),
  });
}

/**
 * Every replicated dataset as a replica table, in the contracts' order: each declared dataset of the consumption
 * zone (customer_features, customer_tags) and of the mart (tag_metrics_monthly, segment_metrics_monthly).
 */
export const REPLICA_TABLES: readonly ReplicaTable[] = Object.freeze(Object.values(ALL_DATASETS).filter((dataset) => isReplicated(dataset) !== undefined).map(toReplicaTable));

/** The names of the replicated datasets. */
export const REPLICATED_DATASET_NAMES: readonly string[] = REPLICA_TABLES.map((table) => table.dataset.name);

/**
 * The replica table of a dataset, by name.
 *
 * @throws ReplicationError `INPUT_MISSING` naming the replicated datasets when `name` is not one
 */
export function replicaTable(name: string): ReplicaTable {
  const table = REPLICA_TABLES.find((candidate) => candidate.dataset.name === name);
  if (!table) throw new ReplicationError(REPLICATION_ERROR_CODES.INPUT_MISSING, `'${name}' is not replicated to Oracle; replicated datasets: ${REPLICATED_DATASET_NAMES.join(', ')}`);
  return table;
}
