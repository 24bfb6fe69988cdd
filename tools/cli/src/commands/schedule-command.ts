import type { Command } from 'commander';
import { Cron } from 'croner';
import { createIngestionHandler } from '@cur/ingestion';
import { ValidationError } from '@cur/platform';
import type { CliContext } from '../cli-context';
import { describeOutcome, ingestionDependencies } from './ingest-commands';
import { runPipelineWithProgress } from './run-command';

/** One scheduled pass: the landing sweep (as EventBridge Scheduler triggers it in AWS), then the pipeline. */
async function scheduledPass(ctx: CliContext): Promise<void> {
  await ctx.withRuntime(async (runtime) => {
    const deps = ingestionDependencies(runtime);
    const event = { version: '0', id: crypto.randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: '000000000000', time: new Date().toISOString(), region: 'local', resources: [], detail: {} };
    for (const outcome of await createIngestionHandler(() => Promise.resolve(deps))(event)) ctx.output.info(describeOutcome(outcome));
    const run = await runPipelineWithProgress(runtime, ctx.output);
    ctx.output.line(`${new Date().toISOString()} run ${run.runId}: ${run.status} (${run.steps.length} steps)`);
  });
}

/** `cur schedule --cron EXPR`: periodic ingestion and pipeline runs, the laptop's EventBridge Scheduler + MWAA. */
export function registerScheduleCommand(program: Command, context: () => CliContext): void {
  program
    .command('schedule')
    .description('run the landing sweep and the pipeline on a cron schedule until stopped (Ctrl-C)')
    .requiredOption('--cron <expression>', 'five or six field cron, e.g. "0 6 * * *" for 06:00 every day', '0 6 * * *')
    .option('--timezone <tz>', 'time zone of the schedule', 'Asia/Taipei')
    .option('--max-runs <n>', 'stop after this many runs')
    .action(async (options: { cron: string; timezone: string; maxRuns?: string }) => {
      const ctx = context();
      const maxRuns = options.maxRuns === undefined ? undefined : Number(options.maxRuns);
      if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 1)) throw new ValidationError('--max-runs must be a positive whole number');
      let job: Cron;
      try {
        job = new Cron(options.cron, { timezone: options.timezone, protect: true, paused: true, ...(maxRuns ? { maxRuns } : {}) });
      } catch (error) {
        throw new ValidationError(`'${options.cron}' is not a cron expression this scheduler understands: ${(error as Error).message}`, { cause: error });
      }
      ctx.output.info(`scheduled "${options.cron}" (${options.timezone}); next run ${job.nextRun()?.toISOString() ?? 'never'}; Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          job.stop();
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        let runs = 0;
        job.schedule(async () => {
          runs += 1;
          try {
            await scheduledPass(ctx);
          } catch (error) {
            ctx.output.error(`scheduled run failed: ${(error as Error).message}`);
          }
          if (maxRuns !== undefined && runs >= maxRuns) stop();
        });
        job.resume();
      });
    });
}
