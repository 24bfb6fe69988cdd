import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getDataset, type DatasetSpec } from '@cur/contracts';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { partitionPrefix, schemaSha256, type WrittenFile } from '../lake/lake-writer';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';
import type { PlanExecutor } from '../plan/plan-executor';
import type { PlanResult } from '../plan/step-plan';
import { KEY_CANDIDATES_OUTPUT, TRANSFORM_PART_OUTPUTS, renderKeyCandidatesPlan, renderTransformPartPlan, renderTransformPlan, transformPlanTables } from '../plan/transform-plan';
import { planOutputFile, uploadPlanOutput, writePlanOutputs } from '../plan/write-plan-output';
import { makeStepScratch } from '../scratch/scratch-folder';
import { quote } from '../sql/sql-dialect';

/** What the transform step works with. It reads masked data only. */
export interface TransformStepDependencies {
  readonly raw: BlobStore;
  readonly transformed: BlobStore;
  readonly manifests: ManifestStore;
  /** Runs the transform's plan (DuckDB or Spark); its dialect is the plan's. */
  readonly plans: PlanExecutor;
  /** A DuckDB session, to count the written rejects by reason. */
  readonly engine: SqlEngine;
  readonly policy: MaskingPolicy;
  /** Turns a bucket and key into what the engine reads: a local path, or an s3:// URI in Glue. */
  readonly locate: (bucket: 'raw' | 'transformed' | 'consumption' | 'mart', key: string) => string;
  readonly runId: string;
  /** The run's scratch folder, for the Parquet file before upload. */
  readonly scratchDir: string;
}

/** The transform plan's output of rejects (the accepted rows' output is named after the dataset). */
const REJECTS_OUTPUT = 'transform_rejects';

/** The dataset name of a source dataset's rejects in the manifests. */
export const rejectsDatasetOf = (dataset: string): string => `transform_rejects/${dataset}`;

/**
 * The key prefix of a source dataset's rejects in the transformed bucket: the `transform_rejects` table's partition
 * `source_dataset=<dataset>/business_date=<date>/` (its catalog partition keys), as the Glue job writes it.
 */
export const rejectsPartitionPrefix = (dataset: string, businessDate: string): string => `transform_rejects/source_dataset=${dataset}/business_date=${businessDate}/`;

/**
 * raw -> transformed for one source dataset and business date: typed, trimmed, full-width to half-width, ROC dates
 * to ISO, null sentinels, allowed values and token shapes checked, de-duplicated. Rejected rows go to the rejects
 * table with a coded reason and no values. The accounting identity rows in = rows out + rows rejected is checked
 * before anything is published.
 */
export async function runTransformStep(deps: TransformStepDependencies, datasetName: string, businessDate: string): Promise<Manifest> {
  const startedAt = new Date();
  const dataset = getDataset(datasetName);
  const raw = await deps.manifests.get('raw', datasetName, businessDate);
  if (!raw) throw new CurError('INPUT_MISSING', `no raw partition of ${datasetName} for ${businessDate} is published; run the mask step first`);
  const batchId = `${datasetName}/${businessDate}`;
  // A batch the mask step wrote in parts (too large for the engine's memory whole) is transformed part by part on
  // DuckDB; Spark, on a cluster, takes it whole.
  const rawFiles = raw.files.map((key) => deps.locate('raw', key));
  const inParts = deps.plans.engine === 'duckdb' && rawFiles.length > 1 && (await inRowOrder(deps.engine, rawFiles));
  const { checked, accepted, rejects } = inParts ? await transformInParts(deps, dataset, raw, businessDate) : await transformWhole(deps, dataset, raw, businessDate);
  if (checked !== raw.rowCount || raw.rowCount !== accepted.rowCount + rejects.rowCount) {
    throw new CurError('ACCOUNTING_BROKEN', `${batchId}: ${raw.rowCount} rows in (${checked ?? 'no'} read by ${deps.plans.engine}), ${accepted.rowCount} out and ${rejects.rowCount} rejected do not add up`);
  }
  await deps.engine.registerParquetView('rejects_written', rejects.keys.map((key) => deps.locate('transformed', key)));
  const reasons = await deps.engine.query('SELECT reason_code, count(*) AS n FROM rejects_written GROUP BY 1 ORDER BY 1');
  const counts = { rowsIn: raw.rowCount, rowsOut: accepted.rowCount, rowsRejected: rejects.rowCount, ...Object.fromEntries(reasons.map((r) => [`rejected.${String(r['reason_code'])}`, Number(r['n'])])) };
  const base = { zone: 'transformed' as const, businessDate, step: 'transform', runId: deps.runId, inputs: [manifestKey('raw', datasetName, businessDate)], counts, keyVersions: raw.keyVersions, startedAt: startedAt.toISOString() };
  await deps.manifests.publish({
    ...base,
    dataset: rejectsDatasetOf(datasetName),
    files: rejects.keys,
    rowCount: rejects.rowCount,
    contentSha256: rejects.sha256,
    schemaSha256: schemaSha256(getDataset('transform_rejects').columns),
    durationMs: Date.now() - startedAt.getTime(),
  });
  const manifest: Manifest = {
    ...base,
    dataset: datasetName,
    files: accepted.keys,
    rowCount: accepted.rowCount,
    contentSha256: accepted.sha256,
    schemaSha256: schemaSha256(dataset.columns),
    durationMs: Date.now() - startedAt.getTime(),
  };
  await deps.manifests.publish(manifest);
  return manifest;
}

/**
 * True when every raw file's source rows come after all of the previous file's, by their Parquet statistics (what
 * the mask step writes in parts); only then are the first rows of a key in the earlier parts.
 */
async function inRowOrder(engine: SqlEngine, files: readonly string[]): Promise<boolean> {
  const ranges = await engine.query(
    `SELECT file_name, min(TRY_CAST(stats_min_value AS BIGINT)) AS lo, max(TRY_CAST(stats_max_value AS BIGINT)) AS hi, count(*) FILTER (WHERE stats_min_value IS NULL OR stats_max_value IS NULL) AS unknown FROM parquet_metadata([${files.map(quote).join(', ')}]) WHERE path_in_schema = 'source_row' GROUP BY file_name`,
  );
  const byFile = new Map(ranges.map((range) => [String(range['file_name']), range]));
  let previous = -Infinity;
  for (const file of files) {
    const range = byFile.get(file);
    if (range === undefined || Number(range['unknown']) > 0 || range['lo'] === null || range['hi'] === null) return false;
    if (Number(range['lo']) <= previous) return false;
    previous = Number(range['hi']);
  }
  return true;
}

/** One output of the transform in the zone: its files in row order, their rows, the hash of their bytes in order. */
interface TransformedFiles {
  readonly keys: string[];
  readonly rowCount: number;
  readonly sha256: string;
}

/** What the transform wrote: the rows its plan(s) read, the accepted rows, the rejects. */
interface TransformOutputs {
  readonly checked: number | undefined;
  readonly accepted: TransformedFiles;
  readonly rejects: TransformedFiles;
}

/** The whole batch in one plan: one file of accepted rows, one of rejects. */
async function transformWhole(deps: TransformStepDependencies, dataset: DatasetSpec, raw: Manifest, businessDate: string): Promise<TransformOutputs> {
  const { result, files } = await writePlanOutputs<string>(
    deps.plans,
    deps.transformed,
    (outputPath) =>
      renderTransformPlan({
        dataset,
        businessDate,
        raw: raw.files.map((key) => deps.locate('raw', key)),
        policy: deps.policy,
        dialect: deps.plans.dialect,
        acceptedPath: outputPath(dataset.name),
        rejectsPath: outputPath(REJECTS_OUTPUT),
      }),
    { [dataset.name]: partitionPrefix(dataset.name, businessDate), [REJECTS_OUTPUT]: rejectsPartitionPrefix(dataset.name, businessDate) },
    deps.scratchDir,
  );
  const [accepted, rejects] = [files[dataset.name], files[REJECTS_OUTPUT]];
  if (accepted === undefined || rejects === undefined) throw new CurError('PLAN_OUTPUT_UNEXPECTED', `${dataset.name}/${businessDate}: the transform plan did not write its accepted rows and rejects`);
  const one = (file: WrittenFile): TransformedFiles => ({ keys: [file.key], rowCount: file.rowCount, sha256: file.sha256 });
  return { checked: result.tables.find((table) => table.name === transformPlanTables(dataset.name).checked)?.rows, accepted: one(accepted), rejects: one(rejects) };
}

/**
 * The batch one raw file at a time, in row order (the mask step writes a batch too large for memory in parts, each
 * a contiguous run of source rows): first the hashes of keys more than one row has, over the key columns alone, then
 * one plan per part holding only that part's rows (see `renderTransformPartPlan`). Each part's accepted rows and
 * rejects are a file of the output, in row order; a part with none adds no file, unless no part has any.
 */
async function transformInParts(deps: TransformStepDependencies, dataset: DatasetSpec, raw: Manifest, businessDate: string): Promise<TransformOutputs> {
  const dir = await makeStepScratch(deps.scratchDir, 'transform-parts-');
  try {
    const common = { dataset, businessDate, policy: deps.policy, dialect: deps.plans.dialect };
    const keys = await deps.plans.execute(renderKeyCandidatesPlan({ ...common, raw: raw.files.map((key) => deps.locate('raw', key)), outputPath: join(dir, 'key-candidates') }));
    const keyCandidates = planOutputFile(keys, KEY_CANDIDATES_OUTPUT).file;
    const accepted = new PartedOutput(deps.transformed, partitionPrefix(dataset.name, businessDate));
    const rejects = new PartedOutput(deps.transformed, rejectsPartitionPrefix(dataset.name, businessDate));
    const earlierCandidates: string[] = [];
    let checked = 0;
    for (const [index, key] of raw.files.entries()) {
      const partDir = join(dir, `part-${index + 1}`);
      const result = await deps.plans.execute(
        renderTransformPartPlan({
          ...common,
          raw: [deps.locate('raw', key)],
          acceptedPath: join(partDir, 'accepted'),
          rejectsPath: join(partDir, 'rejects'),
          candidatesPath: join(partDir, 'candidates'),
          keyCandidates: [keyCandidates],
          earlierCandidates,
        }),
      );
      checked += result.tables.find((table) => table.name === transformPlanTables(dataset.name).checked)?.rows ?? 0;
      const last = index === raw.files.length - 1;
      await accepted.add(result, dataset.name, last);
      await rejects.add(result, TRANSFORM_PART_OUTPUTS.rejects, last);
      earlierCandidates.push(planOutputFile(result, TRANSFORM_PART_OUTPUTS.candidates).file);
      await Promise.all([rm(join(partDir, 'accepted'), { recursive: true, force: true }), rm(join(partDir, 'rejects'), { recursive: true, force: true })]);
    }
    return { checked, accepted: accepted.written(), rejects: rejects.written() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One output of a transform in parts, file by file into the zone, hashed in order. */
class PartedOutput {
  readonly #keys: string[] = [];
  readonly #content = createHash('sha256');
  #rowCount = 0;

  constructor(
    private readonly store: BlobStore,
    private readonly keyPrefix: string,
  ) {}

  /** Puts a part's file of the output into the zone, unless it has no rows and is not the last chance to have one. */
  async add(result: PlanResult, name: string, last: boolean): Promise<void> {
    if (planOutputFile(result, name).rows === 0 && !(last && this.#keys.length === 0)) return;
    const file = await uploadPlanOutput(this.store, result, name, this.keyPrefix, this.#content);
    this.#keys.push(file.key);
    this.#rowCount += file.rowCount;
  }

  written(): TransformedFiles {
    return { keys: this.#keys, rowCount: this.#rowCount, sha256: this.#content.digest('hex') };
  }
}
