import type { PublishedManifest } from './lake/published-manifest';
import type { PublishedPartitionReader } from './lake/published-partition-reader';
import type { PromotedModelSource } from './ports/promoted-model-source';
import { replicaTable } from './replica-tables';

/** The replicated dataset of model tags, and the one it is scored from. */
export const MODEL_TAGS_DATASET = 'model_tags';
export const SCORED_FROM_DATASET = 'customer_features';

/**
 * Why a published model_tags partition is not current, or undefined when it is. Current means: scored from the
 * date's published features (its manifest's run is theirs, the rule the mart and the serving load follow) by the
 * version promoted now. A partition left by a run before the features were rebuilt unscored, or scored by a version
 * since rolled back or replaced, is not current: the replica must not carry it.
 */
export async function modelTagsNotCurrent(lake: PublishedPartitionReader, models: PromotedModelSource, manifest: PublishedManifest, businessDate: string): Promise<string | undefined> {
  const promoted = await models.promotedVersion();
  if (promoted === undefined) return 'no model version is promoted';
  const features = await lake.manifest(replicaTable(SCORED_FROM_DATASET), businessDate);
  if (features?.runId !== manifest.runId) return `not scored from the published ${SCORED_FROM_DATASET} of ${businessDate}`;
  for await (const row of lake.rows(replicaTable(MODEL_TAGS_DATASET), manifest)) {
    // One scoring run writes one version: its first row names it.
    if (row['model_version'] !== promoted) return 'scored by a model version that is not the promoted one';
    break;
  }
  return undefined;
}
