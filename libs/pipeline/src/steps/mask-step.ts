import type { BatchAccepted, ControlFile } from '@cur/contracts';
import { getDataset } from '@cur/contracts';
import type { BatchLedger} from '@cur/ingestion';
import { parseControlFile, readLandingRecords } from '@cur/ingestion';
import type { ColumnMasker, MaskerDependencies } from '@cur/masking';
import { createColumnMasker } from '@cur/masking';
import type { BlobStore, SqlEngine } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { partitionPrefix, schemaSha256, writeZoneFile } from '../lake/lake-writer';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';

/** The column that keeps each row's position in its landing file, for rejects and lineage. */
export const ROW_NUMBER_COLUMN = 'source_row';

/** What the mask step works with. It runs as SYSTEM: it is the only step that reads plaintext. */
export interface MaskStepDependencies {
  readonly landing: BlobStore;
  readonly raw: BlobStore;
  readonly manifests: ManifestStore;
  readonly ledger: BatchLedger;
  readonly engine: SqlEngine;
  readonly policy: MaskingPolicy;
  readonly maskers: MaskerDependencies;
  readonly runId: string;
}

/**
 * landing -> raw. Decodes the batch (UTF-8 or Big5, gzip), masks every column with its storage treatment (tokens
 * for direct identifiers, generalisations for quasi-identifiers, sealed secrets), writes one Parquet file to raw
 * partitioned by business date, publishes its manifest, and only then deletes the landing files. Nothing downstream
 * of this step holds plaintext of a direct or quasi column.
 */
export async function runMaskStep(deps: MaskStepDependencies, batch: BatchAccepted): Promise<Manifest> {
  const startedAt = new Date();
  const control: ControlFile = parseControlFile(batch.controlKey.slice(batch.controlKey.lastIndexOf('/') + 1), await deps.landing.get(batch.controlKey)).control;
  const dataset = getDataset(batch.dataset);
  const columns = dataset.columns.map((column) => column.name);
  const maskers: ColumnMasker[] = dataset.columns.map((column) =>
    createColumnMasker(deps.policy.storageTreatmentFor(dataset.name, column.name), deps.policy.keyGroupFor(dataset.name, column.name), deps.maskers),
  );
  const keyVersions: Record<string, number> = {};
  let rowNumber = 0;

  async function* maskedChunks(): AsyncGenerator<(string | null)[][]> {
    for await (const records of readLandingRecords(control, await deps.landing.getStream(batch.dataKey))) {
      // Column by column, so each cipher sees a whole column of distinct values at once.
      const maskedColumns = await Promise.all(
        maskers.map(async (masker, index) => {
          const values = records.map((record) => normaliseCell(record[index]));
          const masked = await masker.mask(values);
          const name = columns[index] ?? '';
          if (masked.keyVersion !== undefined) keyVersions[name] = masked.keyVersion;
          return masked.tokens;
        }),
      );
      const first = rowNumber;
      rowNumber += records.length;
      yield records.map((_record, i) => [String(first + i + 1), ...maskedColumns.map((tokens) => tokens[i] ?? null)]);
    }
  }

  const staged = `staged_${dataset.name}`;
  const loaded = await deps.engine.loadRows(staged, [ROW_NUMBER_COLUMN, ...columns], maskedChunks());
  const written = await writeZoneFile(
    deps.engine,
    deps.raw,
    `SELECT CAST(${ROW_NUMBER_COLUMN} AS BIGINT) AS ${ROW_NUMBER_COLUMN}, ${columns.join(', ')}, '${batch.businessDate}' AS business_date FROM ${staged} ORDER BY 1`,
    partitionPrefix(dataset.name, batch.businessDate),
  );
  await deps.engine.execute(`DROP TABLE ${staged}`);
  const manifest: Manifest = {
    dataset: dataset.name,
    zone: 'raw',
    businessDate: batch.businessDate,
    step: 'mask',
    runId: deps.runId,
    files: [written.key],
    rowCount: written.rowCount,
    contentSha256: written.sha256,
    schemaSha256: schemaSha256(dataset.columns),
    inputs: [batch.controlKey, batch.dataKey],
    counts: { rowsIn: control.rowCount, rowsOut: loaded },
    keyVersions,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  await deps.manifests.publish(manifest);
  // Plaintext leaves the platform only now that the masked copy is published.
  await deps.landing.delete(batch.dataKey);
  await deps.landing.delete(batch.controlKey);
  await deps.ledger.setStatus(batch.batchId, 'ACCEPTED', 'MASKED').catch(() => undefined);
  return manifest;
}

/** The key of the raw manifest a batch produces. */
export const rawManifestKey = (batch: Pick<BatchAccepted, 'dataset' | 'businessDate'>): string => manifestKey('raw', batch.dataset, batch.businessDate);

/** Empty cells are nulls; anything else is kept as sent (cleanup is the transform step's job, on masked values). */
function normaliseCell(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
