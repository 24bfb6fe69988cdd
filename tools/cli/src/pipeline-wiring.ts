import { join } from 'node:path';
import { DuckDbSqlEngine, OutboxMetricsSink, claimPidLockUntilExit, engineMemoryLimitFromEnv, parseEngineMemoryLimit, releasePidLockSync } from '@cur/adapters-local';
import { DQ_ALERT_IDEMPOTENCY_PARTITION, StoredDqResultSource, createDqNotifierHandler } from '@cur/dq-alerts';
import { BatchLedger } from '@cur/ingestion';
import { KeyRing } from '@cur/masking';
import { DUCKDB_DIALECT, StepMetrics, TAG_DEFINITIONS, sweepScratchFolder, type PipelineDependencies } from '@cur/pipeline';
import { ConfigError, CurError, createLogger } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import type { Runtime } from '@cur/runtime';
import { pipelineTaskGraph } from './pipeline-task-graph';
import { localModelScoring } from './model-scoring';

/** Sub-folders of the state folder's SYSTEM scratch area (`<home>/system-scratch`). */
export const SCRATCH_FOLDERS = {
  /** The pipeline's scratch files: Big5 batches' UTF-8 copies, Parquet files before upload. */
  pipeline: 'pipeline',
  /** Where DuckDB spills what does not fit in memory (the mask step's staged rows are plaintext). */
  engineSpill: 'duckdb-spill',
  /** The extracts `cur demo` generates, until pushed. */
  demoExtracts: 'demo-extracts',
} as const;

/**
 * The state folder's SYSTEM scratch area: short-lived files, plaintext ones included, never the OS temp folder.
 * Claimed for this process until its runtime closes (`<area>.lock`, {@link releaseScratchArea}): several cur
 * processes share a state folder, but only one may use the scratch area, which every run empties first (whatever is
 * there was left by a killed one).
 *
 * @throws ConfigError outside local mode (Glue and Lambda use their own local temp)
 * @throws CurError SCRATCH_AREA_BUSY while another live cur process uses it (a run, a demo, a key rotation)
 */
export function localScratchArea(runtime: Runtime): string {
  const area = runtime.localScratchDir;
  if (area === undefined) throw new ConfigError('the scratch area is local; in AWS the steps use their own temp folder');
  const claim = claimPidLockUntilExit(scratchLockFile(area));
  if (!claim.claimed) {
    throw new CurError(
      'SCRATCH_AREA_BUSY',
      `cur process ${claim.holder.pid} is running the pipeline on this state folder (${area}); wait for it to finish, then run this again`,
      { details: { pid: claim.holder.pid } },
    );
  }
  return area;
}

/** The lock file of a scratch area, beside it. */
function scratchLockFile(area: string): string {
  return `${area}.lock`;
}

/**
 * Lets go of the scratch area if this process claimed it: the CLI calls it when a command's runtime closes, so a
 * long process (`cur schedule` between its runs) does not keep other pipelines out.
 */
export function releaseScratchArea(runtime: Runtime): void {
  if (runtime.localScratchDir !== undefined) releasePidLockSync(scratchLockFile(runtime.localScratchDir));
}

/**
 * The pipeline on a laptop: the runtime's buckets and tables, DuckDB as the SQL engine over the local lake folder.
 * First claims and empties the state folder's SYSTEM scratch area: one process at a time uses it, so whatever is
 * there was left by a killed run (a Big5 batch's plaintext copy, DuckDB spill files, a demo's extracts).
 * The pipeline's scratch files and DuckDB's spill files go there. DuckDB's memory is bounded by `CUR_MEMORY_LIMIT`
 * (default 4GiB, `engineMemoryLimitFromEnv`): what does not fit spills. The caller closes the engine.
 *
 * @throws ConfigError naming CUR_MEMORY_LIMIT when it is set to something other than a size of at least 128MiB
 */
export async function localPipelineDependencies(runtime: Runtime): Promise<PipelineDependencies> {
  const lake = runtime.localLakeDir;
  if (lake === undefined) throw new ConfigError('cur run executes the pipeline locally; in AWS the steps run as Glue jobs');
  // Read before claiming anything: a bad value stops the command with nothing to undo.
  const memoryLimit = engineMemoryLimitFromEnv();
  const scratch = localScratchArea(runtime);
  await sweepScratchFolder(scratch);
  // The dq-notifier's dependencies, built once as a Lambda builds them once per container.
  const dqNotifier = (async () => ({
    results: new StoredDqResultSource(runtime.blobStore('system')),
    notifier: runtime.notifier(),
    idempotencyStore: await runtime.idempotencyStore('dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION),
    logger: createLogger({ serviceName: 'dq-notifier' }),
  }))();
  // A failure surfaces where the handler awaits it, not as an unhandled rejection before the first gate.
  dqNotifier.catch(() => undefined);
  return {
    buckets: {
      landing: runtime.blobStore('landing'),
      raw: runtime.blobStore('raw'),
      transformed: runtime.blobStore('transformed'),
      consumption: runtime.blobStore('consumption'),
      mart: runtime.blobStore('mart'),
      system: runtime.blobStore('system'),
    },
    locate: (bucket, key) => join(lake, bucket, ...key.split('/')),
    ledger: new BatchLedger(runtime.keyValueStore),
    engine: await DuckDbSqlEngine.open({ threads: 2, memoryLimit, tempDirectory: join(scratch, SCRATCH_FOLDERS.engineSpill) }),
    engineMemoryBytes: parseEngineMemoryLimit(memoryLimit),
    scratchDir: join(scratch, SCRATCH_FOLDERS.pipeline),
    dialect: DUCKDB_DIALECT,
    policy: createMaskingPolicy(),
    maskers: { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) },
    tags: TAG_DEFINITIONS,
    notifier: runtime.notifier(),
    events: runtime.events(),
    // Rows per step as EMF documents in <home>/outbox/metrics.jsonl, where CloudWatch would read them from stdout.
    stepMetrics: new StepMetrics({ sink: new OutboxMetricsSink(join(runtime.config.home, 'outbox')) }),
    servingStore: runtime.keyValueStore,
    // Locally the dq-notifier's handler receives the evaluation event directly, as the Lambda would from EventBridge.
    onDqEvaluated: createDqNotifierHandler(() => dqNotifier),
    // The MWAA DAG's task graph, from the definition: the local run follows it.
    taskGraph: pipelineTaskGraph(),
    // The promoted model version scores each date's customers (python -m cur_model.score); skipped while none is.
    scoring: localModelScoring(runtime),
  };
}
