import {
  DescribeReplicationTasksCommand,
  DescribeTableStatisticsCommand,
  ModifyReplicationTaskCommand,
  StartReplicationTaskCommand,
  type DatabaseMigrationServiceClient,
  type ReplicationTask as DmsReplicationTask,
} from '@aws-sdk/client-database-migration-service';
import type { BlobStore } from '@cur/platform';
import {
  DMS_STAGING_FOLDER,
  REPLICATION_ERROR_CODES,
  ReplicationError,
  dmsFullLoadTask,
  dmsTablePath,
  type ReplicatedZone,
  type ReplicationTask,
  type ReplicationTaskResult,
  type ReplicationTaskRunner,
} from '@cur/replication';

/** Options of {@link DmsReplicationTaskRunner}. */
export interface DmsReplicationTaskRunnerOptions {
  /** The full-load task the CDK creates once (S3 source endpoint, Oracle target endpoint). */
  readonly taskArn: string;
  /** The system bucket: the source endpoint reads `<stagingFolder>/<schema>/<dataset>/` there. */
  readonly staging: BlobStore;
  /** The bucket of each replicated zone, where the manifests' files are. */
  readonly buckets: (zone: ReplicatedZone) => BlobStore;
  /** @default DMS_STAGING_FOLDER */
  readonly stagingFolder?: string;
  /** The replica's Oracle schema. @default DEFAULT_ORACLE_SCHEMA */
  readonly schema?: string;
  /** Between two looks at the task. @default 15 s */
  readonly pollIntervalMs?: number;
  /** How long a load may take. @default 12 minutes (the Lambda's own limit is 15) */
  readonly timeoutMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * Runs one business date's load as an AWS DMS full-load task, through the DMS API:
 *
 * 1. stages the date's files: the manifests' Parquet files (only those: a partition folder can hold files of an
 *    earlier run) copied to the staging folder the S3 source endpoint reads, named as DMS expects (`LOAD00000001.parquet`);
 * 2. sets the date's table mappings and settings on the task (ModifyReplicationTask, `dmsFullLoadTask`), waits for
 *    it to be ready;
 * 3. starts it (`start-replication` the first time, `reload-target` after) and follows it until it stops;
 * 4. reads its table statistics for the rows each table loaded.
 *
 * A failed or stopped-early task, or one still running at the timeout, is a `REPLICATION_TASK_FAILED`.
 */
export class DmsReplicationTaskRunner implements ReplicationTaskRunner {
  readonly #client: DatabaseMigrationServiceClient;
  readonly #options: DmsReplicationTaskRunnerOptions;

  constructor(client: DatabaseMigrationServiceClient, options: DmsReplicationTaskRunnerOptions) {
    this.#client = client;
    this.#options = options;
  }

  async run(task: ReplicationTask, options: { readonly signal?: AbortSignal } = {}): Promise<ReplicationTaskResult> {
    const started = Date.now();
    const deadline = started + (this.#options.timeoutMs ?? 12 * 60_000);
    const taskArn = this.#options.taskArn;
    await this.#stage(task);
    const definition = dmsFullLoadTask(task.tables.map(({ table }) => table), task.businessDate, this.#options.schema ? { schema: this.#options.schema } : {});
    await this.#waitFor((status) => status !== 'modifying' && status !== 'starting' && status !== 'running' && status !== 'stopping', deadline, options.signal);
    await this.#client.send(
      new ModifyReplicationTaskCommand({
        ReplicationTaskArn: taskArn,
        MigrationType: definition.MigrationType,
        TableMappings: JSON.stringify(definition.TableMappings),
        ReplicationTaskSettings: JSON.stringify(definition.ReplicationTaskSettings),
      }),
    );
    const ready = await this.#waitFor((status) => status === 'ready' || status === 'stopped' || status === 'failed', deadline, options.signal);
    await this.#client.send(new StartReplicationTaskCommand({ ReplicationTaskArn: taskArn, StartReplicationTaskType: ready.ReplicationTaskStartDate ? 'reload-target' : 'start-replication' }));
    const startedAt = Date.now();
    // The task's status turns from `stopped` to `starting` only after a moment; wait for it to leave the old state.
    const finished = await this.#waitFor((status, current) => (status === 'stopped' || status === 'failed') && (current.ReplicationTaskStartDate?.getTime() ?? 0) >= startedAt - 60_000, deadline, options.signal);
    if (finished.Status === 'failed' || !/FULL_LOAD_ONLY_FINISHED|NORMAL/.test(finished.StopReason ?? '')) {
      throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICATION_TASK_FAILED, `DMS task for ${task.businessDate} ended ${finished.Status ?? 'unknown'} (${finished.StopReason ?? 'no stop reason'}): ${(finished.LastFailureMessage ?? '').slice(0, 300)}`);
    }
    const statistics = await this.#client.send(new DescribeTableStatisticsCommand({ ReplicationTaskArn: taskArn }));
    const loadedRows: Record<string, number> = {};
    for (const { table } of task.tables) {
      const stats = statistics.TableStatistics?.find((entry) => entry.TableName?.toUpperCase() === table.name);
      loadedRows[table.dataset.name] = Number(stats?.FullLoadRows ?? 0);
      if ((stats?.FullLoadErrorRows ?? 0) > 0) {
        throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICATION_TASK_FAILED, `DMS could not load ${stats?.FullLoadErrorRows} row(s) of ${table.name} for ${task.businessDate}`);
      }
    }
    return { taskId: taskArn, loadedRows, durationMs: Date.now() - started };
  }

  /** Empties the staging folder of each table, then copies the manifest's files there. */
  async #stage(task: ReplicationTask): Promise<void> {
    const folder = this.#options.stagingFolder ?? DMS_STAGING_FOLDER;
    const staging = this.#options.staging;
    for (const { table, manifest } of task.tables) {
      const prefix = `${folder}/${dmsTablePath(table)}`;
      for await (const info of staging.list(prefix)) await staging.delete(info.key);
      const source = this.#options.buckets(table.zone);
      let index = 0;
      for (const key of manifest.files) {
        index += 1;
        await staging.put(`${prefix}LOAD${index.toString(16).toUpperCase().padStart(8, '0')}.parquet`, await source.getStream(key), { contentType: 'application/vnd.apache.parquet' });
      }
    }
  }

  /** Looks at the task until `done` says so; the last look is returned. */
  async #waitFor(done: (status: string, task: DmsReplicationTask) => boolean, deadline: number, signal?: AbortSignal): Promise<DmsReplicationTask> {
    for (;;) {
      const described = await this.#client.send(new DescribeReplicationTasksCommand({ Filters: [{ Name: 'replication-task-arn', Values: [this.#options.taskArn] }], WithoutSettings: true }));
      const current = described.ReplicationTasks?.[0];
      if (!current) throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICATION_TASK_FAILED, `no DMS task ${this.#options.taskArn}`);
      if (done(current.Status ?? '', current)) return current;
      if (signal?.aborted) throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICATION_TASK_FAILED, `stopped while DMS task was ${current.Status ?? 'unknown'}`);
      if (Date.now() >= deadline) throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICATION_TASK_FAILED, `DMS task still ${current.Status ?? 'unknown'} at the timeout`);
      await sleep(this.#options.pollIntervalMs ?? 15_000, signal);
    }
  }
}
