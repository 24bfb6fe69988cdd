import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlEngine } from '@cur/platform';
import { CurError, isCurError, isTransientError } from '@cur/platform';
import { StepPlanSchema, type PlanInput, type PlanOutput, type PlanResult, type PlanStatement, type StepPlan, type StepPlanInput } from './step-plan';

/** Codes of the plan executor's own failures. */
export const PLAN_ERROR_CODES = {
  /** The plan does not validate against the plan format. */
  PLAN_INVALID: 'PLAN_INVALID',
  /** The plan asks for something this executor does not run (a CSV input, a URI). */
  PLAN_UNSUPPORTED: 'PLAN_UNSUPPORTED',
  /** An input lacks a column the plan relies on. */
  PLAN_INPUT_COLUMNS_MISSING: 'PLAN_INPUT_COLUMNS_MISSING',
  /** An input, statement or output failed for a reason that is not the engine's own coded error. */
  PLAN_EXECUTION_FAILED: 'PLAN_EXECUTION_FAILED',
} as const;

/** The file each output folder holds: DuckDB writes one file per query, whatever `singleFile` says. */
export const PLAN_OUTPUT_FILE = 'part-00000.zstd.parquet';

/**
 * Runs a plan on the SQL engine, as `cur_spark.run_plan` runs the same JSON on Spark: inputs become views, statements
 * run in order (a `view` is lazy, a `table` is materialised once and counted), then each output's query is written
 * as one zstd Parquet file into its folder (`<path>/part-00000.zstd.parquet`), replacing what the folder held.
 * Whatever happens, the plan's views and tables are dropped, so a session runs plan after plan.
 *
 * Locally runnable plans only: Parquet inputs and outputs on local paths (CSV inputs and URIs run on Spark).
 * Errors name the step, dataset, date and statement, never a value; an engine's coded error keeps its code (so a
 * transient one is still retried) with the plan's context prefixed.
 *
 * @param engine - the session to run on (DuckDB locally)
 * @param plan - a plan as rendered (validated here)
 * @example
 * const result = await executePlan(engine, martPlan);
 * for (const output of result.outputs) console.log(output.name, output.rows, output.files);
 */
export async function executePlan(engine: SqlEngine, plan: StepPlanInput): Promise<PlanResult> {
  const parsed = parsePlan(plan);
  const startedAt = Date.now();
  const created: { name: string; kind: 'VIEW' | 'TABLE' }[] = [];
  try {
    for (const input of parsed.inputs) created.push(...(await registerInput(engine, parsed, input)));
    const tables: PlanResult['tables'] = [];
    for (const [index, statement] of parsed.statements.entries()) {
      const where = `statement ${index + 1} of ${parsed.statements.length} (${statement.kind} ${statement.name}) of ${describe(parsed)}`;
      const rows = await contextual(where, () => runStatement(engine, statement));
      created.push({ name: statement.name, kind: statement.kind === 'table' ? 'TABLE' : 'VIEW' });
      if (rows !== undefined) tables.push({ name: statement.name, rows });
    }
    const outputs: PlanResult['outputs'] = [];
    for (const output of parsed.outputs) outputs.push(await contextual(`output ${output.name} of ${describe(parsed)}`, () => writeOutput(engine, output)));
    return { step: parsed.step, dataset: parsed.dataset, businessDate: parsed.businessDate, tables, outputs, durationMs: Date.now() - startedAt };
  } finally {
    for (const { name, kind } of created.reverse()) await engine.execute(`DROP ${kind} IF EXISTS ${name}`);
  }
}

function parsePlan(plan: StepPlanInput): StepPlan {
  const parsed = StepPlanSchema.safeParse(plan);
  if (!parsed.success) {
    // Paths and zod's messages only: the plan carries no customer data, but error text goes to logs.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'plan'}: ${issue.message}`).join('; ');
    throw new CurError(PLAN_ERROR_CODES.PLAN_INVALID, `invalid plan (${parsed.error.issues.length} problem(s)): ${problems}`);
  }
  const remote = [...parsed.data.inputs.flatMap((i) => (i.format === 'parquet' ? i.paths : [i.path])), ...parsed.data.outputs.map((o) => o.path)].filter((p) => p.includes('://'));
  if (remote.length > 0) throw new CurError(PLAN_ERROR_CODES.PLAN_UNSUPPORTED, `${describe(parsed.data)}: ${remote.length} location(s) are URIs; the local executor reads and writes local paths only`);
  const csv = parsed.data.inputs.filter((i) => i.format === 'csv').map((i) => i.name);
  if (csv.length > 0) throw new CurError(PLAN_ERROR_CODES.PLAN_UNSUPPORTED, `${describe(parsed.data)}: CSV input(s) ${csv.join(', ')} run on Spark only; locally the mask step parses extracts`);
  return parsed.data;
}

function describe(plan: StepPlan): string {
  return `step ${plan.step}, dataset ${plan.dataset}, business date ${plan.businessDate}`;
}

/** Registers a Parquet input; with `columns`, a view of exactly those over the files, after checking each exists. */
async function registerInput(engine: SqlEngine, plan: StepPlan, input: PlanInput): Promise<{ name: string; kind: 'VIEW' }[]> {
  if (input.format !== 'parquet') throw new CurError(PLAN_ERROR_CODES.PLAN_UNSUPPORTED, `input ${input.name} of ${describe(plan)} is not Parquet`);
  const where = `input ${input.name} (parquet) of ${describe(plan)}`;
  if (input.columns === null) {
    await contextual(where, () => engine.registerParquetView(input.name, input.paths));
    return [{ name: input.name, kind: 'VIEW' }];
  }
  const files = `${input.name}__files`;
  await contextual(where, () => engine.registerParquetView(files, input.paths));
  const views = [{ name: input.name, kind: 'VIEW' as const }, { name: files, kind: 'VIEW' as const }];
  try {
    const missing: string[] = [];
    for (const column of input.columns) {
      await engine.query(`SELECT ${column} FROM ${files} LIMIT 0`).catch(() => missing.push(column));
    }
    if (missing.length > 0) throw new CurError(PLAN_ERROR_CODES.PLAN_INPUT_COLUMNS_MISSING, `${where} lacks column(s) ${missing.join(', ')}`, { details: { input: input.name } });
    await contextual(where, () => engine.execute(`CREATE OR REPLACE VIEW ${input.name} AS SELECT ${input.columns?.join(', ') ?? '*'} FROM ${files}`));
  } catch (error) {
    await engine.execute(`DROP VIEW IF EXISTS ${files}`);
    throw error;
  }
  return views;
}

/** Creates the statement's view or table; a table's row count is returned. */
async function runStatement(engine: SqlEngine, statement: PlanStatement): Promise<number | undefined> {
  if (statement.kind === 'view') {
    await engine.execute(`CREATE OR REPLACE VIEW ${statement.name} AS ${statement.sql}`);
    return undefined;
  }
  await engine.execute(`CREATE OR REPLACE TABLE ${statement.name} AS ${statement.sql}`);
  const [row] = await engine.query(`SELECT COUNT(*) AS n FROM ${statement.name}`);
  return Number(row?.['n'] ?? 0);
}

/** Writes the output's query into its folder, replacing what the folder held. */
async function writeOutput(engine: SqlEngine, output: PlanOutput): Promise<PlanResult['outputs'][number]> {
  await rm(output.path, { recursive: true, force: true });
  await mkdir(output.path, { recursive: true, mode: 0o700 });
  const file = join(output.path, PLAN_OUTPUT_FILE);
  const rows = await engine.writeParquet(output.sql, file);
  return { name: output.name, path: output.path, rows, files: [file] };
}

/** Runs `work`, prefixing a failure's message with where in the plan it happened; codes (and so retries) are kept. */
async function contextual<T>(where: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isCurError(error)) throw new CurError(error.code, `${where}: ${error.message}`, { cause: error, details: error.details });
    if (isTransientError(error)) throw error;
    throw new CurError(PLAN_ERROR_CODES.PLAN_EXECUTION_FAILED, `${where} failed (${error instanceof Error ? error.name : 'error'})`, { cause: error });
  }
}
