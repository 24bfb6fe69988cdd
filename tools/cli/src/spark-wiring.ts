import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SparkProcess } from '@cur/adapters-local';
import { KEY_SERVICE_TOKEN_ENV, TokenService, startLoopbackKeyService } from '@cur/masking';
import { DuckDbPlanExecutor, SparkPlanExecutor, sparkProcessMaskJob, type PipelineDependencies, type PlanEngine, type PlanExecutor } from '@cur/pipeline';
import type { SqlEngine } from '@cur/platform';
import type { Runtime } from '@cur/runtime';

/** The workspace's Python environment (`npx nx run python-env:setup` makes it), which has `cur_spark` and pyspark. */
export const WORKSPACE_PYTHON = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));

/** The folder of the SYSTEM scratch area where the Spark process keeps its own scratch files (shuffle, spill). */
export const SPARK_SCRATCH_FOLDER = 'spark';

/** A run's engines and what ends them. */
export interface RunEngine {
  readonly plans: PlanExecutor;
  /** With `--engine spark`: the mask step on the same Spark process, tokenising through the loopback key service. */
  readonly sparkMask?: PipelineDependencies['sparkMask'];
  /** Ends the engines at the end of the run: the Spark process is closed (end of input, then SIGTERM if it lingers), the key service stopped. */
  close(): Promise<void>;
}

/** Options of {@link openRunEngine}. */
export interface RunEngineOptions {
  readonly engine: PlanEngine;
  /** The run's DuckDB session, which runs the plans with `--engine duckdb`. */
  readonly session: SqlEngine;
  /** The run's keys and audit log, for the key service the Spark mask job tokenises through. */
  readonly runtime: Runtime;
  /** The state folder's SYSTEM scratch area; Spark's scratch goes to `<area>/spark`, swept with it at each run. */
  readonly scratchArea: string;
  /** Ctrl-C, SIGTERM: kills the Spark process. */
  readonly signal?: AbortSignal;
}

/**
 * The engines of a `cur run` / `cur demo`: DuckDB in this process, or one Spark process for the whole run (started by
 * the first batch or plan, so a run with nothing to do starts no JVM) that masks every batch and runs every plan. The
 * mask job tokenises through the masking-key-service's handler served on loopback, behind a per-run SYSTEM credential
 * given to the Spark process in its environment only. The process's log lines are dropped (ids, kinds, codes and
 * durations, and Spark's own warnings).
 */
export async function openRunEngine(options: RunEngineOptions): Promise<RunEngine> {
  if (options.engine === 'duckdb') return { plans: new DuckDbPlanExecutor(options.session), close: () => Promise.resolve() };
  const { runtime } = options;
  const keys = await startLoopbackKeyService({ service: TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }) });
  const spark = new SparkProcess({
    python: WORKSPACE_PYTHON,
    workDir: join(options.scratchArea, SPARK_SCRATCH_FOLDER),
    env: { ...process.env, [KEY_SERVICE_TOKEN_ENV]: keys.credential },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    plans: new SparkPlanExecutor(spark),
    sparkMask: { runMaskJob: sparkProcessMaskJob(spark), keyService: { tokenizeUrl: keys.tokenizeUrl } },
    close: async () => {
      try {
        await spark.close();
      } finally {
        await keys.close();
      }
    },
  };
}
