import { getDataset } from '@cur/contracts';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { partitionPrefix, schemaSha256, writeZoneFile } from '../lake/lake-writer';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';
import type { SqlDialect } from '../sql/sql-dialect';
import { buildTransformSql } from '../sql/transform-sql';

/** What the transform step works with. It reads masked data only. */
export interface TransformStepDependencies {
  readonly raw: BlobStore;
  readonly transformed: BlobStore;
  readonly manifests: ManifestStore;
  readonly engine: SqlEngine;
  readonly policy: MaskingPolicy;
  readonly dialect: SqlDialect;
  /** Turns a bucket and key into what the engine reads: a local path, or an s3:// URI in Glue. */
  readonly locate: (bucket: 'raw' | 'transformed' | 'consumption' | 'mart', key: string) => string;
  readonly runId: string;
  /** The run's scratch folder, for the Parquet file before upload. */
  readonly scratchDir: string;
}

/** The dataset name of a source dataset's rejects in the manifests. */
export const rejectsDatasetOf = (dataset: string): string => `transform_rejects/${dataset}`;

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
  await deps.engine.registerParquetView(`raw_${datasetName}`, raw.files.map((key) => deps.locate('raw', key)));
  const sql = buildTransformSql(dataset, deps.policy, deps.dialect);
  const batchId = `${datasetName}/${businessDate}`;

  // Typed and checked once, duplicates marked in place, read twice (accepted, rejects).
  const checked = `checked_${datasetName}`;
  const duplicates = `duplicates_${datasetName}`;
  await deps.engine.execute(`CREATE OR REPLACE TEMPORARY TABLE ${checked} AS ${sql.checked}`);
  await deps.engine.execute(`CREATE OR REPLACE TEMPORARY TABLE ${duplicates} AS ${sql.duplicates(checked)}`);
  const [duplicated] = await deps.engine.query(`SELECT count(*) AS n FROM ${duplicates}`);
  if (Number(duplicated?.['n']) > 0) await deps.engine.update(sql.markDuplicates(checked, duplicates));
  const accepted = await writeZoneFile(deps.engine, deps.transformed, sql.accepted(checked), partitionPrefix(datasetName, businessDate), deps.scratchDir);
  const rejects = await writeZoneFile(deps.engine, deps.transformed, sql.rejects(checked, batchId), partitionPrefix(rejectsDatasetOf(datasetName), businessDate), deps.scratchDir);
  await deps.engine.execute(`DROP TABLE ${checked}`);
  await deps.engine.execute(`DROP TABLE ${duplicates}`);
  if (raw.rowCount !== accepted.rowCount + rejects.rowCount) {
    throw new CurError('ACCOUNTING_BROKEN', `${batchId}: ${raw.rowCount} rows in, ${accepted.rowCount} out and ${rejects.rowCount} rejected do not add up`);
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
