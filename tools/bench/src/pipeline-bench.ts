/**
 * `npm run bench:pipeline -- --customers 1000000 [--days 1] [--card-activity 10] [--engine spark]`: the whole main job on generated
 * extracts, with rows/s per step, peak memory, and the ratio of the pipeline's time to a plain DuckDB CSV -> Parquet
 * copy of the same input (the engine's limit on this machine), beside the two-zone I/O floor (the same files staged,
 * written to raw and rewritten as transformed, nothing else). `--card-activity 10` gives about ten card
 * transactions per customer (10M for 1M customers). `--engine spark` then runs the same pipeline on the same extracts
 * in a second state folder on local Spark (one Spark process for the run, as `cur run --engine spark`) and records both
 * engines per step, their ratio, and where Spark's time goes (session start, mask and plan requests, the rest).
 * Results are appended to docs/benchmarks.md. Before generating anything it estimates the disk the size needs at its
 * peak (tools/bench/src/disk-estimate.ts) and stops, saying how much is missing, when the temp folder has less free.
 * DuckDB's memory is bounded as in `cur run` (`CUR_MEMORY_LIMIT`, default 4GiB), spilling under the state folder; the
 * baseline and the floor get the same limit. It records the peak RSS of the whole run over all its processes (this one,
 * DuckDB inside it, and every child), the peak while each kind of step ran, the most the SYSTEM scratch area held
 * (DuckDB's spill, the mask step's staged database files), time per input row, and the ratios to the plain copy and
 * to the floor. The pipeline runs before the references and a
 * heartbeat line goes to stderr every minute, so a run cut short has its pipeline's progress in its log.
 *
 * The extracts are generated all UTF-8 for the benchmark, so the DuckDB baseline can read the same files (DuckDB's CSV
 * reader has no Big5); the pipeline's own Big5 path is covered by tests, not timed here.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDbSqlEngine, ENGINE_MEMORY_LIMIT_ENV, SparkProcess, engineMemoryLimitFromEnv, parseEngineMemoryLimit } from '@cur/adapters-local';
import { BatchLedger, createIngestionHandler, objectCreatedEvent, pushBatches } from '@cur/ingestion';
import { KEY_SERVICE_TOKEN_ENV, KeyRing, TokenService, startLoopbackKeyService } from '@cur/masking';
import { DEFAULT_MASK_CONCURRENCY, DUCKDB_DIALECT, PLAN_ENGINES, SparkPlanExecutor, TAG_DEFINITIONS, findWorkspacePython, runPipeline, sparkProcessMaskJob, sweepScratchFolder, type PipelineDependencies, type PlanEngine, type StepRun } from '@cur/pipeline';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import { createRuntime } from '@cur/runtime';
import { generateLandingBatches, writeToDirectory } from '@cur/synthetic';
import { estimateBenchDisk, gigabytes } from './disk-estimate';
import { markKeptExtracts, readKeptExtracts, type ExtractSize } from './kept-extracts';
import { sampleProcessTreeRss } from './process-tree-rss';
import { sampleEvery } from './sample-every';

const USAGE = `usage: npm run bench:pipeline -- [--customers N] [--days N] [--card-activity N] [--engine duckdb|spark]
                                [--mask-concurrency N] [--extracts DIR [--generate-only]]

  --customers N       customers to generate (default 100000)
  --days N            business days of extracts (default 1)
  --card-activity N   about N card transactions per customer (default 1)
  --engine E          duckdb (default), or spark to run the same input on both engines and compare them
  --mask-concurrency N
                      mask steps side by side (default ${DEFAULT_MASK_CONCURRENCY}, as cur run)
  --extracts DIR      keep the generated extracts in DIR and reuse them when DIR already holds this size (the
                      generator is deterministic): a large size is generated once, ahead of the measured run
  --generate-only     with --extracts: generate (or find) the extracts, then stop without running anything
  -h, --help          this text

Appends its results to docs/benchmarks.md. CUR_MEMORY_LIMIT bounds DuckDB's memory (default 4GiB).`;

/** The command line, checked before anything is generated: a typo must not cost a long run with the wrong size. */
function parseBenchArgs(argv: readonly string[]): { customers: number; days: number; cardActivity: number; engine: PlanEngine; maskConcurrency: number; extracts: string | undefined; generateOnly: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      customers: { type: 'string', default: '100000' },
      days: { type: 'string', default: '1' },
      'card-activity': { type: 'string', default: '1' },
      engine: { type: 'string', default: 'duckdb' },
      'mask-concurrency': { type: 'string', default: String(DEFAULT_MASK_CONCURRENCY) },
      extracts: { type: 'string' },
      'generate-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const positive = (flag: string, text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${flag} ${text}: expected a whole number of at least 1`);
    return value;
  };
  if (!(PLAN_ENGINES as readonly string[]).includes(values.engine)) throw new Error(`--engine ${values.engine}: expected one of ${PLAN_ENGINES.join(', ')}`);
  if (values.extracts === '') throw new Error('--extracts: expected a folder');
  if (values['generate-only'] && values.extracts === undefined) throw new Error('--generate-only: needs --extracts DIR, where the extracts are kept');
  return {
    customers: positive('customers', values.customers),
    days: positive('days', values.days),
    cardActivity: positive('card-activity', values['card-activity']),
    engine: values.engine as PlanEngine,
    maskConcurrency: positive('mask-concurrency', values['mask-concurrency']),
    extracts: values.extracts === undefined ? undefined : resolve(values.extracts),
    generateOnly: values['generate-only'],
  };
}

let parsed: ReturnType<typeof parseBenchArgs>;
try {
  parsed = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench:pipeline: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
}
const { customers, days, cardActivity } = parsed;
const size: ExtractSize = { customers, days, cardActivity, seed: 1 };
const kept = parsed.extracts === undefined ? undefined : await readKeptExtracts(parsed.extracts, size);
const compareSpark = parsed.engine === 'spark';
// As `cur run` bounds it: CUR_MEMORY_LIMIT, else the default; the baseline and the floor get the same limit, so the
// whole run's peak RSS is bounded and the ratios compare engines with the same memory.
const memoryLimit = engineMemoryLimitFromEnv();
const seconds = (from: number): number => (performance.now() - from) / 1000;
const log = (text: string): void => void process.stderr.write(`${text}\n`);

// Before writing anything: how much disk this size needs at its peak, against what the temp folder has free. Kept
// extracts are already on disk: the run needs the rest.
const disk = estimateBenchDisk(customers, days, cardActivity);
const neededBytes = parsed.generateOnly ? disk.extractBytes : kept ? disk.neededBytes - disk.extractBytes : disk.neededBytes;
if (parsed.extracts !== undefined) await mkdir(parsed.extracts, { recursive: true });
const { bavail, bsize } = await statfs(parsed.extracts !== undefined && !kept ? parsed.extracts : tmpdir());
const freeBytes = bavail * bsize;
log(`this size writes about ${disk.rows.toLocaleString('en')} rows (${gigabytes(disk.extractBytes)} of extracts${kept ? `, already kept in ${parsed.extracts}` : ''}) and needs about ${gigabytes(neededBytes)} of disk at its peak; ${gigabytes(freeBytes)} free`);
if (freeBytes < neededBytes) {
  log(`not enough disk: free ${gigabytes(neededBytes - freeBytes)} more, or point TMPDIR (and --extracts) at a larger disk`);
  process.exit(1);
}

const work = await mkdtemp(join(tmpdir(), 'cur-bench-'));
// The step kinds running at each moment, so the whole run's RSS (this process and every child: DuckDB runs in it,
// dynalite and Spark beside it) can be charged to what ran when it peaked.
const running = new Map<string, number>();
let phase = 'generate';
const rssSampler = sampleProcessTreeRss(500, () => (running.size > 0 ? running.keys() : [phase]));
const runStarted = performance.now();
// A long run says every minute where it is, so what a run cut short reached is in its log.
const heartbeat = setInterval(() => log(`  [${seconds(runStarted).toFixed(0)} s] ${running.size > 0 ? [...running.keys()].join(', ') : phase}; peak RSS, all processes, so far ${(rssSampler.peak() / 2 ** 20).toFixed(0)} MB; load ${loadavg()[0]?.toFixed(1) ?? ''}`), 60_000);
const extracts = parsed.extracts ?? join(work, 'extracts');
let started = performance.now();
const { summary, generateSeconds } = kept ?? (await generate());
if (kept) log(`reusing the extracts kept in ${extracts}: ${summary.totalRows} rows, ${(summary.totalBytes / 1e6).toFixed(0)} MB (generated in ${generateSeconds.toFixed(1)} s)`);
if (parsed.generateOnly) {
  clearInterval(heartbeat);
  await rssSampler.stop();
  await rm(work, { recursive: true, force: true });
  process.exit(0);
}

async function generate(): Promise<{ summary: Awaited<ReturnType<typeof generateLandingBatches>>; generateSeconds: number }> {
  log(`generating ${customers} customers x ${days} day(s) in ${extracts}`);
  const generated = await generateLandingBatches({ customers, days, seed: size.seed, big5Datasets: [], cardActivity }, writeToDirectory(extracts));
  const took = seconds(started);
  log(`  ${generated.totalRows} rows, ${(generated.totalBytes / 1e6).toFixed(0)} MB in ${took.toFixed(1)} s`);
  if (parsed.extracts !== undefined) await markKeptExtracts(extracts, size, generated, took);
  return { summary: generated, generateSeconds: took };
}

/** What one pipeline run on one engine took. */
interface EngineRun {
  readonly status: string;
  readonly ingestSeconds: number;
  readonly pipelineSeconds: number;
  readonly cpuSeconds: number;
  readonly pipelineStart: number;
  readonly byStep: Map<string, { rows: number; ms: number; from: number; to: number }>;
  /** Spark only: the server's log lines (request ids, kinds, codes, durations; never a value). */
  readonly sparkLog: readonly string[];
  /** The most the SYSTEM scratch area (DuckDB's spill and the pipeline's scratch files) held at once, sampled every 500 ms. */
  readonly peakSpillBytes: number;
  /** The process's largest RSS while the pipeline ran, sampled every 500 ms (maxRSS also counts the baseline's engine). */
  readonly peakPipelineRssBytes: number;
}

/**
 * Samples the bytes of the files under `dir` (every level) and the process's RSS every `everyMs` until stopped, and
 * gives the largest of each seen.
 */
function sampleFolderPeak(dir: string, everyMs: number): { stop(): Promise<number>; peakRss(): number } {
  let peak = 0;
  let rss = 0;
  const sample = async (): Promise<void> => {
    rss = Math.max(rss, process.memoryUsage.rss());
    const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
    const sizes = await Promise.all(names.map((name) => stat(join(dir, name)).then((info) => (info.isFile() ? info.size : 0), () => 0)));
    peak = Math.max(peak, sizes.reduce((sum, size) => sum + size, 0));
  };
  const sampler = sampleEvery(everyMs, sample);
  return {
    async stop() {
      await sampler.stop();
      return peak;
    },
    peakRss: () => rss,
  };
}

/** Pushes and ingests the extracts into a fresh state folder, then runs the pipeline on `engineName`. */
async function runOn(engineName: PlanEngine, home: string): Promise<EngineRun> {
  const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home, POWERTOOLS_LOG_LEVEL: 'ERROR' }));
  const ledger = new BatchLedger(runtime.keyValueStore);
  const landing = runtime.blobStore('landing');
  const events = runtime.events();
  let started = performance.now();
  phase = `${engineName} push + ingest`;
  const handle = createIngestionHandler(() =>
    Promise.resolve({ landing, quarantine: runtime.blobStore('quarantine'), ledger, onAccepted: (batch) => events.publish('Batch Accepted', batch), logger: createLogger({ serviceName: 'bench', logLevel: 'ERROR' }) }),
  );
  for (const pushed of await pushBatches(extracts, landing, { ledger })) {
    if (pushed.status === 'pushed') await handle(objectCreatedEvent('landing', pushed.controlKey, pushed.bytes));
  }
  const ingestSeconds = seconds(started);
  log(`  ${engineName}: push + ingest (verify twice, copy to landing): ${ingestSeconds.toFixed(1)} s`);

  const lake = runtime.localLakeDir ?? '';
  // As `cur run` wires it: the memory limit, spilling to the state folder's SYSTEM scratch area, which exists (owner
  // only) before the engine needs it: DuckDB creates only the last folder of its temp path, and fails the query that
  // spills (an IO Error) when it cannot.
  const scratchArea = runtime.localScratchDir ?? join(home, 'system-scratch');
  const spill = join(scratchArea, 'duckdb-spill');
  await sweepScratchFolder(spill);
  // The pipeline's own scratch files (the mask step's staged database file, Parquet files before upload) go beside the
  // spill, as `cur run` puts them, so the disk they take is measured with it.
  const scratchDir = join(scratchArea, 'pipeline');
  const engine = await DuckDbSqlEngine.open({ threads: 2, memoryLimit, tempDirectory: spill });
  const sparkLog: string[] = [];
  // As `cur run --engine spark` wires it: one Spark process, the key service on loopback for its mask job.
  const keys = engineName === 'spark' ? await startLoopbackKeyService({ service: TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }) }) : undefined;
  const spark = keys ? new SparkProcess({ python: findWorkspacePython(), workDir: join(home, 'spark'), env: { ...process.env, [KEY_SERVICE_TOKEN_ENV]: keys.credential }, onLog: (line) => sparkLog.push(line) }) : undefined;
  const onSpark: Partial<PipelineDependencies> = spark && keys ? { plans: new SparkPlanExecutor(spark), sparkMask: { runMaskJob: sparkProcessMaskJob(spark), keyService: { tokenizeUrl: keys.tokenizeUrl } } } : {};
  const steps: StepRun[] = [];
  started = performance.now();
  const pipelineStart = Date.now();
  // DuckDB's threads run in this process: its CPU time is the pipeline's, JavaScript and engine together (Spark's JVM
  // is another process: not counted).
  const cpuAtStart = process.cpuUsage();
  const spillSampler = sampleFolderPeak(scratchArea, 500);
  phase = `${engineName} pipeline`;
  const run = await runPipeline(
    {
      buckets: { landing, raw: runtime.blobStore('raw'), transformed: runtime.blobStore('transformed'), consumption: runtime.blobStore('consumption'), mart: runtime.blobStore('mart'), system: runtime.blobStore('system') },
      locate: (bucket, key) => join(lake, bucket, ...key.split('/')),
      ledger,
      engine,
      engineMemoryBytes: parseEngineMemoryLimit(memoryLimit),
      scratchDir,
      dialect: DUCKDB_DIALECT,
      policy: createMaskingPolicy(),
      maskers: { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) },
      tags: TAG_DEFINITIONS,
      notifier: runtime.notifier(),
      events,
      ...onSpark,
    },
    {
      maskConcurrency: parsed.maskConcurrency,
      onProgress: (event) => {
        if (event.phase === 'started') running.set(event.step, (running.get(event.step) ?? 0) + 1);
        if (event.phase !== 'finished') return;
        const left = (running.get(event.step) ?? 1) - 1;
        if (left > 0) running.set(event.step, left);
        else running.delete(event.step);
      },
      onStep: (step) => (steps.push(step), log(`  ${engineName}: ${step.status} ${step.step} ${step.target} ${step.rowCount ?? ''} rows ${step.durationMs} ms${step.errorCode ? ` ${step.errorCode}: ${step.error ?? ''}` : ''}`)) },
  );
  const pipelineSeconds = seconds(started);
  running.clear();
  phase = 'closing';
  const peakSpillBytes = await spillSampler.stop();
  const cpu = process.cpuUsage(cpuAtStart);
  await spark?.close();
  await keys?.close();
  await engine.close();
  await runtime.close();

  // Time per kind of step, summed, and when the kind ran: steps overlap.
  const byStep = new Map<string, { rows: number; ms: number; from: number; to: number }>();
  for (const step of steps) {
    const start = Date.parse(step.startedAt ?? '');
    const entry = byStep.get(step.step) ?? { rows: 0, ms: 0, from: Number.POSITIVE_INFINITY, to: 0 };
    const rowsIn = step.counts?.['rowsIn'] ?? step.rowCount ?? 0;
    // A skipped step has no start.
    const [from, to] = Number.isFinite(start) ? [Math.min(entry.from, start), Math.max(entry.to, start + step.durationMs)] : [entry.from, entry.to];
    byStep.set(step.step, { rows: entry.rows + rowsIn, ms: entry.ms + step.durationMs, from, to });
  }
  return { status: run.status, ingestSeconds, pipelineSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, pipelineStart, byStep, sparkLog, peakSpillBytes, peakPipelineRssBytes: spillSampler.peakRss() };
}

/**
 * The references, after the pipeline so that a run too long for its session has its pipeline's progress in the log
 * first: the baseline (DuckDB reads each CSV and writes Parquet, nothing else) and the two-zone I/O floor (the I/O any
 * pipeline that keeps a raw and a transformed copy must do, with no masking, cleanup or checks), against which the
 * masking and checking overhead reads.
 */
async function measureBaselineAndFloor(): Promise<{ baselineSeconds: number; floorSeconds: number }> {
  phase = 'baseline and floor';
  const baseline = await DuckDbSqlEngine.open({ threads: 2, memoryLimit, tempDirectory: join(work, 'baseline-spill') });
  started = performance.now();
  for (const batch of summary.batches) {
    await baseline.execute(`COPY (SELECT * FROM read_csv('${join(extracts, batch.dataFile)}', header = true, all_varchar = true)) TO '${join(work, `${batch.dataFile}.parquet`)}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
  }
  const baselineSeconds = seconds(started);
  log(`  baseline DuckDB CSV -> Parquet: ${baselineSeconds.toFixed(1)} s`);
  started = performance.now();
  for (const batch of summary.batches) {
    const [raw, transformed] = [join(work, `${batch.dataFile}.raw.parquet`), join(work, `${batch.dataFile}.transformed.parquet`)];
    await baseline.execute(`CREATE OR REPLACE TABLE staged AS SELECT * FROM read_csv('${join(extracts, batch.dataFile)}', header = true, all_varchar = true)`);
    await baseline.execute(`COPY (SELECT rowid + 1 AS source_row, * FROM staged) TO '${raw}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
    await baseline.execute(`COPY (SELECT * FROM read_parquet('${raw}')) TO '${transformed}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
    await baseline.execute('DROP TABLE staged');
  }
  const floorSeconds = seconds(started);
  await baseline.close();
  // Their Parquet copies are only timed, never read.
  for (const name of await readdir(work)) if (name.endsWith('.parquet')) await rm(join(work, name), { force: true });
  log(`  two-zone I/O floor (stage, write raw, rewrite transformed): ${floorSeconds.toFixed(1)} s`);
  return { baselineSeconds, floorSeconds };
}

const duck = await runOn('duckdb', join(work, 'home'));
const { ingestSeconds, pipelineSeconds, cpuSeconds, pipelineStart, byStep } = duck;
const run = duck;
const sparkRun = compareSpark ? await runOn('spark', join(work, 'home-spark')) : undefined;
// The state folders' lakes are not needed any more: their disk goes back before the references write theirs.
for (const home of ['home', 'home-spark']) await rm(join(work, home), { recursive: true, force: true });
const { baselineSeconds, floorSeconds } = await measureBaselineAndFloor();
const rss = await rssSampler.stop();
clearInterval(heartbeat);
const runSeconds = seconds(runStarted);
/** MB, or '-' for a step no sample caught (it ran under 500 ms, or reports no progress). */
const mb = (bytes: number): string => (bytes > 0 ? (bytes / 2 ** 20).toFixed(0) : '-');
/** Issue 18's budget for the whole run's peak RSS, whatever the input's size. */
const RSS_BUDGET_BYTES = 8 * 2 ** 30;
/** Microseconds per input row. */
const perRow = (secondsTaken: number): string => ((secondsTaken / summary.totalRows) * 1e6).toFixed(2);
const total = ingestSeconds + pipelineSeconds;
const cardRows = summary.batches.filter((b) => b.dataset === 'card_transaction').reduce((sum, b) => sum + b.rowCount, 0);
const lines = [
  '',
  `### Pipeline, ${customers.toLocaleString('en')} customers x ${days} day(s)${cardActivity === 1 ? '' : `, card activity x${cardActivity}`}, ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Input: ${summary.totalRows.toLocaleString('en')} rows (${cardRows.toLocaleString('en')} card transactions), ${(summary.totalBytes / 1e6).toFixed(0)} MB. Run status: ${run.status}.${parsed.maskConcurrency === DEFAULT_MASK_CONCURRENCY ? '' : ` Mask steps side by side: ${parsed.maskConcurrency} (--mask-concurrency; cur run: ${DEFAULT_MASK_CONCURRENCY}).`}`,
  '',
  '| step | rows in | time (s) | rows/s | span in the pipeline (s) | peak RSS while it ran, all processes (MB) |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  `| generate (not part of the pipeline${kept ? '; kept from an earlier run' : ''}) | ${summary.totalRows} | ${generateSeconds.toFixed(1)} | ${Math.round(summary.totalRows / generateSeconds)} | | ${kept ? '-' : mb(rss.byLabel.get('generate') ?? 0)} |`,
  `| push + ingest (verify, ledger) | ${summary.totalRows} | ${ingestSeconds.toFixed(1)} | ${Math.round(summary.totalRows / ingestSeconds)} | | ${mb(rss.byLabel.get('duckdb push + ingest') ?? 0)} |`,
  // Steps overlap (two masks at a time, each batch's transform as soon as it is masked): time is summed over a kind's
  // steps, under contention; the span says when in the pipeline they ran.
  ...[...byStep].map(([step, { rows, ms, from, to }]) => {
    const span = Number.isFinite(from) ? `${((from - pipelineStart) / 1000).toFixed(1)}-${((to - pipelineStart) / 1000).toFixed(1)}` : '';
    return `| ${step} | ${rows} | ${(ms / 1000).toFixed(1)} | ${Math.round(rows / (ms / 1000))} | ${span} | ${mb(rss.byLabel.get(step) ?? 0)} |`;
  }),
  `| **pipeline (mask -> mart, DQ gates)** | ${summary.totalRows} | ${pipelineSeconds.toFixed(1)} | ${Math.round(summary.totalRows / pipelineSeconds)} | | ${mb(duck.peakPipelineRssBytes)} |`,
  `| **push + ingest + pipeline** | ${summary.totalRows} | ${total.toFixed(1)} | ${Math.round(summary.totalRows / total)} | | |`,
  `| baseline: DuckDB CSV -> Parquet copy | ${summary.totalRows} | ${baselineSeconds.toFixed(1)} | ${Math.round(summary.totalRows / baselineSeconds)} | | ${mb(rss.byLabel.get('baseline and floor') ?? 0)} |`,
  `| two-zone I/O floor: stage, write raw, rewrite as transformed (no masking or checks) | ${summary.totalRows} | ${floorSeconds.toFixed(1)} | ${Math.round(summary.totalRows / floorSeconds)} | | (with the baseline) |`,
  '',
  `Time per input row: pipeline ${perRow(pipelineSeconds)} us, with push + ingest ${perRow(total)} us; the plain copy ${perRow(baselineSeconds)} us, the two-zone floor ${perRow(floorSeconds)} us. Ratios: pipeline / plain copy ${(pipelineSeconds / baselineSeconds).toFixed(2)}x, pipeline / two-zone floor ${(pipelineSeconds / floorSeconds).toFixed(2)}x (with push + ingest ${(total / baselineSeconds).toFixed(2)}x and ${(total / floorSeconds).toFixed(2)}x). Peak RSS of the whole run, all processes (this one, with DuckDB in it, and its children; sampled every 500 ms over ${runSeconds.toFixed(0)} s): ${mb(rss.peakBytes)} MB (${rss.peakBytes <= RSS_BUDGET_BYTES ? 'within' : 'over'} the 8 GiB budget; DuckDB's memory_limit ${memoryLimit}); spill and scratch bytes: the SYSTEM scratch area (DuckDB's spill, the mask step's staged database files, Parquet files before upload) held at most ${(duck.peakSpillBytes / 1e6).toFixed(0)} MB during the pipeline. Load average at the end (shared machine): ${loadavg().map((n) => n.toFixed(1)).join(', ')}.`,
  '',
  `Ratio to the engine limit: pipeline ${(pipelineSeconds / baselineSeconds).toFixed(1)}x, with push + ingest ${(total / baselineSeconds).toFixed(1)}x (target <= 4); the two-zone I/O floor alone is ${(floorSeconds / baselineSeconds).toFixed(1)}x. Peak memory (RSS) of this process alone: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; while the pipeline ran: ${(duck.peakPipelineRssBytes / 2 ** 20).toFixed(0)} MB (sampled every 500 ms), with DuckDB's memory_limit at ${memoryLimit} (${process.env[ENGINE_MEMORY_LIMIT_ENV] ? `${ENGINE_MEMORY_LIMIT_ENV}=${process.env[ENGINE_MEMORY_LIMIT_ENV]}` : 'the default'}); the SYSTEM scratch area held at most ${(duck.peakSpillBytes / 1e6).toFixed(0)} MB (sampled every 500 ms). CPU: ${cpuSeconds.toFixed(1)} s in ${pipelineSeconds.toFixed(1)} s of pipeline, ${(cpuSeconds / pipelineSeconds).toFixed(2)} of ${cpus().length} cores busy on average.`,
  ...(sparkRun ? sparkLines(duck, sparkRun) : []),
];

/** The two engines side by side, and where Spark's time goes, from its server's log (durations only). */
function sparkLines(duckdb: EngineRun, spark: EngineRun): string[] {
  const kinds = [...new Set([...duckdb.byStep.keys(), ...spark.byStep.keys()])];
  const requests = spark.sparkLog.flatMap((line) => {
    const match = /request \S+ kind (\S+): (\S+) in (\d+) ms/.exec(line);
    return match ? [{ kind: match[1] ?? '', outcome: match[2] ?? '', ms: Number(match[3]) }] : [];
  });
  const sessionMs = Number(/session started in (\d+) ms/.exec(spark.sparkLog.join('\n'))?.[1] ?? 0);
  const sum = (kind: string): number => requests.filter((r) => r.kind === kind).reduce((n, r) => n + r.ms, 0) / 1000;
  const count = (kind: string): number => requests.filter((r) => r.kind === kind).length;
  const stepSeconds = (run: EngineRun, step: string): number => (run.byStep.get(step)?.ms ?? 0) / 1000;
  const inSpark = sum('mask') + sum('plan');
  return [
    '',
    `Engines side by side (\`--engine spark\`): the same extracts pushed into a second state folder and run on local Spark (pyspark 3.5.6, \`local[2]\`, one Spark process for the run; Spark's status: ${spark.status}).`,
    '',
    '| step | DuckDB (s) | Spark (s) | Spark / DuckDB |',
    '| --- | ---: | ---: | ---: |',
    ...kinds.map((step) => `| ${step} | ${stepSeconds(duckdb, step).toFixed(1)} | ${stepSeconds(spark, step).toFixed(1)} | ${(stepSeconds(spark, step) / Math.max(stepSeconds(duckdb, step), 0.001)).toFixed(1)}x |`),
    `| **pipeline** | ${duckdb.pipelineSeconds.toFixed(1)} | ${spark.pipelineSeconds.toFixed(1)} | ${(spark.pipelineSeconds / duckdb.pipelineSeconds).toFixed(1)}x |`,
    '',
    `Where Spark's time goes (${spark.pipelineSeconds.toFixed(1)} s): starting the session (JVM, SparkSession) ${(sessionMs / 1000).toFixed(1)} s, inside the first request; ${count('mask')} mask requests ${sum('mask').toFixed(1)} s (CSV read, distinct values, tokenize calls to the key service on loopback, joins, one Parquet file each); ${count('plan')} plan requests ${sum('plan').toFixed(1)} s (transform, consumption, mart); outside Spark ${Math.max(spark.pipelineSeconds - inSpark, 0).toFixed(1)} s (DQ gates and the serving load on DuckDB, hashing and uploading outputs, manifests). The step times above are summed per kind and overlap (masks run two at a time, but the Spark process answers one request at a time).`,
  ];
}
const docs = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const existing = await readFile(docs, 'utf8').catch(() => '# Benchmarks\n\nFigures measured with `npm run bench:*`; each section says the machine and date.\n');
await writeFile(docs, `${existing.trimEnd()}\n${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
await rm(work, { recursive: true, force: true });

