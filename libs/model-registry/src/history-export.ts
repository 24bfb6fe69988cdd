import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore, KeyValueStore, SqlEngine } from '@cur/platform';
import { readArchiveFile } from './model-archive';
import { ModelHistory, type ModelVersion } from './model-history';

/** Where a version's model files are kept in the system bucket (SageMaker's `S3OutputPath` in AWS). */
export const MODEL_ARTEFACT_PREFIX = 'model-history/artefacts';

/** Where the model history is exported in the system bucket, one Parquet file per table. */
export const MODEL_EXPORT_PREFIX = 'model-history/exports';

/** The exported tables, as the Glue catalog and the Spark SQL analyses name them. */
export const MODEL_EXPORT_TABLES = ['model_history', 'model_score_distributions'] as const;

/** One exported table. */
export type ModelExportTable = (typeof MODEL_EXPORT_TABLES)[number];

/** The one object a table is exported to: `model-history/exports/<table>/part-0.parquet`, rewritten whole each time. */
export function modelExportKey(table: ModelExportTable): string {
  return `${MODEL_EXPORT_PREFIX}/${table}/part-0.parquet`;
}

/** What {@link exportModelHistory} needs: the model history's store, the system bucket and an engine that writes Parquet. */
export interface ModelHistoryExportPorts {
  /** The `model-history` table. */
  readonly keyValueStore: KeyValueStore;
  /** The system bucket: the artefacts are read from it and the exports written to it. */
  readonly system: BlobStore;
  /** Writes the Parquet files (DuckDB, here and in the Lambda). */
  readonly engine: SqlEngine;
  /** A folder the engine writes the files to before they are put; created if missing, the files removed after. */
  readonly scratchDir: string;
}

/** How many rows each table got. */
export type ModelHistoryExportResult = Readonly<Record<ModelExportTable, number>>;

/** The holdout score histogram a training writes in `model.json`. */
interface ModelSummary {
  readonly score_distribution?: { readonly bins?: number; readonly holdout_counts?: readonly number[] };
}

const SELECTS: Readonly<Record<ModelExportTable, { readonly columns: readonly string[]; readonly select: string }>> = {
  model_history: {
    columns: ['version_id', 'target_tag', 'status', 'created_at', 'metric', 'value'],
    select:
      'SELECT version_id, target_tag, status, CAST(created_at AS TIMESTAMP) AS created_at, metric, CAST(value AS DOUBLE) AS value FROM model_history ORDER BY created_at, version_id, metric',
  },
  model_score_distributions: {
    columns: ['version_id', 'bin', 'lower', 'upper', 'holdout_count'],
    select:
      'SELECT version_id, CAST(bin AS INTEGER) AS bin, CAST(lower AS DOUBLE) AS lower, CAST(upper AS DOUBLE) AS upper, CAST(holdout_count AS BIGINT) AS holdout_count FROM model_score_distributions ORDER BY version_id, bin',
  },
};

/**
 * Rewrites the model history's exports for Spark SQL, Athena or DuckDB: `model_history` (one row per version and
 * metric, a version without metrics once with none: the `model_history` view of `cur_model.history`) and
 * `model_score_distributions` (each Completed version's holdout scores in 10 equal-width bins, from its `model.json`:
 * the artefact folder's locally, inside SageMaker's `model.tar.gz` in AWS). Every version is written each time, so a
 * failed export is mended by the next one. Versions, names and numbers only: no customer key, no token.
 *
 * @param ports - the history's store, the system bucket, a Parquet-writing engine and its scratch folder
 * @returns the rows of each table
 * @example
 * const engine = await DuckDbSqlEngine.open({ threads: 1 });
 * await exportModelHistory({ keyValueStore, system: blobStore('system'), engine, scratchDir });
 */
export async function exportModelHistory(ports: ModelHistoryExportPorts): Promise<ModelHistoryExportResult> {
  const versions = await new ModelHistory(ports.keyValueStore).list();
  const rows: Record<ModelExportTable, (string | null)[][]> = { model_history: [], model_score_distributions: [] };
  for (const v of versions) {
    const metrics = Object.entries(v.metrics);
    const base = [v.versionId, v.targetTag ?? null, v.status, v.createdAt];
    rows.model_history.push(...(metrics.length === 0 ? [[...base, null, null]] : metrics.map(([name, value]) => [...base, name, String(value)])));
  }
  for (const version of versions.filter((v) => v.status === 'Completed')) {
    const counts = (await readModelSummary(ports.system, version))?.score_distribution?.holdout_counts ?? [];
    counts.forEach((count, bin) => rows.model_score_distributions.push([version.versionId, String(bin), String(bin / counts.length), String((bin + 1) / counts.length), String(count)]));
  }
  await mkdir(ports.scratchDir, { recursive: true, mode: 0o700 });
  const written: Partial<Record<ModelExportTable, number>> = {};
  try {
    for (const table of MODEL_EXPORT_TABLES) {
      await ports.engine.loadRows(table, SELECTS[table].columns, (async function* () {
        yield rows[table];
      })());
      const file = join(ports.scratchDir, `${table}.parquet`);
      written[table] = await ports.engine.writeParquet(SELECTS[table].select, file);
      await ports.system.put(modelExportKey(table), await readFile(file));
    }
  } finally {
    await Promise.all(MODEL_EXPORT_TABLES.map((table) => rm(join(ports.scratchDir, `${table}.parquet`), { force: true })));
  }
  return { model_history: written.model_history ?? 0, model_score_distributions: written.model_score_distributions ?? 0 };
}

/**
 * Where a Completed version's `model.json` is: in AWS the version's artefact is SageMaker's
 * `s3://<system>/model-history/artefacts/<job>/output/model.tar.gz`, which holds it; locally (`cur model train`) the
 * artefact is the folder `system/model-history/artefacts/<job>/` with `model.json` beside `model.joblib`.
 *
 * @internal
 */
export function modelSummaryLocation(version: Pick<ModelVersion, 'versionId' | 'modelArtifact'>): { readonly key: string; readonly inArchive: boolean } {
  const archive = /^s3:\/\/[^/]+\/(.+\.tar\.gz)$/.exec(version.modelArtifact ?? '')?.[1];
  if (archive !== undefined && archive.startsWith(`${MODEL_ARTEFACT_PREFIX}/`)) return { key: archive, inArchive: true };
  return { key: `${MODEL_ARTEFACT_PREFIX}/${version.versionId}/model.json`, inArchive: false };
}

async function readModelSummary(system: BlobStore, version: ModelVersion): Promise<ModelSummary | undefined> {
  const { key, inArchive } = modelSummaryLocation(version);
  if (!(await system.head(key))) return undefined;
  const bytes = inArchive ? readArchiveFile(await system.get(key), 'model.json') : await system.get(key);
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as ModelSummary);
}
