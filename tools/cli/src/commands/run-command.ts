import { Option, type Command } from 'commander';
import { PLAN_ENGINES, runPipeline, type PipelineRun, type PlanEngine, type StepRun } from '@cur/pipeline';
import { ConfigError } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import type { Output } from '../output/console-output';
import { localPipelineDependencies } from '../pipeline-wiring';
import { createProgressReporter } from '../output/progress-reporter';
import { isoDateOption } from '../options/iso-date-option';
import { openRunEngine } from '../spark-wiring';

/** `--engine`: what runs the mask step and the transform, consumption and mart plans (commander refuses any other value: exit 2). */
export function engineOption(): Option {
  return new Option('--engine <engine>', 'what runs the mask step and the transform, consumption and mart plans: DuckDB in this process, or one local Spark process (pyspark 3.5.6, Glue 5.1\'s engine) for the whole run').choices(PLAN_ENGINES).default('duckdb');
}

/** One progress line per step. */
export function describeStep(step: StepRun): string {
  const what = `${step.step.padEnd(11)} ${step.target}`;
  if (step.status === 'skipped') return `  skipped  ${what} (${step.error ?? ''})`;
  if (step.status === 'failed') return `  FAILED   ${what} after ${step.attempts} attempt(s): ${step.errorCode ?? ''} ${step.error ?? ''}`;
  if (step.status === 'cancelled') return `  stopped  ${what} (${step.error ?? 'cancelled'})`;
  if (step.step === 'dq') {
    const failed = step.counts?.['failed'] ?? 0;
    return `  ${failed > 0 ? 'warn    ' : 'ok      '} ${what} ${step.counts?.['rules'] ?? 0} rules, ${failed} failed (${step.durationMs} ms)`;
  }
  const counts = step.counts && 'rowsRejected' in step.counts ? `, ${step.counts['rowsRejected']} rejected` : '';
  return `  ok       ${what} ${step.rowCount ?? 0} rows${counts} (${step.durationMs} ms)`;
}

/** Which engine ran which steps, e.g. `mask, transform, consumption and mart on spark`. */
export function describeEngines(run: PipelineRun): string {
  const { mask, transform } = run.engines;
  return mask === transform ? `mask, transform, consumption and mart on ${mask}` : `mask on ${mask}, transform, consumption and mart on ${transform}`;
}

/** Options of {@link runPipelineWithProgress}. */
export interface ProgressRunOptions {
  /** Also rebuild transform, consumption and mart for this date. */
  readonly businessDate?: string;
  /** Stops the run at its next safe point (Ctrl-C, SIGTERM); kills the Spark process. */
  readonly signal?: AbortSignal;
  /** What runs the mask step and the plans. @default 'duckdb' */
  readonly engine?: PlanEngine;
}

/** Runs the pipeline on a runtime, showing each step's progress (rows done, rows/s, estimate) and each as it finishes. */
export async function runPipelineWithProgress(runtime: Runtime, output: Output, options: ProgressRunOptions = {}): Promise<PipelineRun> {
  const deps = await localPipelineDependencies(runtime);
  const scratchArea = runtime.localScratchDir;
  if (scratchArea === undefined) throw new ConfigError('the pipeline runs locally; in AWS the steps run as Glue jobs');
  let engine: Awaited<ReturnType<typeof openRunEngine>>;
  try {
    engine = await openRunEngine({ engine: options.engine ?? 'duckdb', session: deps.engine, runtime, scratchArea, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    await deps.engine.close();
    throw error;
  }
  // Live progress per step: bars on a terminal, plain lines in a pipe or a log.
  const progress = createProgressReporter({ output });
  try {
    return await runPipeline({ ...deps, plans: engine.plans, ...(engine.sparkMask ? { sparkMask: engine.sparkMask } : {}) }, {
      ...(options.businessDate ? { businessDate: options.businessDate } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onStep: (step) => progress.info(describeStep(step)),
      onProgress: (event) => progress.onProgress(event),
    });
  } finally {
    progress.stop();
    await engine.close();
    await deps.engine.close();
  }
}

/**
 * The commands that finish a stopped run: `cur run --date D` for each business date it touched (the first also masks
 * the batches it did not start), or a plain `cur run` when it touched none yet.
 */
export function resumeCommands(run: PipelineRun): string[] {
  return run.businessDates.length === 0 ? ['npx cur run'] : run.businessDates.map((date) => `npx cur run --date ${date}`);
}

/** Prints how a stopped run ended and how to finish it, and reports `cancelled`. */
export function reportCancelledRun(ctx: CliContext, run: PipelineRun): void {
  ctx.output.info(`stopped at a safe point: what finished is published, nothing is half-written, the serving load's lease is released (run log system/runs/${run.runId}.json)`);
  ctx.output.info(`resume with: ${resumeCommands(run).join(' && ')}`);
  ctx.report('cancelled');
}

/** `cur run [--date D]`: the pipeline in dependency order, with retries, a run log and failure notifications. */
export function registerRunCommand(program: Command, context: () => CliContext): void {
  program
    .command('run')
    .description('run the pipeline: mask accepted batches, then transform, consumption tags and mart metrics per business date')
    .option('--date <YYYY-MM-DD>', 'also rebuild transform, consumption and mart for this business date', isoDateOption)
    .addOption(engineOption())
    .action(async (options: { date?: string; engine: PlanEngine }) => {
      const ctx = context();
      const run = await ctx.withRuntime((runtime) => runPipelineWithProgress(runtime, ctx.output, { ...(options.date === undefined ? {} : { businessDate: options.date }), signal: ctx.signal, engine: options.engine }));
      if (run.steps.length === 0 && run.status !== 'cancelled') ctx.output.line('nothing to do: no accepted batches (cur ingest push <dir>) and no --date');
      ctx.output.line(`run ${run.runId}: ${run.status} (${describeEngines(run)}); log at system/runs/${run.runId}.json`);
      if (run.status === 'failed') ctx.report('failed');
      if (run.status === 'cancelled') reportCancelledRun(ctx, run);
    });
}
