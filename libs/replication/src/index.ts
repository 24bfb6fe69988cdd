export { REPLICATION_ERROR_CODES, ReplicationError } from './replication-error';
export type { ReplicationErrorCode } from './replication-error';
export { assertBusinessDate } from './business-date';
export { REPLICATED_ZONES, DEFAULT_ORACLE_SCHEMA, DMS_SOURCE_SCHEMA, REPLICA_TABLES, REPLICATED_DATASET_NAMES, replicaTable, toReplicaTable } from './replica-tables';
export type { ReplicatedZone, ReplicaColumn, ReplicaTable } from './replica-tables';
export {
  INITIAL_PARTITION_BOUND,
  ORACLE_EXISTING_TABLES_SQL,
  oracleRoleName,
  oracleTypeOf,
  oracleCreateTable,
  oracleRoleStatements,
  oracleSchemaStatements,
  renderOracleScript,
  oracleClearPartition,
  oracleSelectPartition,
  oracleInsertRow,
} from './oracle/oracle-ddl';
export type { OracleStatement, OracleSchemaOptions } from './oracle/oracle-ddl';
export { DEFAULT_REPLICA_TABLESPACE, DMS_TARGET_DICTIONARY_VIEWS, REPLICA_OWNER_PASSWORD_VARIABLE, oracleOwnerBootstrapStatements, renderOracleBootstrapScript } from './oracle/oracle-bootstrap';
export type { OracleBootstrapOptions, OracleBootstrapStatement } from './oracle/oracle-bootstrap';
export { DMS_STAGING_FOLDER, dmsExternalTableDefinition, dmsTablePath, dmsS3SourceSettings } from './dms/s3-source-endpoint';
export type { DmsExternalTableDefinition, DmsExternalTable, DmsTableColumn, DmsS3SourceOptions } from './dms/s3-source-endpoint';
export { DMS_SELECTION_RULE_IDS, DMS_TRANSFORMATION_RULE_IDS, dmsTableMappings } from './dms/table-mappings';
export type { DmsTableMappings, DmsSelectionRule, DmsTransformationRule } from './dms/table-mappings';
export { DMS_TASK_SETTINGS, dmsFullLoadTask } from './dms/full-load-task';
export type { DmsFullLoadTaskDefinition } from './dms/full-load-task';
export { canonicalValue } from './reconcile/canonical-value';
export { canonicalRow, digestRows } from './reconcile/partition-digest';
export type { PartitionDigest } from './reconcile/partition-digest';
export { PublishedPartitionReader } from './lake/published-partition-reader';
export type { ManifestSource, PublishedManifest } from './lake/published-manifest';
export type { ReplicaTarget, ReplicaRow } from './ports/replica-target';
export type { ReplicationTaskRunner, ReplicationTask, ReplicationTaskResult } from './ports/replication-task-runner';
export type { PromotedModelSource } from './ports/promoted-model-source';
export { MODEL_TAGS_DATASET, modelTagsNotCurrent } from './model-tags-currency';
export { replicateBusinessDate } from './replicate-business-date';
export type { ReplicatorDependencies, ReplicateOptions, TableReconciliation, ReplicationReport } from './replicate-business-date';
