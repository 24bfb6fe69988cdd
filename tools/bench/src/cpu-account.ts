/**
 * Where the pipeline's CPU goes, step by step and inside the mask step, against the two-zone I/O floor's:
 * `npx tsx tools/bench/src/cpu-account.ts --extracts DIR [--memory 4GiB] [--datasets NAME,... --mask-only]`.
 *
 * `cur run` overlaps its steps (two masks at once, gates and transforms beside them), so on a machine whose cores it
 * keeps busy its wall time is bounded below by its CPU time over the cores, and only less CPU makes it faster. This
 * tool runs the same work one step at a time on one DuckDB (two threads, as `cur run`), so each step's CPU time
 * (this process's: JavaScript and DuckDB's threads) can be read on its own: each batch's mask step with its phases,
 * each raw gate, then `runPipeline` for the date (transforms, transformed gates, consumption and its gates, mart),
 * then the floor (each batch's CSV staged, written as raw Parquet, rewritten as transformed), then prints a Markdown
 * table. With `--datasets a,b --mask-only`, only those batches' mask steps (an A/B of the mask step at a size whose
 * whole run takes long). Counts and times only, never a value. The state folder is deleted at the end, whatever happens.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbSqlEngine, parseEngineMemoryLimit } from '@cur/adapters-local';
import { KeyRing } from '@cur/masking';
import { DUCKDB_DIALECT, ManifestStore, TAG_DEFINITIONS, runMaskStep, runPipeline, runQualityGate, maskStagingFor, uniqueKeysGuaranteedBy } from '@cur/pipeline';
import { createMaskingPolicy } from '@cur/policy';
import { OpenedResources } from './opened-resources';
import { accountedEngine, cpuSeconds, spent, type Spent } from './engine-accounting';
import { ingestExtracts } from './ingested-state';

const USAGE = 'usage: npx tsx tools/bench/src/cpu-account.ts --extracts DIR [--memory LIMIT] [--datasets NAME,...] [--mask-only]';

/** The mask step's phases, by the engine call that does them; the time between engine calls is JavaScript's. */
const MASK_PHASES: readonly { readonly name: string; readonly matches: (call: string, sql: string) => boolean }[] = [
  { name: 'stage the CSV', matches: (call, sql) => call === 'execute' && /\bread_csv\(/.test(sql) },
  { name: 'distinct values', matches: (call, sql) => call === 'execute' && /_distinct AS SELECT/.test(sql) },
  { name: 'values out to JavaScript', matches: (call) => call === 'readColumn' },
  { name: 'tokens back in', matches: (call) => call === 'loadColumn' },
  { name: 'value -> token tables', matches: (call, sql) => call === 'execute' && /^INSERT INTO \S+ SELECT d\.v/.test(sql) },
  { name: 'tokens joined to the rows', matches: (call, sql) => call === 'execute' && /^INSERT INTO .* ORDER BY/.test(sql) },
  { name: 'write raw Parquet', matches: (call) => call === 'writeParquet' },
];
const JAVASCRIPT = 'masking in JavaScript (ciphers, arrays)';
const OTHER = 'counts, DDL, clean-up';

let options: { extracts: string; memory: string; datasets: string[] | undefined; maskOnly: boolean };
try {
  const { values } = parseArgs({ options: { extracts: { type: 'string' }, memory: { type: 'string', default: '4GiB' }, datasets: { type: 'string' }, 'mask-only': { type: 'boolean', default: false } } });
  if (!values.extracts) throw new Error('--extracts DIR is required: a folder of generated extracts (npm run bench:pipeline keeps them)');
  const datasets = values.datasets?.split(',').map((name) => name.trim());
  // Without every dataset the date's transforms and consumption cannot run: only the mask steps can be accounted.
  if (datasets && !values['mask-only']) throw new Error('--datasets needs --mask-only: the rest of the pipeline needs every dataset');
  options = { extracts: values.extracts, memory: values.memory ?? '4GiB', datasets, maskOnly: values['mask-only'] ?? false };
  parseEngineMemoryLimit(options.memory);
} catch (error) {
  process.stderr.write(`cpu-account: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}

const home = await mkdtemp(join(tmpdir(), 'cur-cpu-account-'));
const opened = new OpenedResources();
try {
  const datasets = options.datasets;
  const state = await ingestExtracts(home, options.extracts, (name) => !datasets || datasets.some((dataset) => name.startsWith(`${dataset}_`)));
  opened.add(state.runtime);
  if (state.batches.length === 0) throw new Error(`no batch was ingested from ${options.extracts}`);
  const { runtime, lake } = state;
  const locate = (bucket: string, key: string): string => join(lake, bucket, ...key.split('/'));
  const engine = opened.add(await DuckDbSqlEngine.open({ threads: 2, memoryLimit: options.memory, tempDirectory: state.spill }));
  const manifests = new ManifestStore(runtime.blobStore('system'));
  const policy = createMaskingPolicy();
  const maskers = { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) };
  const rows: { step: string; spent: Spent; detail?: boolean }[] = [];
  const runId = 'cpu-account';

  // 1. Each batch's mask step alone, its phases accounted, then its raw gate (as the pipeline gates it).
  for (const batch of state.batches) {
    const phases = new Map<string, Spent>();
    const maskDeps = { landing: state.landing, raw: runtime.blobStore('raw'), manifests, ledger: state.ledger, engine: accountedEngine(engine, (call, sql) => MASK_PHASES.find((phase) => phase.matches(call, sql))?.name ?? OTHER, phases, JAVASCRIPT), policy, maskers, runId, scratchDir: state.scratchDir, landingPath: (key: string) => locate('landing', key), ...maskStagingFor(parseEngineMemoryLimit(options.memory)) };
    rows.push({ step: `mask ${batch.dataset} (${batch.rowCount} rows)`, spent: await spent(() => runMaskStep(maskDeps, batch)) });
    for (const [phase, time] of [...phases].sort((a, b) => b[1].cpu - a[1].cpu)) rows.push({ step: phase, spent: time, detail: true });
  }
  for (const batch of options.maskOnly ? [] : state.batches) {
    const gateDeps = { system: runtime.blobStore('system'), manifests, engine, locate, runId, kAnonymity: { policy }, uniqueByConstruction: (manifest: Parameters<typeof uniqueKeysGuaranteedBy>[0]) => uniqueKeysGuaranteedBy(manifest, { runId, maskEngine: 'duckdb' as const }) };
    rows.push({ step: `dq raw/${batch.dataset}`, spent: await spent(() => runQualityGate(gateDeps, 'raw', batch.dataset, batch.businessDate)) });
  }

  // 2. The rest of the date, one step at a time (nothing is left to mask, so the pipeline runs its steps in turn).
  const businessDates = options.maskOnly ? [] : [...new Set(state.batches.map((batch) => batch.businessDate))].sort();
  for (const businessDate of businessDates) {
    let last = cpuSeconds();
    const run = await runPipeline(
      {
        buckets: { landing: state.landing, raw: runtime.blobStore('raw'), transformed: runtime.blobStore('transformed'), consumption: runtime.blobStore('consumption'), mart: runtime.blobStore('mart'), system: runtime.blobStore('system') },
        locate,
        ledger: state.ledger,
        engine,
        engineMemoryBytes: parseEngineMemoryLimit(options.memory),
        scratchDir: state.scratchDir,
        dialect: DUCKDB_DIALECT,
        policy,
        maskers,
        tags: TAG_DEFINITIONS,
        notifier: runtime.notifier(),
        events: runtime.events(),
      },
      {
        businessDate,
        onStep: (step) => {
          const now = cpuSeconds();
          if (step.status !== 'skipped') rows.push({ step: `${step.step} ${step.target}`, spent: { wall: step.durationMs / 1000, cpu: now - last, calls: 1 } });
          last = now;
        },
      },
    );
    if (run.status !== 'succeeded') throw new Error(`the pipeline ${run.status} for ${businessDate}: see ${run.runId}`);
  }
  await opened.release(engine);

  // 3. The two-zone I/O floor of the same batches, as the pipeline benchmark measures it.
  const floorEngine = opened.add(await DuckDbSqlEngine.open({ threads: 2, memoryLimit: options.memory, tempDirectory: state.spill }));
  const floorDir = await mkdtemp(join(state.scratchDir, 'floor-'));
  const floorRows: { step: string; spent: Spent }[] = [];
  for (const [index, batch] of (options.maskOnly ? [] : state.batches).entries()) {
    const [csv, raw, transformed] = [join(options.extracts, batch.dataKey.slice(batch.dataKey.lastIndexOf('/') + 1)), join(floorDir, `${index}.raw.parquet`), join(floorDir, `${index}.transformed.parquet`)];
    floorRows.push({
      step: `floor ${batch.dataset}`,
      spent: await spent(async () => {
        await floorEngine.execute(`CREATE OR REPLACE TABLE staged AS SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)`);
        await floorEngine.execute(`COPY (SELECT rowid + 1 AS source_row, * FROM staged) TO '${raw}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
        await floorEngine.execute(`COPY (SELECT * FROM read_parquet('${raw}')) TO '${transformed}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
        await floorEngine.execute('DROP TABLE staged');
      }),
    });
  }
  await opened.release(floorEngine);
  await opened.release(runtime);

  const steps = rows.filter((row) => !row.detail);
  const total = steps.reduce((sum, row) => ({ wall: sum.wall + row.spent.wall, cpu: sum.cpu + row.spent.cpu, calls: sum.calls + row.spent.calls }), { wall: 0, cpu: 0, calls: 0 });
  const floor = floorRows.reduce((sum, row) => ({ wall: sum.wall + row.spent.wall, cpu: sum.cpu + row.spent.cpu, calls: sum.calls + row.spent.calls }), { wall: 0, cpu: 0, calls: 0 });
  const cores = cpus().length;
  const line = (step: string, time: Spent, share: number | undefined): string => `| ${step} | ${time.wall.toFixed(2)} | ${time.cpu.toFixed(2)} | ${share === undefined ? '' : `${((100 * time.cpu) / share).toFixed(0)}%`} |`;
  const out = [
    `Input: ${state.batches.map((batch) => `${batch.dataset} ${batch.rowCount}`).join(', ')} rows. DuckDB at ${options.memory}, 2 threads; ${cores} cores; load average at the end ${loadavg().map((n) => n.toFixed(1)).join(', ')}.`,
    '',
    '| step, one at a time (indented: the mask step\'s phases) | wall (s) | CPU (s) | share of the pipeline\'s CPU |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => line(row.detail ? `&nbsp;&nbsp;${row.step}` : row.step, row.spent, total.cpu)),
    line(options.maskOnly ? '**mask steps in turn**' : '**pipeline, steps in turn**', total, total.cpu),
  ];
  if (!options.maskOnly) out.push(
    ...floorRows.map((row) => line(row.step, row.spent, undefined)),
    line('**two-zone I/O floor**', floor, undefined),
    '',
    `CPU: the pipeline's steps ${total.cpu.toFixed(1)} s, the floor ${floor.cpu.toFixed(1)} s (${(total.cpu / floor.cpu).toFixed(2)}x). With every core busy, the pipeline needs at least ${(total.cpu / cores).toFixed(1)} s of wall time on ${cores} cores; the floor took ${floor.wall.toFixed(1)} s, so the pipeline cannot be faster than ${(total.cpu / cores / floor.wall).toFixed(2)}x the floor here unless its CPU time falls.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`cpu-account: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await opened.closeAll();
  await rm(home, { recursive: true, force: true });
}
