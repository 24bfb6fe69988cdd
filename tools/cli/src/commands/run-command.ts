import type { Command } from 'commander';
import { runPipeline, type PipelineRun, type StepRun } from '@cur/pipeline';
import { ValidationError } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import type { Output } from '../output/console-output';
import { localPipelineDependencies } from '../pipeline-wiring';

/** One progress line per step. */
export function describeStep(step: StepRun): string {
  const what = `${step.step.padEnd(11)} ${step.target}`;
  if (step.status === 'skipped') return `  skipped  ${what} (${step.error ?? ''})`;
  if (step.status === 'failed') return `  FAILED   ${what} after ${step.attempts} attempt(s): ${step.errorCode ?? ''} ${step.error ?? ''}`;
  if (step.step === 'dq') {
    const failed = step.counts?.['failed'] ?? 0;
    return `  ${failed > 0 ? 'warn    ' : 'ok      '} ${what} ${step.counts?.['rules'] ?? 0} rules, ${failed} failed (${step.durationMs} ms)`;
  }
  const counts = step.counts && 'rowsRejected' in step.counts ? `, ${step.counts['rowsRejected']} rejected` : '';
  return `  ok       ${what} ${step.rowCount ?? 0} rows${counts} (${step.durationMs} ms)`;
}

/** Runs the pipeline on a runtime and prints each step as it finishes. */
export async function runPipelineWithProgress(runtime: Runtime, output: Output, businessDate?: string): Promise<PipelineRun> {
  const deps = await localPipelineDependencies(runtime);
  try {
    return await runPipeline(deps, { ...(businessDate ? { businessDate } : {}), onStep: (step) => output.info(describeStep(step)) });
  } finally {
    await deps.engine.close();
  }
}

/** `cur run [--date D]`: the pipeline in dependency order, with retries, a run log and failure notifications. */
export function registerRunCommand(program: Command, context: () => CliContext): void {
  program
    .command('run')
    .description('run the pipeline: mask accepted batches, then transform, consumption tags and mart metrics per business date')
    .option('--date <YYYY-MM-DD>', 'also rebuild transform, consumption and mart for this business date')
    .action(async (options: { date?: string }) => {
      const ctx = context();
      if (options.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new ValidationError('--date must be YYYY-MM-DD');
      const run = await ctx.withRuntime((runtime) => runPipelineWithProgress(runtime, ctx.output, options.date));
      if (run.steps.length === 0) ctx.output.line('nothing to do: no accepted batches (cur ingest push <dir>) and no --date');
      ctx.output.line(`run ${run.runId}: ${run.status}; log at system/runs/${run.runId}.json`);
      if (run.status === 'failed') process.exitCode = 1;
    });
}
