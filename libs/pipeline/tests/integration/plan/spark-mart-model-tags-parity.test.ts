import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine, FsBlobStore } from '@cur/adapters-local';
import type { Runtime } from '@cur/runtime';
import { ManifestStore, runPipeline, type Manifest, type PipelineDependencies } from '../../../src/index';
import { digitalScorer } from '../../helpers/digital-scorer';
import { ingestedPlatform, pipelineDependencies } from '../../helpers/pipeline-fixture';
import { WORKSPACE_PYTHON } from '../../helpers/spark-plan-runner';

/**
 * The mart's model-tag rule on both engines over the same lake: the local mart step (DuckDB) counts a date's
 * model_tags only when its manifest's run is the features' run, and the Glue mart job (`cur_spark.jobs.glue_entry`
 * with the committed templates, on local Spark, manifests read from the system bucket) must do the same. The lake is
 * the pipeline's own, once scored with a promoted version, then with the features rebuilt unscored (a stale
 * partition); after each, the Glue job's tag_metrics_monthly must hold exactly the rows the DuckDB step published.
 */

const TEMPLATES = fileURLToPath(new URL('../../../../spark-runner/glue-plans', import.meta.url));
const MODEL_TAG = 'digital_native_propensity';

interface Snapshot {
  readonly businessDate: string;
  /** The tag_metrics_monthly file the DuckDB mart step published. */
  readonly duckdb: string[];
  /** The one the Glue job wrote over the same consumption layer and manifests. */
  readonly spark: string[];
  /** The two manifests of tag_metrics_monthly. */
  readonly duckdbManifest: Manifest | undefined;
  readonly sparkManifest: Manifest;
  readonly modelTagRows: number;
}

let runtime: Runtime;
let work: string;
let engine: DuckDbSqlEngine;
const snapshots = new Map<'scored' | 'stale', Snapshot>();

beforeAll(async () => {
  // Prepare: a scored run (version promoted), then a run that rebuilds the date's features with none promoted
  ({ runtime } = await ingestedPlatform({ customers: 200, days: 1, seed: 5 }));
  const deps: PipelineDependencies = { ...(await pipelineDependencies(runtime)), scoring: digitalScorer([{ versionId: 'cur-model-20261207-a' }, undefined]) };
  work = await mkdtemp(join(tmpdir(), 'cur-mart-parity-'));
  try {
    const scored = await runPipeline(deps);
    expect(scored.status).toBe('succeeded');
    const businessDate = scored.businessDates[0] ?? '';
    snapshots.set('scored', await martOnBothEngines('scored', businessDate));
    expect((await runPipeline(deps, { businessDate })).status).toBe('succeeded');
    snapshots.set('stale', await martOnBothEngines('stale', businessDate));
  } finally {
    await deps.engine.close();
  }
  engine = await DuckDbSqlEngine.open({ threads: 1 });
}, 600_000);

afterAll(async () => {
  await engine?.close();
  await runtime?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Runs the Glue mart job for tag_metrics_monthly over the lake's consumption zone, with copies of the system bucket's
 * manifests (the job publishes its own manifest there) and an empty mart bucket (the lake has no previous month).
 */
async function martOnBothEngines(label: string, businessDate: string): Promise<Snapshot> {
  const lake = runtime.localLakeDir ?? '';
  const manifests = new ManifestStore(runtime.blobStore('system'));
  const dir = join(work, label);
  await cp(join(lake, 'system', 'manifests'), join(dir, 'system', 'manifests'), { recursive: true });
  const argv = [
    ...['-m', 'cur_spark.jobs.glue_entry', '--JOB_NAME', 'cur-dev-mart', '--step', 'mart', '--dataset', 'tag_metrics_monthly'],
    ...['--business-date', businessDate, '--plan_templates', TEMPLATES, '--run_id', `glue-${label}`],
    ...['--bucket_consumption', join(lake, 'consumption'), '--bucket_mart', join(dir, 'mart'), '--bucket_system', join(dir, 'system')],
  ];
  const { code, stdout, stderr } = await run(WORKSPACE_PYTHON, argv, { ...process.env, TMPDIR: dir });
  if (code !== 0) throw new Error(`the Glue mart job exited ${code}: ${stdout.slice(-1000)} ${stderr.slice(-1000)}`);
  const sparkManifests = new ManifestStore(new FsBlobStore(dir, 'system'));
  const sparkManifest = await sparkManifests.get('mart', 'tag_metrics_monthly', businessDate);
  if (!sparkManifest) throw new Error('the Glue mart job published no manifest');
  const duckdbManifest = await manifests.get('mart', 'tag_metrics_monthly', businessDate);
  return {
    businessDate,
    duckdb: (duckdbManifest?.files ?? []).map((key) => join(lake, 'mart', ...key.split('/'))),
    spark: sparkManifest.files.map((key) => join(dir, 'mart', ...key.split('/'))),
    duckdbManifest,
    sparkManifest,
    modelTagRows: (await manifests.get('consumption', 'model_tags', businessDate))?.rowCount ?? 0,
  };
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const list = (files: readonly string[]): string => `[${files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ')}]`;

async function count(sql: string): Promise<number> {
  return Number((await engine.query(sql))[0]?.['n'] ?? 0);
}

/** Rows of `a` not in `b`, counted with multiplicity (EXCEPT ALL). */
async function rowsMissing(a: readonly string[], b: readonly string[]): Promise<number> {
  return count(`SELECT COUNT(*) AS n FROM (SELECT * FROM read_parquet(${list(a)}) EXCEPT ALL SELECT * FROM read_parquet(${list(b)}))`);
}

/** The columns whose values differ between `a` and `b` (names only: never a value). */
async function columnsDiffering(a: readonly string[], b: readonly string[]): Promise<string[]> {
  const columns = (await engine.query(`DESCRIBE SELECT * FROM read_parquet(${list(a)})`)).map((row) => String(row['column_name']));
  const differing: string[] = [];
  for (const column of columns) {
    if ((await count(`SELECT COUNT(*) AS n FROM (SELECT ${column} FROM read_parquet(${list(a)}) EXCEPT ALL SELECT ${column} FROM read_parquet(${list(b)}))`)) > 0) differing.push(column);
  }
  return differing;
}

async function modelTagCustomers(files: readonly string[]): Promise<number> {
  return count(`SELECT COALESCE(SUM(customers), 0) AS n FROM read_parquet(${list(files)}) WHERE tag = '${MODEL_TAG}'`);
}

describe('the mart’s model tags on DuckDB (the local step) and on Spark (the Glue job), over the same lake', () => {
  it.each(['scored', 'stale'] as const)('write the same tag_metrics_monthly rows (%s partition): zero differences both ways', async (label) => {
    const snapshot = snapshots.get(label);
    expect(snapshot?.duckdb).toHaveLength(1);
    const { duckdb = [], spark = [] } = snapshot ?? {};
    expect(await count(`SELECT COUNT(*) AS n FROM read_parquet(${list(spark)})`)).toBeGreaterThan(0);
    expect([await rowsMissing(duckdb, spark), await rowsMissing(spark, duckdb)], `columns differing: ${(await columnsDiffering(duckdb, spark)).join(', ')}`).toEqual([0, 0]);
  });

  it('count the model tag, customer for customer, when it was scored from the features the mart reads', async () => {
    const scored = snapshots.get('scored');
    expect(scored?.modelTagRows).toBeGreaterThan(0);
    expect(await modelTagCustomers(scored?.spark ?? [])).toBe(scored?.modelTagRows);
    expect(await modelTagCustomers(scored?.duckdb ?? [])).toBe(scored?.modelTagRows);
  });

  it('leave out, on both, a partition scored from features since rebuilt, though it is still published', async () => {
    const stale = snapshots.get('stale');
    expect(stale?.modelTagRows).toBe(snapshots.get('scored')?.modelTagRows);
    expect(await modelTagCustomers(stale?.spark ?? [])).toBe(0);
    expect(await modelTagCustomers(stale?.duckdb ?? [])).toBe(0);
  });

  it('list the model tags’ manifest among the inputs exactly when both count them', () => {
    const modelTagsManifest = (s: Snapshot | undefined): boolean[] => [s?.duckdbManifest, s?.sparkManifest].map((m) => (m?.inputs ?? []).some((key) => key.includes('/model_tags/')));
    expect(modelTagsManifest(snapshots.get('scored'))).toEqual([true, true]);
    expect(modelTagsManifest(snapshots.get('stale'))).toEqual([false, false]);
    for (const label of ['scored', 'stale'] as const) expect(snapshots.get(label)?.sparkManifest.inputs).toEqual(snapshots.get(label)?.duckdbManifest?.inputs);
  });
});
