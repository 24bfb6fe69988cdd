import type { PublishedPartitionReader, ReplicaTarget, ReplicationTask, ReplicationTaskResult, ReplicationTaskRunner } from '@cur/replication';
import { REPLICATION_ERROR_CODES, ReplicationError } from '@cur/replication';

/**
 * The local stand-in for a DMS full-load task: reads each manifest's Parquet files (the same files DMS would be
 * given) and inserts their rows into the replica through its {@link ReplicaTarget}, table after table.
 */
export class LakeCopyTaskRunner implements ReplicationTaskRunner {
  readonly #lake: PublishedPartitionReader;
  readonly #target: ReplicaTarget;

  constructor(lake: PublishedPartitionReader, target: ReplicaTarget) {
    this.#lake = lake;
    this.#target = target;
  }

  async run(task: ReplicationTask, options: { readonly signal?: AbortSignal } = {}): Promise<ReplicationTaskResult> {
    const started = Date.now();
    const loadedRows: Record<string, number> = {};
    for (const { table, manifest } of task.tables) {
      if (options.signal?.aborted) throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICATION_TASK_FAILED, `the local load of ${task.businessDate} was stopped before ${table.name}`);
      try {
        loadedRows[table.dataset.name] = await this.#target.insertRows(table, task.businessDate, this.#lake.rows(table, manifest));
      } catch (error) {
        throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICATION_TASK_FAILED, `the local load of ${table.name} for ${task.businessDate} failed`, { cause: error });
      }
    }
    return { taskId: 'local', loadedRows, durationMs: Date.now() - started };
  }
}
