import { randomUUID } from 'node:crypto';
import type { BlobStore, Logger, Notifier } from '@cur/platform';
import { assertBusinessDate } from './business-date';
import type { PublishedManifest } from './lake/published-manifest';
import type { PublishedPartitionReader } from './lake/published-partition-reader';
import { MODEL_TAGS_DATASET, modelTagsNotCurrent, SCORED_FROM_DATASET } from './model-tags-currency';
import type { PromotedModelSource } from './ports/promoted-model-source';
import type { ReplicaTarget } from './ports/replica-target';
import type { ReplicationTaskResult, ReplicationTaskRunner } from './ports/replication-task-runner';
import { digestRows, type PartitionDigest } from './reconcile/partition-digest';
import { REPLICA_TABLES, replicaTable, type ReplicaTable } from './replica-tables';
import { REPLICATION_ERROR_CODES, ReplicationError } from './replication-error';

/** What the replicator works with. */
export interface ReplicatorDependencies {
  /** The lake's published partitions (manifests and their Parquet files). */
  readonly lake: PublishedPartitionReader;
  readonly runner: ReplicationTaskRunner;
  readonly target: ReplicaTarget;
  /** `pipeline-failures` hears of every mismatch. */
  readonly notifier: Notifier;
  /** The system bucket: each run's report goes to `replication/runs/<runId>.json`. */
  readonly system: BlobStore;
  /** The promoted model version: model tags of any other (or of stale features) are not replicated. */
  readonly models: PromotedModelSource;
  readonly logger?: Logger;
}

/** Options of {@link replicateBusinessDate}. */
export interface ReplicateOptions {
  readonly businessDate: string;
  /**
   * The datasets to replicate (a `Layer Published` event names its own). Each must be published for the date.
   * @default every replicated dataset whose partition is published for the date; the others are reported `not-published`
   */
  readonly datasets?: readonly string[];
  readonly signal?: AbortSignal;
  /**
   * Reconcile the replica as it is, without emptying and loading the date first: an audit of what applications read
   * (`cur replicate --check`).
   * @default false
   */
  readonly checkOnly?: boolean;
}

/** The reconciliation of one table. */
export interface TableReconciliation {
  readonly dataset: string;
  readonly zone: string;
  /** The Oracle table, `CUSTOMER_TAGS`. */
  readonly table: string;
  /** `not-current`: published model tags that are stale (see `reason`); the replica's date is emptied of them. */
  readonly status: 'matched' | 'mismatch' | 'not-published' | 'not-current';
  /** Why a partition is `not-current`. */
  readonly reason?: string;
  readonly lake?: PartitionDigest;
  readonly target?: PartitionDigest;
  /** The manifest's row count, beside the rows read from its files. */
  readonly manifestRows?: number;
  /** The rows the loader says it loaded. */
  readonly loadedRows?: number;
}

/** One replication run: written to the system bucket and returned. */
export interface ReplicationReport {
  readonly runId: string;
  readonly businessDate: string;
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly task?: Pick<ReplicationTaskResult, 'taskId' | 'durationMs'>;
  readonly tables: readonly TableReconciliation[];
  /** `matched` when every loaded (or emptied) table matched; `mismatch` when one did not; `nothing-published` when none was there. */
  readonly status: 'matched' | 'mismatch' | 'nothing-published';
}

/**
 * The replicator's logic, shared by the Lambda and `cur replicate`: for one business date, empties each table's
 * partition in the replica, runs the load (a DMS full-load task in AWS, a local copy on a laptop), then reconciles:
 * the rows and the content digest of each partition in the lake against the replica, computed the same way from the
 * contract's columns. A mismatch is notified on `pipeline-failures` (counts and hashes only, never a value); every
 * run's report is written to the system bucket. Rerunning a date replaces it: the same rows, the same digests.
 *
 * @throws ReplicationError `INPUT_MISSING` when a dataset asked for is not published for the date, or
 * `REPLICATION_TASK_FAILED` when the load fails
 * @example
 * const report = await replicateBusinessDate(deps, { businessDate: '2026-11-25' });
 * if (report.status === 'mismatch') process.exitCode = 1;
 */
export async function replicateBusinessDate(deps: ReplicatorDependencies, options: ReplicateOptions): Promise<ReplicationReport> {
  const businessDate = assertBusinessDate(options.businessDate);
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const asked = options.datasets?.map(replicaTable);
  // New features make the date's model tags stale unless scored from them: their currency is checked with them.
  const dependent = asked?.some((t) => t.dataset.name === SCORED_FROM_DATASET) && !asked.some((t) => t.dataset.name === MODEL_TAGS_DATASET) ? [replicaTable(MODEL_TAGS_DATASET)] : [];
  const published: { table: ReplicaTable; manifest: PublishedManifest }[] = [];
  const unpublished: TableReconciliation[] = [];
  const stale: { table: ReplicaTable; reason: string }[] = [];
  for (const table of asked ? [...asked, ...dependent] : REPLICA_TABLES) {
    const manifest = await deps.lake.manifest(table, businessDate);
    const reason = manifest && table.dataset.name === MODEL_TAGS_DATASET ? await modelTagsNotCurrent(deps.lake, deps.models, manifest, businessDate) : undefined;
    if (manifest && reason === undefined) published.push({ table, manifest });
    else if (manifest && reason !== undefined) stale.push({ table, reason });
    else if (asked?.includes(table)) throw new ReplicationError(REPLICATION_ERROR_CODES.INPUT_MISSING, `${table.zone}/${table.dataset.name} is not published for ${businessDate}`);
    else unpublished.push({ dataset: table.dataset.name, zone: table.zone, table: table.name, status: 'not-published' });
  }

  let task: ReplicationTaskResult | undefined;
  const tables: TableReconciliation[] = [];
  if (published.length > 0 || stale.length > 0) {
    await deps.target.prepare([...published, ...stale].map(({ table }) => table));
    if (!options.checkOnly) {
      // A stale partition is emptied and not loaded: the replica holds no model tags for the date rather than old ones.
      for (const { table } of [...published, ...stale]) await deps.target.clearPartition(table, businessDate);
    }
    if (!options.checkOnly && published.length > 0) {
      task = await deps.runner.run({ businessDate, tables: published }, options.signal ? { signal: options.signal } : {});
    }
    for (const { table, manifest } of published) {
      const [lake, target] = await Promise.all([digestRows(table, deps.lake.rows(table, manifest)), digestRows(table, deps.target.readRows(table, businessDate))]);
      const matched = lake.rows === target.rows && lake.sha256Sum === target.sha256Sum && lake.rows === manifest.rowCount;
      tables.push({ dataset: table.dataset.name, zone: table.zone, table: table.name, status: matched ? 'matched' : 'mismatch', lake, target, manifestRows: manifest.rowCount, ...(task ? { loadedRows: task.loadedRows[table.dataset.name] ?? 0 } : {}) });
    }
    for (const { table, reason } of stale) {
      const target = await digestRows(table, deps.target.readRows(table, businessDate));
      tables.push({ dataset: table.dataset.name, zone: table.zone, table: table.name, status: target.rows === 0 ? 'not-current' : 'mismatch', target, reason });
    }
  }
  tables.push(...unpublished);

  const mismatched = tables.filter((table) => table.status === 'mismatch');
  const report: ReplicationReport = {
    runId,
    businessDate,
    target: deps.target.description,
    startedAt,
    finishedAt: new Date().toISOString(),
    ...(task ? { task: { taskId: task.taskId, durationMs: task.durationMs } } : {}),
    tables,
    status: mismatched.length > 0 ? 'mismatch' : published.length === 0 && stale.length === 0 ? 'nothing-published' : 'matched',
  };
  await deps.system.put(`replication/runs/${runId}.json`, `${JSON.stringify(report, null, 2)}\n`, { contentType: 'application/json' });
  if (mismatched.length > 0) {
    const lines = mismatched.map((table) => `${table.zone}/${table.dataset}: lake ${table.lake?.rows ?? 0} rows, replica ${table.target?.rows ?? 0} rows, content ${table.lake?.sha256Sum === table.target?.sha256Sum ? 'equal' : 'differs'}`);
    await deps.notifier.publish('pipeline-failures', {
      subject: `CUR replication: replica differs from the lake for ${businessDate}`.slice(0, 100),
      body: `Run ${runId} replicated ${businessDate} to ${deps.target.description} and the reconciliation failed:\n${lines.join('\n')}\nRerun cur replicate --date ${businessDate} (or the event) to reload the date; see replication/runs/${runId}.json.`,
      attributes: { step: 'replication', code: REPLICATION_ERROR_CODES.REPLICA_MISMATCH, businessDate },
    });
  }
  deps.logger?.info('replication finished', { businessDate, runId, status: report.status, count: published.length });
  return report;
}
