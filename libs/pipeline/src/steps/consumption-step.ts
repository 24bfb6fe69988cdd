import { getDataset } from '@cur/contracts';
import type { BlobStore } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { partitionPrefix, schemaSha256 } from '../lake/lake-writer';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';
import { FEATURE_SOURCES, featureWindowStart, renderCustomerFeaturesPlan, renderCustomerTagsPlan, storedAsTextOf, type FeatureSource } from '../plan/consumption-plans';
import { writePlanOutput } from '../plan/write-plan-output';
import type { PlanExecutor } from '../plan/plan-executor';
import type { TagDefinition } from '../tags/tag-definitions';

/** What the consumption step works with. */
export interface ConsumptionStepDependencies {
  readonly consumption: BlobStore;
  readonly manifests: ManifestStore;
  /** Runs the step's plans (DuckDB or Spark); its dialect is the plans'. */
  readonly plans: PlanExecutor;
  readonly policy: MaskingPolicy;
  readonly tags: readonly TagDefinition[];
  readonly locate: (bucket: 'raw' | 'transformed' | 'consumption' | 'mart', key: string) => string;
  readonly runId: string;
  /** The run's scratch folder, for the Parquet file before upload. */
  readonly scratchDir: string;
}

/**
 * transformed -> consumption: customer_features (one row per customer: age band, AUM by product, card spend over
 * 1/3/6 months, digital engagement, tenure, segment) and customer_tags (the tag definitions applied as SQL). Each is
 * one plan run on the step's engine (the plans Glue would run); the tags plan reads the published features file.
 */
export async function runConsumptionStep(deps: ConsumptionStepDependencies, businessDate: string): Promise<Manifest[]> {
  const startedAt = new Date();
  const inputs: string[] = [];
  const sources = {} as Record<FeatureSource, readonly string[]>;
  const storedAsText = storedAsTextOf(deps.policy);
  for (const name of FEATURE_SOURCES) {
    const from = featureWindowStart(name, businessDate);
    const manifests = await deps.manifests.list('transformed', name, { from, to: businessDate });
    inputs.push(...manifests.map((m) => manifestKey('transformed', name, m.businessDate)));
    sources[name] = manifests.flatMap((m) => m.files.map((key) => deps.locate('transformed', key)));
  }
  if (!inputs.some((key) => key.includes('/customer_profile/'))) {
    throw new CurError('INPUT_MISSING', `no transformed customer_profile for ${businessDate}: features need the customer list`);
  }
  const features = await writePlanOutput(deps.plans, deps.consumption, (outputPath) => renderCustomerFeaturesPlan({ businessDate, sources, storedAsText, outputPath, dialect: deps.plans.dialect }), partitionPrefix('customer_features', businessDate), deps.scratchDir);
  const featureFiles = [deps.locate('consumption', features.key)];
  const tags = await writePlanOutput(deps.plans, deps.consumption, (outputPath) => renderCustomerTagsPlan({ businessDate, tags: deps.tags, features: featureFiles, outputPath }), partitionPrefix('customer_tags', businessDate), deps.scratchDir);
  const common = { zone: 'consumption' as const, businessDate, step: 'consumption', runId: deps.runId, inputs, counts: {}, keyVersions: {}, startedAt: startedAt.toISOString() };
  const published = [
    { ...common, dataset: 'customer_features', files: [features.key], rowCount: features.rowCount, contentSha256: features.sha256, schemaSha256: schemaSha256(getDataset('customer_features').columns), durationMs: Date.now() - startedAt.getTime() },
    { ...common, dataset: 'customer_tags', files: [tags.key], rowCount: tags.rowCount, contentSha256: tags.sha256, schemaSha256: schemaSha256(getDataset('customer_tags').columns), durationMs: Date.now() - startedAt.getTime() },
  ];
  for (const manifest of published) await deps.manifests.publish(manifest);
  return published;
}
