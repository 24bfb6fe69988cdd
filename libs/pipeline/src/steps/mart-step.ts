import { getDataset } from '@cur/contracts';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';
import { partitionPrefix, schemaSha256, writeZoneFile } from '../lake/lake-writer';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';
import { segmentMetricsSql, tagMetricsSql } from '../sql/mart-sql';
import { registerDatasetView } from './dataset-views';

/** What the mart step works with. */
export interface MartStepDependencies {
  readonly mart: BlobStore;
  readonly manifests: ManifestStore;
  readonly engine: SqlEngine;
  readonly locate: (bucket: 'raw' | 'transformed' | 'consumption' | 'mart', key: string) => string;
  readonly runId: string;
  /** The run's scratch folder, for the Parquet file before upload. */
  readonly scratchDir: string;
}

/** consumption -> mart: tag and segment metrics by branch and month, with month-over-month change. */
export async function runMartStep(deps: MartStepDependencies, businessDate: string): Promise<Manifest[]> {
  const startedAt = new Date();
  const features = await deps.manifests.get('consumption', 'customer_features', businessDate);
  const tags = await deps.manifests.get('consumption', 'customer_tags', businessDate);
  if (!features || !tags) throw new CurError('INPUT_MISSING', `no consumption layer for ${businessDate}: run the consumption step first`);
  await deps.engine.registerParquetView('f_customer_features', features.files.map((key) => deps.locate('consumption', key)));
  await deps.engine.registerParquetView('f_customer_tags', tags.files.map((key) => deps.locate('consumption', key)));
  const previousMonth = previousMonthOf(businessDate);
  const outputs: [string, string, (date: string) => string][] = [
    ['tag_metrics_monthly', 'm_tag_previous', tagMetricsSql],
    ['segment_metrics_monthly', 'm_segment_previous', segmentMetricsSql],
  ];
  const published: Manifest[] = [];
  for (const [name, previousView, sql] of outputs) {
    const previous = await deps.manifests.latest('mart', name, { to: `${previousMonth}-31` }).then((m) => (m?.businessDate.startsWith(previousMonth) ? m : undefined));
    await registerDatasetView(deps.engine, previousView, previous ? previous.files.map((key) => deps.locate('mart', key)) : [], getDataset(name));
    const written = await writeZoneFile(deps.engine, deps.mart, sql(businessDate), partitionPrefix(name, businessDate), deps.scratchDir);
    const manifest: Manifest = {
      dataset: name,
      zone: 'mart',
      businessDate,
      step: 'mart',
      runId: deps.runId,
      files: [written.key],
      rowCount: written.rowCount,
      contentSha256: written.sha256,
      schemaSha256: schemaSha256(getDataset(name).columns),
      inputs: [manifestKey('consumption', 'customer_features', businessDate), manifestKey('consumption', 'customer_tags', businessDate)],
      counts: {},
      keyVersions: {},
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
    };
    await deps.manifests.publish(manifest);
    published.push(manifest);
  }
  return published;
}

function previousMonthOf(businessDate: string): string {
  const [year = 0, month = 1] = businessDate.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
