import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchAccepted } from '@cur/contracts';
import { SparkProcess } from '@cur/adapters-local';
import { KEY_SERVICE_TOKEN_ENV, TokenService, startLoopbackKeyService, type LoopbackKeyService } from '@cur/masking';
import { CurError, type SqlEngine } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { ManifestStore, runMaskStep, type Manifest, type PipelineDependencies } from '../../../src/index';
import { findWorkspacePython, oneShotSparkMaskJob } from '../../../src/steps/one-shot-spark-mask-job';
import { runMaskStepOnSpark, type SparkMaskStepDependencies } from '../../../src/steps/mask-step-on-spark';
import { sparkProcessMaskJob } from '../../../src/steps/spark-process-mask-job';
import { ingestedPlatform, pipelineDependencies, plaintextCanaries } from '../../helpers/pipeline-fixture';

/**
 * Raw in parity: the same generated batches (a Big5 one, a gzip one, UTF-8 ones) masked with the same keys by the
 * DuckDB mask step and by the Spark mask job (local pyspark 3.5.6), which tokenises through the masking-key-service's
 * own handler served on loopback. Every raw file must hold the same rows (both directions of EXCEPT ALL, `source_row`
 * included) with the same column names and types. The batches go to one Spark process for the file (the serve job, as
 * `cur run --engine spark` masks them), except one, which goes through the one-shot job Glue's shape runs
 * (`python -m cur_spark.jobs.mask` in its own JVM), side by side: both runners are held to the same DuckDB output.
 */

let runtime: Runtime;
let deps: PipelineDependencies;
let engine: SqlEngine;
let keys: LoopbackKeyService;
let work: string;
let spark: SparkProcess | undefined;
let stderr = '';
/** Which runner masked each dataset, so the test can say both were used. */
const runnerOf = new Map<string, 'serve' | 'one-shot'>();
let canaries: Set<string>;
const batches: BatchAccepted[] = [];
const onDuckDb = new Map<string, { manifest: Manifest; file: string }>();
const onSpark = new Map<string, { manifest: Manifest; file: string }>();

beforeAll(async () => {
  // Prepare: one day of generated extracts, ingested; landing kept aside, since each mask step deletes it.
  let extracts: string;
  ({ runtime, extracts } = await ingestedPlatform({ customers: 150, days: 1, seed: 21 }));
  canaries = (await plaintextCanaries(extracts)).sensitive;
  deps = await pipelineDependencies(runtime);
  engine = deps.engine;
  work = await mkdtemp(join(tmpdir(), 'cur-mask-parity-'));
  const lake = runtime.localLakeDir ?? '';
  await cp(join(lake, 'landing'), join(work, 'landing'), { recursive: true });
  for (const { record } of await deps.ledger.list()) {
    if (record) batches.push({ batchId: record.batchId, dataset: record.dataset, businessDate: record.businessDate, rowCount: record.rowCount, dataKey: record.dataKey, controlKey: record.controlKey });
  }
  const manifests = new ManifestStore(deps.buckets.system);
  const common = { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests, ledger: deps.ledger, policy: deps.policy, runId: 'parity', scratchDir: join(work, 'scratch'), landingPath: (key: string) => deps.locate('landing', key) };

  // Act: DuckDB first, then the same landing files again on Spark, the keys those of the same key table.
  for (const batch of batches) {
    const manifest = await runMaskStep({ ...common, engine, maskers: deps.maskers }, batch);
    onDuckDb.set(batch.dataset, { manifest, file: await keep(manifest, 'duckdb') });
  }
  await cp(join(work, 'landing'), join(lake, 'landing'), { recursive: true });
  keys = await startLoopbackKeyService({ service: TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }) });
  // One Spark session for the file, started by its first request; its stderr lines (the JVM's own too) kept for the scan.
  spark = new SparkProcess({ python: findWorkspacePython(), workDir: join(work, 'spark-serve'), env: { ...process.env, [KEY_SERVICE_TOKEN_ENV]: keys.credential }, onLog: (line) => (stderr += `${line}\n`) });
  const served: SparkMaskStepDependencies = { ...common, runMaskJob: sparkProcessMaskJob(spark), keyService: { tokenizeUrl: keys.tokenizeUrl } };
  const oneShot: SparkMaskStepDependencies = {
    ...common,
    runMaskJob: oneShotSparkMaskJob({ python: findWorkspacePython(), workDir: join(work, 'spark'), secrets: { [KEY_SERVICE_TOKEN_ENV]: keys.credential }, onStderr: (text) => (stderr += text) }),
    keyService: { tokenizeUrl: keys.tokenizeUrl },
  };
  const mask = async (runner: 'serve' | 'one-shot', batch: BatchAccepted): Promise<void> => {
    const manifest = await runMaskStepOnSpark(runner === 'serve' ? served : oneShot, batch);
    onSpark.set(batch.dataset, { manifest, file: await keep(manifest, 'spark') });
    runnerOf.set(batch.dataset, runner);
  };
  // Two batches side by side, as runPipeline masks them: the last through the one-shot job, the others one after the
  // other on the file's Spark process (which answers one request at a time).
  const [last, ...first] = [...batches].reverse();
  const sparkStarted = Date.now();
  await Promise.all([
    (async () => {
      for (const batch of first.reverse()) await mask('serve', batch);
    })(),
    last ? mask('one-shot', last) : Promise.resolve(),
  ]);
  console.log(`spark mask of ${batches.length} batch(es): ${Date.now() - sparkStarted} ms`);
}, 900_000);

afterAll(async () => {
  await spark?.close();
  await keys?.close();
  await engine?.close();
  await runtime?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A copy of the manifest's one raw file, so the other path's publication cannot replace it. */
async function keep(manifest: Manifest, engineName: string): Promise<string> {
  const [key] = manifest.files;
  const file = join(work, engineName, `${manifest.dataset}.parquet`);
  await cp(deps.locate('raw', key ?? ''), file);
  return file;
}

async function count(sql: string): Promise<number> {
  const [row] = await engine.query(sql);
  return Number(row?.['n']);
}

const rowsMissing = (a: string, b: string): Promise<number> => count(`SELECT COUNT(*) AS n FROM (SELECT * FROM read_parquet('${a}') EXCEPT ALL SELECT * FROM read_parquet('${b}'))`);

async function columnTypes(file: string): Promise<string[]> {
  return (await engine.query(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).map((row) => `${String(row['column_name'])} ${String(row['column_type'])}`);
}

describe('raw in parity: the mask step on DuckDB and on Spark', () => {
  it('masks the same batches, a Big5 one and a gzip one among them', async () => {
    const lake = runtime.localLakeDir ?? '';
    const controls = await Promise.all(batches.map(async (batch) => JSON.parse(await readFile(join(work, 'landing', ...batch.controlKey.split('/')), 'utf8')) as { encoding: string; file: string }));

    expect(controls.some((control) => control.encoding === 'big5')).toBe(true);
    expect(controls.some((control) => control.file.endsWith('.gz'))).toBe(true);
    expect([...onSpark.keys()].sort()).toEqual([...onDuckDb.keys()].sort());
    expect(onSpark.size).toBe(batches.length);
    expect(new Set(runnerOf.values())).toEqual(new Set(['serve', 'one-shot']));
    // Landing is deleted once the Spark path published: the plaintext is gone.
    await expect(readFile(join(lake, 'landing', ...(batches[0]?.dataKey ?? 'x').split('/')))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes the same rows: zero differences in both directions of EXCEPT ALL, source_row included', async () => {
    for (const [dataset, duck] of onDuckDb) {
      const spark = onSpark.get(dataset);
      if (!spark) throw new Error(`no Spark output for ${dataset}`);
      const rows = await count(`SELECT COUNT(*) AS n FROM read_parquet('${spark.file}')`);

      expect({ dataset, rows, missingOnSpark: await rowsMissing(duck.file, spark.file), extraOnSpark: await rowsMissing(spark.file, duck.file) }).toEqual({
        dataset,
        rows: duck.manifest.rowCount,
        missingOnSpark: 0,
        extraOnSpark: 0,
      });
      expect(rows).toBeGreaterThan(0);
    }
  });

  it('writes the same column names and types, in the same order', async () => {
    for (const [dataset, duck] of onDuckDb) {
      expect({ dataset, types: await columnTypes(onSpark.get(dataset)?.file ?? '') }).toEqual({ dataset, types: await columnTypes(duck.file) });
    }
  });

  it('publishes the same manifest facts: rows, counts, key versions, schema hash', async () => {
    for (const [dataset, duck] of onDuckDb) {
      const spark = onSpark.get(dataset)?.manifest;
      const facts = (m: Manifest | undefined) => ({ dataset, rowCount: m?.rowCount, counts: m?.counts, keyVersions: m?.keyVersions, schemaSha256: m?.schemaSha256, step: m?.step });

      expect(facts(spark)).toEqual(facts(duck.manifest));
    }
  });

  it('never puts a plaintext value on the Spark jobs’ stderr (the JVM’s own lines)', async () => {
    const leaked = [...canaries].filter((value) => stderr.includes(value));

    expect(canaries.size).toBeGreaterThan(100);
    expect(leaked).toEqual([]);
  });
});

describe('runMaskStepOnSpark', () => {
  it('publishes nothing and keeps landing when the job refuses (MASKING_INCOMPLETE)', async () => {
    // Prepare: landing restored; the job's own refusal is tested in libs/spark-runner, here its effect on the step.
    const lake = runtime.localLakeDir ?? '';
    await cp(join(work, 'landing'), join(lake, 'landing'), { recursive: true });
    const batch = batches[0];
    if (!batch) throw new Error('no batch');
    const manifests = new ManifestStore(deps.buckets.system);
    const before = await manifests.get('raw', batch.dataset, batch.businessDate);
    const refusing: SparkMaskStepDependencies = {
      landing: deps.buckets.landing, raw: deps.buckets.raw, manifests, ledger: deps.ledger, policy: deps.policy, runId: 'refused', scratchDir: join(work, 'scratch'),
      landingPath: (key) => deps.locate('landing', key),
      keyService: { tokenizeUrl: 'http://127.0.0.1:9/v1/tokenize' },
      runMaskJob: () => Promise.reject(new CurError('MASKING_INCOMPLETE', 'mask of x: cust_id: 1 value(s) found no token')),
    };

    // Act
    const run = runMaskStepOnSpark(refusing, batch);

    // Assess
    await expect(run).rejects.toMatchObject({ code: 'MASKING_INCOMPLETE' });
    expect((await manifests.get('raw', batch.dataset, batch.businessDate))?.runId).toBe(before?.runId);
    await expect(readFile(join(lake, 'landing', ...batch.dataKey.split('/')))).resolves.toBeDefined();
  });
});
