import { fileURLToPath } from 'node:url';
import type { SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';
import { DUCKDB_DIALECT, SPARK_DIALECT, type SqlDialect } from '../sql/sql-dialect';
import { PLAN_ERROR_CODES, executePlan } from './execute-plan';
import { PlanResultSchema, StepPlanSchema, type PlanResult, type StepPlanInput } from './step-plan';

/** The engines a plan runs on: DuckDB in this process, or Spark (local pyspark, Glue 5.1 in AWS). */
export const PLAN_ENGINES = ['duckdb', 'spark'] as const;

/** One of {@link PLAN_ENGINES}. */
export type PlanEngine = (typeof PLAN_ENGINES)[number];

/**
 * The port the transform, consumption and mart steps run their plans through. One implementation per engine:
 * {@link DuckDbPlanExecutor} (`executePlan` on a DuckDB session) and `SparkPlanExecutor` (the plan sent to a
 * long-lived Spark process). Outputs are written where the plan says (local folders); the step puts them into the
 * zone under their content hash, whatever the engine.
 */
export interface PlanExecutor {
  /** Which engine runs the plans; recorded in the run log. */
  readonly engine: PlanEngine;
  /** The spelling the plans must be rendered in for this engine. */
  readonly dialect: SqlDialect;
  /**
   * Runs one plan: its outputs are written, its views and tables dropped. Rejects with a `CurError` whose code says
   * what failed (`PLAN_*`, or the engine's own code), never quoting a value.
   */
  execute(plan: StepPlanInput): Promise<PlanResult>;
}

/**
 * Plans on a DuckDB session (`executePlan`): the local default.
 *
 * @example
 * const plans = new DuckDbPlanExecutor(engine);
 * const result = await plans.execute(renderMartPlan({ ..., dialect: plans.dialect }));
 */
export class DuckDbPlanExecutor implements PlanExecutor {
  readonly engine = 'duckdb' as const;
  readonly dialect: SqlDialect = DUCKDB_DIALECT;
  readonly #session: SqlEngine;

  /** @param session - the DuckDB session the plans' views and tables live in while each runs */
  constructor(session: SqlEngine) {
    this.#session = session;
  }

  execute(plan: StepPlanInput): Promise<PlanResult> {
    return executePlan(this.#session, plan);
  }
}

/**
 * What the Spark executor sends its plans through: one request of a kind, one answer (the `SparkProcess` of
 * `@cur/adapters-local`, whose server runs `cur_spark.jobs.serve`, or another transport to the same handlers).
 */
export interface SparkJobPort {
  /** Sends `{ kind, ...fields }` and resolves with the answer's result; rejects with a coded error. */
  request(kind: string, fields: Readonly<Record<string, unknown>>): Promise<unknown>;
}

/**
 * Plans on Spark: each plan is validated here, sent as a `plan` request to the run's one Spark process, and its
 * answer parsed as a `PlanResult` (files as local paths: Spark names them `file:` URIs).
 *
 * @example
 * const spark = new SparkProcess({ python, workDir, signal });
 * const plans = new SparkPlanExecutor(spark);
 */
export class SparkPlanExecutor implements PlanExecutor {
  readonly engine = 'spark' as const;
  readonly dialect: SqlDialect = SPARK_DIALECT;
  readonly #jobs: SparkJobPort;

  constructor(jobs: SparkJobPort) {
    this.#jobs = jobs;
  }

  async execute(plan: StepPlanInput): Promise<PlanResult> {
    const parsed = StepPlanSchema.safeParse(plan);
    if (!parsed.success) throw new CurError(PLAN_ERROR_CODES.PLAN_INVALID, `invalid plan for Spark (${parsed.error.issues.length} problem(s)): ${parsed.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`).join('; ')}`);
    const answer = PlanResultSchema.safeParse(await this.#jobs.request('plan', { plan: parsed.data }));
    const where = `step ${parsed.data.step}, dataset ${parsed.data.dataset}, business date ${parsed.data.businessDate}`;
    if (!answer.success) throw new CurError('SPARK_PROCESS_PROTOCOL', `${where}: Spark's answer is not a plan result (${answer.error.issues.map((i) => i.path.join('.')).join(', ')})`);
    return { ...answer.data, outputs: answer.data.outputs.map((output) => ({ ...output, files: output.files.map(localPath) })) };
  }
}

/** A local path for what Spark names a file: `file:/x` or `file:///x` becomes `/x`; a path stays as it is. */
function localPath(file: string): string {
  return file.startsWith('file:') ? fileURLToPath(file.startsWith('file://') ? file : `file://${file.slice('file:'.length)}`) : file;
}
