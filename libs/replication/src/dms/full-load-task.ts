import { assertBusinessDate } from '../business-date';
import type { ReplicaTable } from '../replica-tables';
import { dmsTableMappings, type DmsTableMappings } from './table-mappings';

/**
 * The replication task settings of every load. Full load only; DMS leaves the target tables alone
 * (`DO_NOTHING`: they are the generated DDL's, and the replicator has already emptied the date's partition, so a
 * rerun replaces the date instead of adding to it); a data error stops the task rather than skipping rows; DMS's own
 * validation stays off because it cannot validate an S3 source (the replicator reconciles instead).
 */
export const DMS_TASK_SETTINGS = {
  TargetMetadata: { SupportLobs: false, FullLobMode: false, LobChunkSize: 0, LimitedSizeLobMode: false, BatchApplyEnabled: false },
  FullLoadSettings: { TargetTablePrepMode: 'DO_NOTHING', CreatePkAfterFullLoad: false, StopTaskCachedChangesApplied: false, StopTaskCachedChangesNotApplied: false, MaxFullLoadSubTasks: 4, CommitRate: 10000 },
  Logging: { EnableLogging: true },
  ValidationSettings: { EnableValidation: false },
  ErrorBehavior: { DataErrorPolicy: 'STOP_TASK', DataTruncationErrorPolicy: 'STOP_TASK', TableErrorPolicy: 'STOP_TASK', FailOnNoTablesCaptured: true },
} as const;

/** What one business date's load sets on the replication task before starting it (ModifyReplicationTask). */
export interface DmsFullLoadTaskDefinition {
  readonly MigrationType: 'full-load';
  readonly TableMappings: DmsTableMappings;
  readonly ReplicationTaskSettings: typeof DMS_TASK_SETTINGS;
}

/**
 * The full-load task of one business date: the date's table mappings and the settings above. The task itself (its
 * endpoints, its replication instance or serverless config) is created once by the CDK; each date modifies it with
 * this and starts it with `reload-target`.
 */
export function dmsFullLoadTask(tables: readonly ReplicaTable[], businessDate: string, options: { readonly schema?: string } = {}): DmsFullLoadTaskDefinition {
  return { MigrationType: 'full-load', TableMappings: dmsTableMappings(tables, assertBusinessDate(businessDate), options), ReplicationTaskSettings: DMS_TASK_SETTINGS };
}
