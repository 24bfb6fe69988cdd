import { getDataset } from '@cur/contracts';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { partitionPrefix, schemaSha256 } from '../lake/lake-writer';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';
import type { PlanExecutor } from '../plan/plan-executor';
import { renderTransformPlan, transformPlanTables } from '../plan/transform-plan';
import { writePlanOutputs } from '../plan/write-plan-output';

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
  // One plan, on whichever engine: typed and checked once, duplicates marked by a join, two outputs.
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
        acceptedPath: outputPath(datasetName),
        rejectsPath: outputPath(REJECTS_OUTPUT),
      }),
    { [datasetName]: partitionPrefix(datasetName, businessDate), [REJECTS_OUTPUT]: rejectsPartitionPrefix(datasetName, businessDate) },
    deps.scratchDir,
  );
  const [accepted, rejects] = [files[datasetName], files[REJECTS_OUTPUT]];
  if (accepted === undefined || rejects === undefined) throw new CurError('PLAN_OUTPUT_UNEXPECTED', `${batchId}: the transform plan did not write its accepted rows and rejects`);
  const checked = result.tables.find((table) => table.name === transformPlanTables(datasetName).checked)?.rows;
  if (checked !== raw.rowCount || raw.rowCount !== accepted.rowCount + rejects.rowCount) {
    throw new CurError('ACCOUNTING_BROKEN', `${batchId}: ${raw.rowCount} rows in (${checked ?? 'no'} read by ${deps.plans.engine}), ${accepted.rowCount} out and ${rejects.rowCount} rejected do not add up`);
  }
  await deps.engine.registerParquetView('rejects_written', [deps.locate('transformed', rejects.key)]);
  const reasons = await deps.engine.query('SELECT reason_code, count(*) AS n FROM rejects_written GROUP BY 1 ORDER BY 1');
  const counts = { rowsIn: raw.rowCount, rowsOut: accepted.rowCount, rowsRejected: rejects.rowCount, ...Object.fromEntries(reasons.map((r) => [`rejected.${String(r['reason_code'])}`, Number(r['n'])])) };
  const base = { zone: 'transformed' as const, businessDate, step: 'transform', runId: deps.runId, inputs: [manifestKey('raw', datasetName, businessDate)], counts, keyVersions: raw.keyVersions, startedAt: startedAt.toISOString() };
  await deps.manifests.publish({
    ...base,
    dataset: rejectsDatasetOf(datasetName),
    files: [rejects.key],
    rowCount: rejects.rowCount,
    contentSha256: rejects.sha256,
    schemaSha256: schemaSha256(getDataset('transform_rejects').columns),
    durationMs: Date.now() - startedAt.getTime(),
  });
  const manifest: Manifest = {
    ...base,
    dataset: datasetName,
    files: [accepted.key],
    rowCount: accepted.rowCount,
    contentSha256: accepted.sha256,
    schemaSha256: schemaSha256(dataset.columns),
    durationMs: Date.now() - startedAt.getTime(),
  };
  await deps.manifests.publish(manifest);
  return manifest;
}
