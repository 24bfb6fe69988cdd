import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDataset } from '@cur/contracts';
import type { SqlEngine } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import {
  DUCKDB_DIALECT,
  FEATURE_SOURCES,
  ManifestStore,
  SPARK_DIALECT,
  TAG_DEFINITIONS,
  executePlan,
  featureWindowStart,
  renderCustomerFeaturesPlan,
  renderCustomerTagsPlan,
  renderMartPlan,
  renderTransformPlan,
  storedAsTextOf,
  rejectsDatasetOf,
  transformPlanTables,
  runPipeline,
  type FeatureSource,
  type PlanResult,
  type SqlDialect,
  type StepPlanInput,
} from '../../../src/index';
import { SOURCE_DATASETS, ingestedPlatform, pipelineDependencies } from '../../helpers/pipeline-fixture';
import { runPlansOnSpark } from '../../helpers/spark-plan-runner';

/**
 * The parity test of the two engines: the plans the transform, consumption and mart steps render, over the same
 * published inputs of a small generated, masked and transformed lake, run on DuckDB (the executor the steps use) and
 * on local Spark 3.5.6 (the runner Glue runs); every output must hold the same rows with the same column types.
 */

const BUSINESS_DATE = '2026-11-26';

/** One plan of the comparison, rendered for an engine's dialect into that engine's output folder. */
interface Case {
  readonly id: string;
  readonly render: (dialect: SqlDialect, outputPath: string) => StepPlanInput;
  /** The file the pipeline published for each output, when the case is exactly what a step computes. */
  readonly published?: Readonly<Record<string, string | undefined>>;
}

let runtime: Runtime;
let engine: SqlEngine;
let work: string;
let cases: Case[];
/** Each source dataset's raw row count, as its manifest says. */
const rawRows = new Map<string, number>();
const duckdb = new Map<string, PlanResult>();
const spark = new Map<string, PlanResult>();

beforeAll(async () => {
  // Prepare: two days of generated extracts, ingested, masked, transformed, built by the pipeline on DuckDB
  ({ runtime } = await ingestedPlatform({ customers: 200, days: 2, seed: 13 }));
  const deps = await pipelineDependencies(runtime);
  engine = deps.engine;
  expect((await runPipeline(deps)).status).toBe('succeeded');
  work = await mkdtemp(join(tmpdir(), 'cur-parity-'));
  const lake = runtime.localLakeDir ?? '';
  const manifests = new ManifestStore(runtime.blobStore('system'));
  const filesOf = async (zone: 'raw' | 'transformed' | 'consumption' | 'mart', dataset: string, from = BUSINESS_DATE): Promise<string[]> =>
    (await manifests.list(zone, dataset, { from, to: BUSINESS_DATE })).flatMap((m) => m.files.map((key) => join(lake, zone, ...key.split('/'))));
  const policy = deps.policy;
  const sources = {} as Record<FeatureSource, string[]>;
  const storedAsText = storedAsTextOf(policy);
  for (const name of FEATURE_SOURCES) {
    sources[name] = await filesOf('transformed', name, featureWindowStart(name, BUSINESS_DATE));
  }
  const features = await filesOf('consumption', 'customer_features');
  const tags = await filesOf('consumption', 'customer_tags');
  const [publishedFeatures] = features;
  const [publishedTags] = tags;
  const [tagMetrics] = await filesOf('mart', 'tag_metrics_monthly');
  const [segmentMetrics] = await filesOf('mart', 'segment_metrics_monthly');
  cases = [
    { id: 'customer_features', render: (dialect, outputPath) => renderCustomerFeaturesPlan({ businessDate: BUSINESS_DATE, sources, storedAsText, outputPath, dialect }), published: { customer_features: publishedFeatures } },
    // A source with no partition in its window is an empty view with the declared (or stored-as-text) types.
    { id: 'customer_features_without_digital', render: (dialect, outputPath) => renderCustomerFeaturesPlan({ businessDate: BUSINESS_DATE, sources: { ...sources, digital_activity: [] }, storedAsText, outputPath, dialect }) },
    { id: 'customer_tags', render: (_dialect, outputPath) => renderCustomerTagsPlan({ businessDate: BUSINESS_DATE, tags: TAG_DEFINITIONS, features, outputPath }), published: { customer_tags: publishedTags } },
    { id: 'tag_metrics_monthly', render: (dialect, outputPath) => renderMartPlan({ dataset: 'tag_metrics_monthly', businessDate: BUSINESS_DATE, features, tags, previous: [], outputPath, dialect }), published: { tag_metrics_monthly: tagMetrics } },
    { id: 'segment_metrics_monthly', render: (dialect, outputPath) => renderMartPlan({ dataset: 'segment_metrics_monthly', businessDate: BUSINESS_DATE, features, tags, previous: [], outputPath, dialect }), published: { segment_metrics_monthly: segmentMetrics } },
    // The month-over-month join with a previous month's metrics (the published ones stand in for them).
    { id: 'tag_metrics_with_previous', render: (dialect, outputPath) => renderMartPlan({ dataset: 'tag_metrics_monthly', businessDate: BUSINESS_DATE, features, tags, previous: tagMetrics ? [tagMetrics] : [], outputPath, dialect }) },
    { id: 'segment_metrics_with_previous', render: (dialect, outputPath) => renderMartPlan({ dataset: 'segment_metrics_monthly', businessDate: BUSINESS_DATE, features, tags, previous: segmentMetrics ? [segmentMetrics] : [], outputPath, dialect }) },
  ];
  // The transform as the step runs it (duplicates marked by a join): its published accepted rows and rejects are
  // what both engines must reproduce.
  for (const name of SOURCE_DATASETS) {
    const raw = await filesOf('raw', name);
    rawRows.set(name, (await manifests.get('raw', name, BUSINESS_DATE))?.rowCount ?? -1);
    const published = { [name]: (await filesOf('transformed', name))[0], transform_rejects: (await filesOf('transformed', rejectsDatasetOf(name)))[0] };
    const render = (dialect: SqlDialect, outputPath: string): StepPlanInput =>
      renderTransformPlan({ dataset: getDataset(name), businessDate: BUSINESS_DATE, raw, policy, dialect, acceptedPath: join(outputPath, 'accepted'), rejectsPath: join(outputPath, 'rejects') });
    cases.push({ id: `transform_${name}`, render, published });
  }

  // Act: each plan on DuckDB, then all of them on Spark in one job (one JVM)
  for (const c of cases) duckdb.set(c.id, await executePlan(engine, c.render(DUCKDB_DIALECT, join(work, 'duckdb', c.id))));
  const sparkStarted = Date.now();
  const results = await runPlansOnSpark(cases.map((c) => c.render(SPARK_DIALECT, join(work, 'spark', c.id))), join(work, 'spark-job'));
  results.forEach((result, index) => spark.set(cases[index]?.id ?? '', result));
  console.log(`spark job: ${Date.now() - sparkStarted} ms; plans: ${results.map((r) => r.durationMs).join(', ')} ms`);
}, 600_000);

afterAll(async () => {
  await engine?.close();
  await runtime?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const list = (files: readonly string[]): string => `[${files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ')}]`;

/** Rows of `a` not in `b`, counted with multiplicity (EXCEPT ALL). */
async function rowsMissing(a: readonly string[], b: readonly string[]): Promise<number> {
  const [row] = await engine.query(`SELECT COUNT(*) AS n FROM (SELECT * FROM read_parquet(${list(a)}) EXCEPT ALL SELECT * FROM read_parquet(${list(b)}))`);
  return Number(row?.['n']);
}

/** The columns whose values differ between `a` and `b` (names only: never a value). */
async function columnsDiffering(a: readonly string[], b: readonly string[]): Promise<string[]> {
  const differing: string[] = [];
  for (const column of (await columnTypes(a)).map((c) => c.split(' ')[0] ?? '')) {
    const [row] = await engine.query(`SELECT COUNT(*) AS n FROM (SELECT ${column} FROM read_parquet(${list(a)}) EXCEPT ALL SELECT ${column} FROM read_parquet(${list(b)}))`);
    if (Number(row?.['n']) > 0) differing.push(column);
  }
  return differing;
}

async function columnTypes(files: readonly string[]): Promise<string[]> {
  return (await engine.query(`DESCRIBE SELECT * FROM read_parquet(${list(files)})`)).map((row) => `${String(row['column_name'])} ${String(row['column_type'])}`);
}

/** Every output of every case: the case, the output's name, its file(s) on each engine. */
function outputs(): { id: string; name: string; ours: string[]; theirs: string[]; published?: string | undefined }[] {
  return cases.flatMap((c) =>
    (duckdb.get(c.id)?.outputs ?? []).map((output, index) => ({
      id: `${c.id}/${output.name}`,
      name: output.name,
      ours: output.files,
      theirs: spark.get(c.id)?.outputs[index]?.files ?? [],
      published: c.published?.[output.name],
    })),
  );
}

describe('the transform, consumption and mart plans on DuckDB and on Spark', () => {
  it('run on both engines, with rows to compare', () => {
    expect([...spark.keys()]).toEqual(cases.map((c) => c.id));
    for (const c of cases) {
      const ours = duckdb.get(c.id)?.outputs.map((o) => [o.name, o.rows]);
      expect(spark.get(c.id)?.outputs.map((o) => [o.name, o.rows]), c.id).toEqual(ours);
      expect(ours?.[0]?.[1], c.id).toBeGreaterThan(0);
    }
    // Some rows are rejected (the generator writes dirty rows), so the rejects are compared on rows too.
    expect(outputs().filter((o) => o.name === 'transform_rejects').reduce((n, o) => n + (duckdb.get(o.id.split('/')[0] ?? '')?.outputs[1]?.rows ?? 0), 0)).toBeGreaterThan(0);
  });

  it('keep the transform’s accounting identity on both engines: rows in = accepted + rejected, rows in = raw', () => {
    const identities = SOURCE_DATASETS.flatMap((name) =>
      [duckdb, spark].map((results) => {
        const result = results.get(`transform_${name}`);
        const [accepted, rejects] = result?.outputs ?? [];
        const rowsIn = result?.tables.find((table) => table.name === transformPlanTables(name).checked)?.rows;
        return { name, rowsIn, out: (accepted?.rows ?? 0) + (rejects?.rows ?? 0), raw: rawRows.get(name) };
      }),
    );
    expect(identities).toHaveLength(2 * SOURCE_DATASETS.length);
    for (const identity of identities) {
      expect(identity.rowsIn, identity.name).toBeGreaterThan(0);
      expect([identity.out, identity.raw], identity.name).toEqual([identity.rowsIn, identity.rowsIn]);
    }
  });

  it('write the same rows: zero differences in both directions of EXCEPT ALL', async () => {
    const differences: string[] = [];
    for (const { id, ours, theirs } of outputs()) {
      const [onlyDuckDb, onlySpark] = [await rowsMissing(ours, theirs), await rowsMissing(theirs, ours)];
      if (onlyDuckDb + onlySpark > 0) differences.push(`${id}: ${onlyDuckDb} row(s) only on DuckDB, ${onlySpark} only on Spark; columns: ${(await columnsDiffering(ours, theirs)).join(', ')}`);
    }
    expect(differences).toEqual([]);
  });

  it('write the same column names and types, in the contract’s order', async () => {
    for (const { id, name, ours, theirs } of outputs()) {
      const types = await columnTypes(ours);
      expect(await columnTypes(theirs), id).toEqual(types);
      const dataset = getDataset(name);
      expect(types.map((column) => column.split(' ')[0]), id).toEqual([...dataset.columns, ...dataset.partitionColumns].map((column) => column.name));
    }
  });

  it('are what the pipeline computed: each step’s output, as DuckDB runs the plan, is the file the step published, byte for byte', async () => {
    const published = outputs().filter((o) => o.published !== undefined);
    expect(published.map((o) => o.id)).toEqual([
      'customer_features/customer_features',
      'customer_tags/customer_tags',
      'tag_metrics_monthly/tag_metrics_monthly',
      'segment_metrics_monthly/segment_metrics_monthly',
      ...SOURCE_DATASETS.flatMap((name) => [`transform_${name}/${name}`, `transform_${name}/transform_rejects`]),
    ]);
    for (const { id, ours, published: file = '' } of published) {
      expect([await rowsMissing(ours, [file]), await rowsMissing([file], ours)], id).toEqual([0, 0]);
      // The step runs this very plan on DuckDB, so the bytes are the same too: rows in the same order.
      expect(ours.map(sha256Of), id).toEqual([sha256Of(file)]);
    }
  });
});
