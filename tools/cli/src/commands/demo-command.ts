import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ALL_DATASET_NAMES, getDataset } from '@cur/contracts';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { createIngestionHandler, objectCreatedEvent, pushBatches } from '@cur/ingestion';
import { ManifestStore, type PipelineRun, type PlanEngine } from '@cur/pipeline';
import { isCurError, throwIfCancelled } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import type { Output } from '../output/console-output';
import { renderTable } from '../output/render-table';
import { generateExtracts } from './generate-command';
import { devCurlExamples } from './token-command';
import { describeOutcome, ingestionDependencies } from './ingest-commands';
import { describeEngines, engineOption, runPipelineWithProgress } from './run-command';
import { SCRATCH_FOLDERS, localScratchArea } from '../pipeline-wiring';

/** The embedded default of the demo: small enough for a laptop in seconds, big enough to look like a bank. */
export const DEMO_DEFAULTS = { customers: 10_000, days: 1, seed: 1, startDate: '2026-11-25' } as const;

/** Runs one stage, printing its title, result and time. */
async function stage<T>(output: Output, number: number, total: number, title: string, work: () => Promise<T>, summary: (result: T) => string): Promise<T> {
  output.info(`[${number}/${total}] ${title}`);
  const started = performance.now();
  const result = await work();
  output.info(`      done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${summary(result)}`);
  return result;
}

/** Options of `cur demo`. */
interface DemoOptions {
  readonly customers: number;
  /** Keep the generated extracts (plaintext) in `<home>/extracts` instead of deleting them once pushed. */
  readonly keepPlaintextExtracts: boolean;
  /** What runs the mask step and the transform, consumption and mart plans. */
  readonly engine: PlanEngine;
}

/** The folder of the state folder where `--keep-plaintext-extracts` keeps the demo's extracts. */
export const KEPT_EXTRACTS_FOLDER = 'extracts';

/** The demo's stages: generate, push and ingest, run the pipeline, summarise. */
const STAGES = 4;

/**
 * Where the demo writes its extracts. They are plaintext, so by default they go to the SYSTEM scratch area, are
 * deleted once pushed, and a killed demo's are swept by the next run; only `--keep-plaintext-extracts` keeps them,
 * in `<home>/extracts`.
 */
function extractsFolder(ctx: CliContext, runtime: Runtime, options: DemoOptions): string {
  return options.keepPlaintextExtracts ? join(ctx.config.home, KEPT_EXTRACTS_FOLDER) : join(localScratchArea(runtime), SCRATCH_FOLDERS.demoExtracts);
}

/** How `cur demo` tells the user to finish a stopped demo: running it again is safe. */
const RESUME_DEMO = 'resume with: npx cur demo   (batches already ingested are skipped; the pipeline rebuilds the same outputs)';

/**
 * The main job: generate -> push -> ingest -> mask -> transform -> consumption -> mart, then a summary. Stops at a
 * safe point on Ctrl-C or SIGTERM (between generating and pushing, between batches, between pipeline steps).
 */
async function runDemo(ctx: CliContext, runtime: Runtime, options: DemoOptions): Promise<void> {
  const { output } = ctx;
  const extracts = extractsFolder(ctx, runtime, options);
  // Plaintext a previous demo kept (or left when killed) goes too, unless this run is asked to keep its own.
  if (!options.keepPlaintextExtracts) await rm(join(ctx.config.home, KEPT_EXTRACTS_FOLDER), { recursive: true, force: true });
  await rm(extracts, { recursive: true, force: true });
  let refused: number;
  try {
    refused = await pushDemoExtracts(ctx, runtime, options, extracts);
  } catch (error) {
    if (!isCurError(error, 'CANCELLED')) throw error;
    ctx.output.info('      stopped at a safe point: each batch was pushed and ingested whole or not at all');
    ctx.output.info(`      ${RESUME_DEMO}`);
    ctx.report('cancelled');
    return;
  } finally {
    if (!options.keepPlaintextExtracts) await rm(extracts, { recursive: true, force: true });
  }
  if (refused > 0) ctx.report('batches-refused');
  output.info(
    options.keepPlaintextExtracts
      ? `      kept the plaintext extracts in ${extracts} (--keep-plaintext-extracts); delete them when done`
      : '      deleted the plaintext extracts once pushed (--keep-plaintext-extracts keeps them)',
  );

  const run = await stage(output, 3, STAGES, 'run the pipeline: mask -> transform -> consumption -> mart', () => runPipelineWithProgress(runtime, output, { businessDate: DEMO_DEFAULTS.startDate, signal: ctx.signal, engine: options.engine }), (r) => `${r.status}, ${r.steps.length} steps (${describeEngines(r)}), run log system/runs/${r.runId}.json`);
  if (run.status === 'cancelled') {
    output.info('      stopped at a safe point: what finished is published, nothing is half-written, the serving load lease is released');
    output.info(`      ${RESUME_DEMO}`);
    ctx.report('cancelled');
    return;
  }
  await summarise(ctx, runtime, run);
}

/**
 * Stages 1 and 2: generate the extracts into `extracts`, then push and ingest them. Returns how many batches were
 * refused or quarantined.
 *
 * @throws CancelledError at a safe point once Ctrl-C or SIGTERM arrived
 */
async function pushDemoExtracts(ctx: CliContext, runtime: Runtime, options: DemoOptions, extracts: string): Promise<number> {
  const { output, signal } = ctx;
  await stage(output, 1, STAGES, `generate synthetic extracts for ${options.customers} customers`, () => generateExtracts(output, { ...DEMO_DEFAULTS, customers: options.customers, out: extracts }), (s) => `${s.totalRows} rows in ${s.batches.length} batches (${s.totalDirtyRows} deliberately dirty) in ${extracts}`);
  throwIfCancelled(signal);
  let refused = 0;

  const deps = ingestionDependencies(runtime);
  const handle = createIngestionHandler(() => Promise.resolve(deps));
  await stage(
    output,
    2,
    STAGES,
    'push the batches to landing and ingest them (checks, ledger, quarantine)',
    async () => {
      const outcomes = [];
      for (const pushed of await pushBatches(extracts, deps.landing, { ledger: deps.ledger, signal })) {
        if (pushed.status !== 'pushed') {
          if (pushed.status === 'refused') refused += 1;
          output.info(`      ${pushed.status} ${pushed.batchId}: ${pushed.status === 'skipped' ? pushed.reason : pushed.reasonCode}`);
          continue;
        }
        throwIfCancelled(signal);
        for (const outcome of await handle(objectCreatedEvent(deps.landing.bucket, pushed.controlKey, 0))) {
          if (outcome.outcome === 'quarantined') refused += 1;
          output.info(`      ${describeOutcome(outcome)}`);
          outcomes.push(outcome);
        }
      }
      return outcomes;
    },
    (outcomes) => `${outcomes.filter((o) => o.outcome === 'accepted').length} accepted, ${outcomes.filter((o) => o.outcome === 'quarantined').length} quarantined`,
  );
  return refused;
}

/** Stage 4: what each layer holds, the DQ gates, and what to try next. */
async function summarise(ctx: CliContext, runtime: Runtime, run: PipelineRun): Promise<void> {
  const { output } = ctx;
  await stage(output, 4, STAGES, 'summarise the lake', async () => undefined, () => 'below');
  const manifests = new ManifestStore(runtime.blobStore('system'));
  const rows: string[][] = [];
  for (const name of ALL_DATASET_NAMES) {
    for (const zone of getDataset(name).zones.filter((z) => z !== 'landing')) {
      const manifest = await manifests.get(zone, name, DEMO_DEFAULTS.startDate);
      if (!manifest) continue;
      const rejected = manifest.counts['rowsRejected'];
      rows.push([zone, name, String(manifest.rowCount), rejected === undefined ? '' : String(rejected), `${manifest.durationMs} ms`, `lake/${zone}/${manifest.files[0] ?? ''}`]);
    }
  }
  output.line('');
  output.line(`CUR Customer Tagging 2.0 demo, business date ${DEMO_DEFAULTS.startDate}, role ${ctx.role}: ${run.status}`);
  output.line('');
  output.line(renderTable(['zone', 'dataset', 'rows', 'rejected', 'time', 'file (under ' + ctx.config.home + ')'], rows));
  // Gates run as their outputs appear (interleaved); listed in zone order, then dataset.
  const zoneOrder = (target: string): number => ['raw', 'transformed', 'consumption'].indexOf(target.split('/')[0] ?? '');
  const gates = run.steps.filter((step) => step.step === 'dq').sort((a, b) => zoneOrder(a.target) - zoneOrder(b.target) || a.target.localeCompare(b.target));
  const dqRows = gates.map((step) => [step.target, String(step.counts?.['rules'] ?? 0), String(step.counts?.['failed'] ?? 0), step.status === 'failed' ? 'BLOCKED' : (step.counts?.['failed'] ?? 0) > 0 ? 'warnings (see cur dq results)' : 'passed']);
  if (dqRows.length > 0) {
    output.line('');
    output.line('Data quality gates (DQDL rulesets; alerts in .cur/outbox/dq-alerts.jsonl):');
    output.line(renderTable(['zone/dataset/date', 'rules', 'failed', 'outcome'], dqRows));
  }
  output.line('');
  output.line('Every zone after landing holds masked values only: tokens for identifiers, birth year, city+district and');
  output.line('open month for quasi-identifiers. The landing files were deleted once masked, the generated extracts once pushed.');
  output.line('');
  output.line('Next:');
  output.line('  npx cur ingest status                                    the batch ledger');
  output.line('  npx cur dq results                                       the rules that did not pass, with their metrics');
  output.line('  npx cur --role DS query "SELECT segment, count(*) FROM consumption.customer_features GROUP BY 1"');
  output.line('  npx cur datasets customer_features                       what the DRV table holds');
  output.line('  npx cur privacy check                                    k-anonymity of what each human role sees (fails below k = 5)');
  output.line('  npx cur --role SYSTEM mask -d customer_profile -c cust_id A123456789   the token the pipeline writes for an ID (SYSTEM only, audited)');
  output.line('  npx cur --role SYSTEM unmask -d customer_profile -c cust_id -k 1 <token>   audited detokenize (SYSTEM only)');
  output.line('  npx cur --role SYSTEM query --reveal cust_id "SELECT cust_id, tag FROM consumption.customer_tags LIMIT 3"   audited');
  output.line('  npx cur status                                           what the state folder holds');
  // A customer token the serving store holds, for the lookup example.
  const sample = (await manifests.get('consumption', 'customer_tags', DEMO_DEFAULTS.startDate))
    ? await (async () => {
        const engine = await DuckDbSqlEngine.open({ threads: 1 });
        try {
          const tags = await manifests.get('consumption', 'customer_tags', DEMO_DEFAULTS.startDate);
          await engine.registerParquetView('sample_tags', (tags?.files ?? []).map((key) => join(ctx.config.home, 'lake', 'consumption', ...key.split('/'))));
          const [row] = await engine.query("SELECT cust_id FROM sample_tags WHERE tag = 'high_value' ORDER BY cust_id LIMIT 1");
          return typeof row?.['cust_id'] === 'string' ? row['cust_id'] : undefined;
        } finally {
          await engine.close();
        }
      })()
    : undefined;
  output.line('');
  output.line('The retrieval API on this laptop (the Lambda handler behind a local JWT authorizer):');
  output.line('  npx cur serve &');
  for (const line of await devCurlExamples(ctx.config.home, sample ? { customerToken: sample } : {})) output.line(`  ${line}`);
  if (run.status === 'failed') {
    output.info(`The run failed: its log system/runs/${run.runId}.json names the step; npx cur run --date ${DEMO_DEFAULTS.startDate} retries it.`);
    ctx.report('failed');
  }
}

/** `cur demo`: the main job end to end on the embedded default (what `npm start` runs). */
export function registerDemoCommand(program: Command, context: () => CliContext): void {
  program
    .command('demo')
    .description('run the main job end to end on a laptop: generate, push, ingest, mask, transform, tag, aggregate')
    .option('-n, --customers <n>', 'customers to generate', String(DEMO_DEFAULTS.customers))
    .option(
      '--keep-plaintext-extracts',
      `keep the generated extracts, which are PLAINTEXT personal data (synthetic), in <state folder>/${KEPT_EXTRACTS_FOLDER} (files 0600); by default they are deleted once pushed`,
    )
    .addOption(engineOption())
    .action(async (options: { customers: string; keepPlaintextExtracts?: boolean; engine: PlanEngine }) => {
      const ctx = context();
      ctx.output.info(`CUR Customer Tagging 2.0: local demo as role ${ctx.role}, state in ${ctx.config.home}`);
      const customers = Number(options.customers);
      await ctx.withRuntime((runtime) =>
        runDemo(ctx, runtime, { customers: Number.isInteger(customers) && customers > 0 ? customers : DEMO_DEFAULTS.customers, keepPlaintextExtracts: options.keepPlaintextExtracts === true, engine: options.engine }),
      );
    });
}
