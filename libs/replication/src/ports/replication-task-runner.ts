import type { PublishedManifest } from '../lake/published-manifest';
import type { ReplicaTable } from '../replica-tables';

/** One business date's load: the tables and the manifests of the partitions to load into them. */
export interface ReplicationTask {
  readonly businessDate: string;
  readonly tables: readonly { readonly table: ReplicaTable; readonly manifest: PublishedManifest }[];
}

/** How a load ended, as the runner saw it. */
export interface ReplicationTaskResult {
  /** The DMS task ARN, or `local` for the local copy. */
  readonly taskId: string;
  /** Rows the loader reports per dataset (DMS's table statistics, or the rows the local copy inserted). */
  readonly loadedRows: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

/**
 * Runs one business date's full load into the replica and waits for it to finish: a DMS task in AWS, a copy of the
 * manifests' rows through the `ReplicaTarget` on a laptop. The partitions have been emptied before it runs.
 */
export interface ReplicationTaskRunner {
  /**
   * @throws ReplicationError `REPLICATION_TASK_FAILED` when the load fails, stops or does not finish in time
   */
  run(task: ReplicationTask, options?: { readonly signal?: AbortSignal }): Promise<ReplicationTaskResult>;
}
