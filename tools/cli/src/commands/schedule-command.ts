import type { Command } from 'commander';
import { Cron } from 'croner';
import { createIngestionHandler } from '@cur/ingestion';
import type { CliContext } from '../cli-context';
import { UsageError } from '../process/usage-error';
import { describeOutcome, ingestionDependencies } from './ingest-commands';
import { reportCancelledRun, runPipelineWithProgress } from './run-command';

/**
 * One scheduled pass: the landing sweep (as EventBridge Scheduler triggers it in AWS), then the pipeline, which
 * stops at a safe point on Ctrl-C. Reports a failed or stopped run.
 */
async function scheduledPass(ctx: CliContext): Promise<void> {
  await ctx.withRuntime(async (runtime) => {
    const deps = ingestionDependencies(runtime);
    const event = { version: '0', id: crypto.randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: '000000000000', time: new Date().toISOString(), region: 'local', resources: [], detail: {} };
    for (const outcome of await createIngestionHandler(() => Promise.resolve(deps))(event)) ctx.output.info(describeOutcome(outcome));
    if (ctx.signal.aborted) return;
    const run = await runPipelineWithProgress(runtime, ctx.output, { signal: ctx.signal });
    ctx.output.line(`${new Date().toISOString()} run ${run.runId}: ${run.status} (${run.steps.length} steps)`);
    if (run.status === 'failed') ctx.report('failed');
    if (run.status === 'cancelled') reportCancelledRun(ctx, run);
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
      if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 1)) throw new UsageError('--max-runs must be a positive whole number');
      let job: Cron;
      try {
        job = new Cron(options.cron, { timezone: options.timezone, protect: true, paused: true, ...(maxRuns ? { maxRuns } : {}) });
      } catch (error) {
        throw new UsageError(`'${options.cron}' is not a cron expression this scheduler understands: ${(error as Error).message}`, { cause: error });
      }
      // Listening from here on: a Ctrl-C after the line below stops the schedule gracefully.
      const { signal } = ctx;
      ctx.output.info(`scheduled "${options.cron}" (${options.timezone}); next run ${job.nextRun()?.toISOString() ?? 'never'}; Ctrl-C to stop`);
      // The pass under way, if any: a stop waits for it to reach its safe point, so nothing is cut mid-write.
      let inFlight: Promise<void> = Promise.resolve();
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          job.stop();
          signal.removeEventListener('abort', stop);
          void inFlight.then(resolve);
        };
        signal.addEventListener('abort', stop, { once: true });
        let runs = 0;
        job.schedule(() => {
          runs += 1;
          inFlight = scheduledPass(ctx)
            .catch((error: unknown) => {
              ctx.output.error(`scheduled run failed: ${(error as Error).message}`);
              ctx.report('failed');
            })
            .then(() => {
              if (maxRuns !== undefined && runs >= maxRuns) stop();
            });
          return inFlight;
        });
        job.resume();
      });
      if (signal.aborted) {
        ctx.output.info('schedule stopped; start it again with the same cur schedule command (runs missed meanwhile are not replayed: the next pass picks up whatever waits)');
        ctx.report('cancelled');
      }
    });
}
