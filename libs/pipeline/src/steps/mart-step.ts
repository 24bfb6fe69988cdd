import { getDataset } from '@cur/contracts';
import type { BlobStore } from '@cur/platform';
import { CurError } from '@cur/platform';
import { partitionPrefix, schemaSha256 } from '../lake/lake-writer';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';
import { MART_DATASETS, renderMartPlan } from '../plan/mart-plans';
import { writePlanOutput } from '../plan/write-plan-output';
import type { PlanExecutor } from '../plan/plan-executor';

/** What the mart step works with. */
export interface MartStepDependencies {
  readonly mart: BlobStore;
  readonly manifests: ManifestStore;
  /** Runs the step's plans (DuckDB or Spark); its dialect is the plans'. */
  readonly plans: PlanExecutor;
  readonly locate: (bucket: 'raw' | 'transformed' | 'consumption' | 'mart', key: string) => string;
  readonly runId: string;
  /** The run's scratch folder, for the Parquet file before upload. */
  readonly scratchDir: string;
}

/**
 * consumption -> mart: tag and segment metrics by branch and month, with month-over-month change. Each dataset is one
 * plan (`renderMartPlan`), run on the step's engine: the plan Glue would run.
 */
export async function runMartStep(deps: MartStepDependencies, businessDate: string): Promise<Manifest[]> {
  const startedAt = new Date();
  const features = await deps.manifests.get('consumption', 'customer_features', businessDate);
  const tags = await deps.manifests.get('consumption', 'customer_tags', businessDate);
  if (!features || !tags) throw new CurError('INPUT_MISSING', `no consumption layer for ${businessDate}: run the consumption step first`);
  // Model tags count only when scored from these features (the same run): a stale partition of the date is left out.
  const modelTags = await deps.manifests.get('consumption', 'model_tags', businessDate).then((m) => (m?.runId === features.runId ? m : undefined));
  const previousMonth = previousMonthOf(businessDate);
  const published: Manifest[] = [];
  for (const name of MART_DATASETS) {
    const previous = await deps.manifests.latest('mart', name, { to: `${previousMonth}-31` }).then((m) => (m?.businessDate.startsWith(previousMonth) ? m : undefined));
    const render = (outputPath: string) =>
      renderMartPlan({
        dataset: name,
        businessDate,
        features: features.files.map((key) => deps.locate('consumption', key)),
        tags: tags.files.map((key) => deps.locate('consumption', key)),
        modelTags: modelTags ? modelTags.files.map((key) => deps.locate('consumption', key)) : [],
        previous: previous ? previous.files.map((key) => deps.locate('mart', key)) : [],
        outputPath,
        dialect: deps.plans.dialect,
      });
    const written = await writePlanOutput(deps.plans, deps.mart, render, partitionPrefix(name, businessDate), deps.scratchDir);
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
      inputs: [manifestKey('consumption', 'customer_features', businessDate), manifestKey('consumption', 'customer_tags', businessDate), ...(modelTags && name === 'tag_metrics_monthly' ? [manifestKey('consumption', 'model_tags', businessDate)] : [])],
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
