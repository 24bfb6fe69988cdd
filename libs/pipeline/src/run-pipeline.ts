import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { BatchAccepted } from '@cur/contracts';
import { DATASET_NAMES } from '@cur/contracts';
import type { BatchLedger } from '@cur/ingestion';
import type { MaskerDependencies } from '@cur/masking';
import type { BlobStore, EventPublisher, KeyValueStore, Notifier, SqlEngine } from '@cur/platform';
import { loadServingStore, type ServingLoadResult } from '@cur/serving';
import { isCurError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { ManifestStore, type Manifest } from '@cur/lake';
import { createContentVerifier, manifestKey } from '@cur/lake';
import type { SqlDialect } from './sql/sql-dialect';
import { DuckDbPlanExecutor, type PlanEngine, type PlanExecutor } from './plan/plan-executor';
import { runConsumptionStep } from './steps/consumption-step';
import { runMartStep } from './steps/mart-step';
import { maskStagingFor, runMaskStep } from './steps/mask-step';
import { runMaskStepOnSpark, type SparkMaskJobRunner, type SparkMaskKeyService } from './steps/mask-step-on-spark';
import { runTransformStep } from './steps/transform-step';
import { MODEL_TAGS_DATASET, runScoringStep, type ModelScoringPort } from './steps/scoring-step';
import type { TagDefinition } from './tags/tag-definitions';
import { runQualityGate, type KAnonymityGateOptions, type QualityGateDependencies, type QualityGateResult } from './steps/quality-gate';
import { uniqueKeysGuaranteedBy } from './steps/step-guarantees';
import { makeFallbackScratch, sweepScratchFolder } from './scratch/scratch-folder';
import type { StepProgress } from './progress/step-progress';
import { attemptWithRetries } from './orchestration/attempt-with-retries';
import { localRunPlan, type LocalRunPlan, type PipelineTaskGraph } from './orchestration/local-run-plan';
import type { StepMetrics } from './metrics/step-metrics';

/** Everything the pipeline runs with. */
export interface PipelineDependencies {
  readonly buckets: { readonly landing: BlobStore; readonly raw: BlobStore; readonly transformed: BlobStore; readonly consumption: BlobStore; readonly mart: BlobStore; readonly system: BlobStore };
  /** Where the engine reads an object of a bucket: a local path, or an s3:// URI in Glue. */
  readonly locate: (bucket: 'landing' | 'raw' | 'transformed' | 'consumption' | 'mart', key: string) => string;
  readonly ledger: BatchLedger;
  /** The DuckDB session: the mask step, the DQ gates, the serving load, and the plans unless `plans` is given. */
  readonly engine: SqlEngine;
  /** The DuckDB session's spelling. */
  readonly dialect: SqlDialect;
  /**
   * The DuckDB session's `memory_limit` in bytes: the mask step stages batches up to 30% of it in memory (faster),
   * larger ones in parts or in a compressed database file, in pieces sized to it ({@link maskStagingFor}). Without
   * it, every batch stages in a file.
   */
  readonly engineMemoryBytes?: number;
  /**
   * Runs the transform, consumption and mart plans: `SparkPlanExecutor` for `cur run --engine spark`.
   * @default a `DuckDbPlanExecutor` on `engine`
   */
  readonly plans?: PlanExecutor;
  /**
   * Masks on Spark (`runMaskStepOnSpark`): the job runner (the run's Spark process) and the key service it tokenises
   * through. @default the mask step on the DuckDB session (`runMaskStep`)
   */
  readonly sparkMask?: { readonly runMaskJob: SparkMaskJobRunner; readonly keyService: SparkMaskKeyService };
  readonly policy: MaskingPolicy;
  readonly maskers: MaskerDependencies;
  readonly tags: readonly TagDefinition[];
  readonly notifier: Notifier;
  readonly events: EventPublisher;
  /** Rows per step as a CloudWatch metric (`RowsWritten`, EMF), published as each step succeeds. @default none */
  readonly stepMetrics?: StepMetrics;
  /** Receives each DQ evaluation event (what Glue Data Quality emits); locally the dq-notifier's handler. */
  readonly onDqEvaluated?: QualityGateDependencies['onEvaluated'];
  /** @default the DQDL ruleset files of libs/dq */
  readonly rulesetFor?: QualityGateDependencies['rulesetFor'];
  /**
   * The consumption gate's k-anonymity check of each human role's view (libs/privacy).
   * @default k >= 5 as a `warning`
   */
  readonly kAnonymity?: KAnonymityGateOptions;
  /** The `serving` table; when given, each business date ends by loading the serving store the retrieval API reads. */
  readonly servingStore?: KeyValueStore;
  /**
   * A folder of the pipeline's own for short-lived files: a Big5 batch's UTF-8 copy (plaintext), Parquet files before
   * upload. Emptied at the start of every run, since whatever is there was left by a killed run. Locally the CLI passes
   * a folder of the state folder's SYSTEM area, so no plaintext ever lands in the OS temp folder.
   * @default a fresh owner-only folder under the OS temp folder, removed when the run ends (Glue's or Lambda's local
   * disk, which goes with the worker)
   */
  readonly scratchDir?: string;
  /**
   * Scores the consumption layer with the promoted model version (`runScoringStep`) after the consumption gates: the
   * CLI's `python -m cur_model.score`. Skipped, saying so in the run log, while no version is promoted.
   * @default no scoring step
   */
  readonly scoring?: ModelScoringPort;
  /**
   * The task graph to run: the MWAA DAG's, generated from the pipeline definition (the CLI passes libs/lineage's
   * `airflowDagGraph`, what libs/pipeline-dag/pipeline-graph.json holds), so a change to the definition changes the
   * DAG and `cur run` alike. It decides which datasets are masked and transformed (and in which order a date's
   * transforms run), which DQ gates run, which transforms consumption waits for, and whether consumption, the mart
   * and the serving load run; a graph the runner cannot run is refused before anything starts
   * (`TASK_GRAPH_UNSUPPORTED`, see `localRunPlan`).
   * @default every step of the definition on every source dataset, every gate with a ruleset (the library's tests)
   */
  readonly taskGraph?: PipelineTaskGraph;
}

/** The status of one step run. */
export interface StepRun {
  readonly step: string;
  readonly target: string;
  /** `cancelled`: the run was told to stop (Ctrl-C, SIGTERM) while this step ran or waited to retry. */
  readonly status: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  /** Attempts really made: 1 for a deterministic error, which is never retried. */
  readonly attempts: number;
  /** When the step's first attempt began, ISO; steps may overlap (mask steps run side by side). */
  readonly startedAt?: string;
  readonly durationMs: number;
  readonly rowCount?: number;
  readonly counts?: Readonly<Record<string, number>>;
  readonly errorCode?: string;
  readonly error?: string;
}

/** A whole run: written to the system bucket as `runs/<runId>.json`. */
export interface PipelineRun {
  readonly runId: string;
  /** Which engine ran each kind of step: `sparkMask`'s or DuckDB for mask, the plans' executor for the others. */
  readonly engines: Readonly<Record<'mask' | 'transform' | 'consumption' | 'mart', PlanEngine>>;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly businessDates: string[];
  readonly steps: StepRun[];
  /**
   * `cancelled` when the run was told to stop and work was left undone: what finished is published, nothing is
   * half-published, and a rerun (`cur run --date D` for each of `businessDates`) picks up the rest.
   */
  readonly status: 'succeeded' | 'failed' | 'cancelled';
}

/** Mask steps side by side when a run does not say: while JavaScript masks one batch's values, the engine works on another's. */
export const DEFAULT_MASK_CONCURRENCY = 2;

/** Options of {@link runPipeline}. */
export interface RunPipelineOptions {
  /** Re-run transform, consumption and mart for this date even if no new batch arrived. */
  readonly businessDate?: string;
  /** Mask steps run side by side. @default {@link DEFAULT_MASK_CONCURRENCY} */
  readonly maskConcurrency?: number;
  /** Attempts per step before it counts as failed; only transient errors are retried (`isTransientError`). @default 3 */
  readonly attempts?: number;
  /** First retry delay; doubles each time. @default 200 ms */
  readonly backoffMs?: number;
  readonly onStep?: (step: StepRun) => void;
  /**
   * Live progress of each step (started, rows done, finished), for a terminal or log lines: counts and names only.
   * The mask step knows its batch's row count up front; the serving load reports after each chunk it writes.
   */
  readonly onProgress?: (event: StepProgress) => void;
  /**
   * Stops the run at its next safe point once it fires (the CLI's Ctrl-C and SIGTERM): no step starts after it,
   * steps in flight finish (the serving load stops between chunks and releases its lease), and the run log is
   * written with status `cancelled`.
   */
  readonly signal?: AbortSignal;
}

/**
 * Runs the pipeline in dependency order: mask every accepted batch and transform each as soon as it is masked, then
 * for each business date touched build the consumption layer and the mart. A step retries transient errors with
 * backoff (a deterministic one fails at its first attempt); a step that still fails stops what depends on it, is
 * recorded in the run log with its real attempt count, and is notified on the pipeline-failures topic. When
 * `options.signal` fires the run stops at its next safe point and logs itself `cancelled`.
 */
export async function runPipeline(deps: PipelineDependencies, options: RunPipelineOptions = {}): Promise<PipelineRun> {
  // Refused before the scratch area is swept or anything starts.
  const plan = deps.taskGraph ? localRunPlan(deps.taskGraph) : undefined;
  if (deps.scratchDir !== undefined) {
    await sweepScratchFolder(deps.scratchDir);
    return runInScratch(deps, options, deps.scratchDir, plan);
  }
  const scratchDir = await makeFallbackScratch();
  try {
    return await runInScratch(deps, options, scratchDir, plan);
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

async function runInScratch(deps: PipelineDependencies, options: RunPipelineOptions, scratchDir: string, plan: LocalRunPlan | undefined): Promise<PipelineRun> {
  /** Without a task graph, everything runs: every source dataset, every gate (a dataset without a ruleset passes). */
  const graph = {
    masks: (dataset: string): boolean => plan?.masks.has(dataset) ?? true,
    gates: (zone: string, dataset: string): boolean => !plan || plan.gates.has(`${zone}/${dataset}`) || !plan.datasets.has(dataset),
    transforms: plan?.transforms ?? DATASET_NAMES,
    consumptionAfter: plan?.consumptionAfter ?? DATASET_NAMES,
    consumption: plan?.consumption ?? true,
    score: plan?.score ?? true,
    mart: plan?.mart ?? true,
    serving: plan?.serving ?? true,
  };
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  // Every manifest a step is handed has been checked against its files: a file changed after publication stops the run.
  const verify = createContentVerifier((zone) => (zone === 'landing' ? deps.buckets.landing : deps.buckets[zone]));
  const manifests = new ManifestStore(deps.buckets.system, { verify });
  const plans = deps.plans ?? new DuckDbPlanExecutor(deps.engine);
  const steps: StepRun[] = [];
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 200;
  const { signal } = options;
  // Set when the signal stopped work that was still to do: the run is then `cancelled`, whatever finished.
  let cut = false;
  /** A safe point: true (and the run marked cut) once the signal has fired; the caller starts nothing more. */
  const stopping = (): boolean => {
    if (signal?.aborted) cut = true;
    return cut;
  };

  /** Reports a step's progress; `advance` is handed to its work, which may call it as rows get done. */
  const progressOf = (step: string, target: string, rowsTotal: number | undefined) => {
    let last: { rowsDone: number; rowsTotal?: number } = { rowsDone: 0, ...(rowsTotal === undefined ? {} : { rowsTotal }) };
    const emit = (event: Omit<StepProgress, 'step' | 'target'>): void => options.onProgress?.({ step, target, ...event });
    return {
      start: () => emit({ phase: 'started', ...last }),
      advance: (rowsDone: number, total?: number) => {
        last = { rowsDone, ...(total === undefined ? (last.rowsTotal === undefined ? {} : { rowsTotal: last.rowsTotal }) : { rowsTotal: total }) };
        emit({ phase: 'advanced', ...last });
      },
      finish: (entry: StepRun) => emit({ phase: 'finished', status: entry.status, rowsDone: last.rowsDone > 0 ? last.rowsDone : (entry.rowCount ?? 0), ...(last.rowsTotal === undefined ? {} : { rowsTotal: last.rowsTotal }) }),
    };
  };

  const run = async <T>(step: string, target: string, work: (advance: (rowsDone: number, rowsTotal?: number) => void) => Promise<T>, describe: (result: T) => Partial<StepRun>, rowsTotal?: number): Promise<T | undefined> => {
    if (stopping()) return undefined;
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const progress = progressOf(step, target, rowsTotal);
    progress.start();
    const outcome = await attemptWithRetries(() => work(progress.advance), { attempts, backoffMs: backoff, ...(signal ? { signal } : {}) });
    if (outcome.kind === 'succeeded') {
      const entry: StepRun = { step, target, status: 'succeeded', attempts: outcome.attempts, startedAt, durationMs: Date.now() - started, ...describe(outcome.result) };
      steps.push(entry);
      progress.finish(entry);
      options.onStep?.(entry);
      // A metric that cannot be published never fails the step it counts: the run log has the rows too.
      if (deps.stepMetrics) await deps.stepMetrics.record(entry, runId).catch(() => undefined);
      return outcome.result;
    }
    if (outcome.kind === 'cancelled') {
      cut = true;
      const entry: StepRun = { step, target, status: 'cancelled', attempts: outcome.attempts, startedAt, durationMs: Date.now() - started, errorCode: 'CANCELLED', error: 'stopped at a safe point; nothing of this step was published' };
      progress.finish(entry);
      if (outcome.attempts > 0) {
        steps.push(entry);
        options.onStep?.(entry);
      }
      return undefined;
    }
    const lastError = outcome.error;
    const code = isCurError(lastError) ? lastError.code : 'STEP_FAILED';
    const message = lastError instanceof Error ? lastError.message : String(lastError);
    const entry: StepRun = { step, target, status: 'failed', attempts: outcome.attempts, startedAt, durationMs: Date.now() - started, errorCode: code, error: message };
    steps.push(entry);
    progress.finish(entry);
    options.onStep?.(entry);
    await deps.notifier
      .publish('pipeline-failures', { subject: `CUR pipeline: ${step} failed for ${target}`.slice(0, 100), body: `Run ${runId}: step ${step} for ${target} failed after ${entry.attempts} attempt(s) with ${code}. See cur status and runs/${runId}.json.`, attributes: { step, code } })
      .catch(() => undefined);
    return undefined;
  };
  const skip = (step: string, target: string, reason: string): void => {
    const entry: StepRun = { step, target, status: 'skipped', attempts: 0, durationMs: 0, error: reason };
    steps.push(entry);
    options.onStep?.(entry);
  };

  const gateDeps: QualityGateDependencies = {
    system: deps.buckets.system,
    manifests,
    engine: deps.engine,
    locate: deps.locate,
    runId,
    ...(deps.onDqEvaluated ? { onEvaluated: deps.onDqEvaluated } : {}),
    ...(deps.rulesetFor ? { rulesetFor: deps.rulesetFor } : {}),
    kAnonymity: { ...deps.kAnonymity, policy: deps.policy },
    uniqueByConstruction: (manifest) => uniqueKeysGuaranteedBy(manifest, { runId, maskEngine: deps.sparkMask ? 'spark' : 'duckdb' }),
  };
  /** Runs the DQ gate of an output; false when a blocking rule failed (downstream steps must not run). */
  const gate = async (zone: 'raw' | 'transformed' | 'consumption', dataset: string, businessDate: string): Promise<boolean> => {
    if (stopping()) return false;
    if (!graph.gates(zone, dataset)) return true;
    const started = Date.now();
    let result: QualityGateResult | undefined;
    try {
      result = await runQualityGate(gateDeps, zone, dataset, businessDate);
    } catch (error) {
      const entry: StepRun = { step: 'dq', target: `${zone}/${dataset}/${businessDate}`, status: 'failed', attempts: 1, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, errorCode: isCurError(error) ? error.code : 'DQ_ERROR', error: error instanceof Error ? error.message : String(error) };
      steps.push(entry);
      options.onStep?.(entry);
      return false;
    }
    if (!result) return true;
    const entry: StepRun = {
      step: 'dq',
      target: `${zone}/${dataset}/${businessDate}`,
      status: result.blocked ? 'failed' : 'succeeded',
      attempts: 1,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      rowCount: result.rules,
      counts: { rules: result.rules, failed: result.failed },
      ...(result.blocked ? { errorCode: 'DQ_BLOCKED', error: `${result.failed} rule(s) failed, at least one blocking` } : {}),
    };
    steps.push(entry);
    options.onStep?.(entry);
    return !result.blocked;
  };

  /** Transforms a dataset for a date and gates the output; false when either failed. */
  const transformAndGate = async (dataset: string, businessDate: string): Promise<boolean> => {
    const target = `${dataset}/${businessDate}`;
    const done = await run('transform', target, () => runTransformStep({ raw: deps.buckets.raw, transformed: deps.buckets.transformed, manifests, plans, engine: deps.engine, policy: deps.policy, locate: deps.locate, runId, scratchDir }, dataset, businessDate), (m: Manifest) => ({ rowCount: m.rowCount, counts: m.counts }));
    return Boolean(done) && (await gate('transformed', dataset, businessDate));
  };

  /**
   * Scores the date's customers with the promoted version and gates the model tags. While none is promoted the step
   * and its gate are skipped, as Airflow skips the DAG's score task and its gate; false when either failed, which
   * stops the mart as the DAG's failed upstream would.
   */
  const scoreAndGate = async (scoring: ModelScoringPort, businessDate: string): Promise<boolean> => {
    const work = async (): Promise<Manifest | undefined> => {
      const version = await scoring.scoringVersion();
      return version ? runScoringStep({ consumption: deps.buckets.consumption, manifests, scoring, locate: deps.locate, runId, scratchDir }, version, businessDate) : undefined;
    };
    const unpromoted = 'no model version is promoted for scoring (cur model promote VERSION)';
    const scored = await run('score', businessDate, work, (m) => (m ? { rowCount: m.rowCount, counts: m.counts } : { status: 'skipped', attempts: 0, error: unpromoted }));
    if (scored === undefined) {
      const skipped = steps.at(-1)?.step === 'score' && steps.at(-1)?.status === 'skipped';
      if (skipped && graph.gates('consumption', MODEL_TAGS_DATASET)) skip('dq', `consumption/${MODEL_TAGS_DATASET}/${businessDate}`, 'the score step was skipped: no model version is promoted');
      return skipped;
    }
    if (!(await gate('consumption', MODEL_TAGS_DATASET, businessDate))) return false;
    await deps.events.publish('Layer Published', { step: 'score', zone: 'consumption', datasets: [MODEL_TAGS_DATASET], businessDate, manifestKey: manifestKey('consumption', MODEL_TAGS_DATASET, businessDate), rowCount: scored.rowCount });
    return true;
  };

  // 1. mask every accepted batch (landing -> raw), a few side by side, each in its own engine session: while
  // JavaScript masks one batch's values, the engine parses and writes another's. As soon as a batch is masked, its raw
  // gate and then its transform are queued on the main session, so they use what the masks leave of the machine. DQ
  // gates and transforms take turns there (they share its views); a blocking raw rule stops the dataset's transform.
  const dates = new Set<string>(options.businessDate ? [options.businessDate] : []);
  const accepted: BatchAccepted[] = [];
  for (const { record } of await deps.ledger.list()) {
    if (record?.status !== 'ACCEPTED') continue;
    // A dataset the task graph does not mask stays ACCEPTED: a run with a graph that masks it picks it up.
    if (!graph.masks(record.dataset)) continue;
    accepted.push({ batchId: record.batchId, dataset: record.dataset, businessDate: record.businessDate, rowCount: record.rowCount, dataKey: record.dataKey, controlKey: record.controlKey });
  }
  // Largest first: the biggest batch's mask -> transform chain is the run's critical path, the small ones fill in.
  accepted.sort((a, b) => b.rowCount - a.rowCount);
  const onMainSession = inTurn();
  const transforms = new Map<string, Promise<boolean>>();
  const transformKey = (dataset: string, businessDate: string): string => `${dataset}/${businessDate}`;
  await forEachConcurrently(accepted, options.maskConcurrency ?? DEFAULT_MASK_CONCURRENCY, async (batch) => {
    // A batch not started stays ACCEPTED in the ledger: the next run masks it.
    if (stopping()) return;
    const engine = await deps.engine.fork();
    try {
      const maskDeps = { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests, ledger: deps.ledger, engine, policy: deps.policy, maskers: deps.maskers, runId, scratchDir, landingPath: (key: string) => deps.locate('landing', key), ...maskStagingFor(deps.engineMemoryBytes) };
      const sparkMask = deps.sparkMask;
      const mask = sparkMask
        ? () => runMaskStepOnSpark({ landing: deps.buckets.landing, raw: deps.buckets.raw, manifests, ledger: deps.ledger, policy: deps.policy, runId, scratchDir, landingPath: maskDeps.landingPath, ...sparkMask }, batch)
        : () => runMaskStep(maskDeps, batch);
      const masked = await run('mask', batch.batchId, mask, (m: Manifest) => ({ rowCount: m.rowCount, counts: m.counts }), batch.rowCount);
      if (!masked) {
        if (!stopping()) await deps.ledger.setStatus(batch.batchId, 'ACCEPTED', 'FAILED').catch(() => undefined);
        return;
      }
      dates.add(batch.businessDate);
      const queued = onMainSession(() => gate('raw', batch.dataset, batch.businessDate)).then((passed) => {
        if (passed) return onMainSession(() => transformAndGate(batch.dataset, batch.businessDate));
        if (!stopping()) skip('transform', transformKey(batch.dataset, batch.businessDate), 'a blocking DQ rule failed on the raw zone');
        return false;
      });
      // Awaited after the masks; marked handled now so a failure waits there instead of ending the process.
      queued.catch(() => undefined);
      transforms.set(transformKey(batch.dataset, batch.businessDate), queued);
    } finally {
      await engine.close();
    }
  });
  await Promise.allSettled(transforms.values());

  // 2. per business date: the transforms not queued above (raw partitions of earlier runs), then consumption -> mart
  for (const businessDate of [...dates].sort()) {
    if (stopping()) break;
    // Only the transforms consumption waits for in the graph hold it back.
    let transformedAll = true;
    for (const dataset of graph.transforms) {
      const needed = graph.consumptionAfter.includes(dataset);
      const queued = transforms.get(transformKey(dataset, businessDate));
      if (queued) {
        if (!(await queued) && needed) transformedAll = false;
        continue;
      }
      if (!(await manifests.has('raw', dataset, businessDate))) {
        skip('transform', transformKey(dataset, businessDate), 'no raw partition for this date');
        continue;
      }
      if (!(await transformAndGate(dataset, businessDate)) && needed) transformedAll = false;
    }
    if (stopping()) break;
    if (!graph.consumption) continue;
    if (!transformedAll) {
      skip('consumption', businessDate, 'a transform step or a blocking DQ rule failed');
      skip('mart', businessDate, 'a transform step or a blocking DQ rule failed');
      continue;
    }
    const consumption = await run('consumption', businessDate, () => runConsumptionStep({ consumption: deps.buckets.consumption, manifests, plans, policy: deps.policy, tags: deps.tags, locate: deps.locate, runId, scratchDir }, businessDate), (m: Manifest[]) => ({ rowCount: m[0]?.rowCount ?? 0, counts: Object.fromEntries(m.map((x) => [x.dataset, x.rowCount])) }));
    let consumptionPassed = Boolean(consumption);
    for (const manifest of consumption ?? []) if (!(await gate('consumption', manifest.dataset, businessDate))) consumptionPassed = false;
    if (stopping()) break;
    if (!consumption || !consumptionPassed) {
      skip('mart', businessDate, consumption ? 'a blocking DQ rule failed on the consumption layer' : 'the consumption step failed');
      continue;
    }
    for (const manifest of consumption) {
      await deps.events.publish('Layer Published', { step: 'consumption', zone: 'consumption', datasets: [manifest.dataset], businessDate, manifestKey: manifestKey('consumption', manifest.dataset, businessDate), rowCount: manifest.rowCount });
    }
    // Model tags beside the rule-based ones; the mart and the serving load read them only if this run wrote them.
    if (deps.scoring && graph.score && !(await scoreAndGate(deps.scoring, businessDate))) {
      if (!stopping()) skip('mart', businessDate, 'the score step or its blocking DQ rule failed');
      continue;
    }
    if (!graph.mart) continue;
    const mart = await run('mart', businessDate, () => runMartStep({ mart: deps.buckets.mart, manifests, plans, locate: deps.locate, runId, scratchDir }, businessDate), (m: Manifest[]) => ({ rowCount: m[0]?.rowCount ?? 0, counts: Object.fromEntries(m.map((x) => [x.dataset, x.rowCount])) }));
    // The mart is replicated to Oracle as the consumption layer is: the oracle-replicator listens for both.
    for (const manifest of mart ?? []) {
      await deps.events.publish('Layer Published', { step: 'mart', zone: 'mart', datasets: [manifest.dataset], businessDate, manifestKey: manifestKey('mart', manifest.dataset, businessDate), rowCount: manifest.rowCount });
    }
    const servingStore = deps.servingStore;
    if (mart && servingStore && graph.serving) {
      await run(
        'serving',
        businessDate,
        (advance) => loadServingStore({ store: servingStore, system: deps.buckets.system, verify, engine: deps.engine, locate: deps.locate, tagCatalog: deps.tags }, { businessDate, onProgress: ({ rowsDone, rowsTotal }) => advance(rowsDone, rowsTotal), ...(signal ? { signal } : {}) }),
        (loaded: ServingLoadResult) => ({ rowCount: loaded.customers, counts: { customers: loaded.customers, tagAssignments: loaded.tagAssignments, itemsWritten: loaded.itemsWritten } }),
      );
    }
  }

  const result: PipelineRun = {
    runId,
    engines: { mask: deps.sparkMask ? 'spark' : 'duckdb', transform: plans.engine, consumption: plans.engine, mart: plans.engine },
    startedAt,
    finishedAt: new Date().toISOString(),
    businessDates: [...dates].sort(),
    steps,
    status: cut ? 'cancelled' : steps.some((step) => step.status === 'failed') ? 'failed' : 'succeeded',
  };
  await deps.buckets.system.put(`runs/${runId}.json`, `${JSON.stringify(result, null, 2)}\n`, { contentType: 'application/json' });
  return result;
}

/** Runs `work` for every item, at most `limit` at a time, in the items' order of start. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** A lock: each call waits for the previous one to finish (the shared engine session's views are not reentrant). */
function inTurn(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };
}
