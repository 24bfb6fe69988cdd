import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { getDataset } from '@cur/contracts';
import type { BlobStore } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';
import { partitionPrefix, schemaSha256, uploadZoneFile } from '../lake/lake-writer';
import { makeStepScratch } from '../scratch/scratch-folder';

/** The promoted model version the scoring step applies. */
export interface ScoringVersion {
  readonly versionId: string;
}

/** What one scoring run reports: counts and names only. */
export interface ScoringOutcome {
  /** The model tag written (`<target>_propensity`). */
  readonly tag: string;
  /** Customers scored. */
  readonly scored: number;
  /** Customers at or above the threshold: the output's rows. */
  readonly tagged: number;
}

/**
 * Applies a model version: locally `python -m cur_model.score` in the workspace's environment (the CLI's adapter),
 * in AWS a SageMaker Processing job on the scikit-learn image (on paper).
 */
export interface ModelScoringPort {
  /** The scoring version (the model history's pointer), or undefined when none was promoted. */
  scoringVersion(): Promise<ScoringVersion | undefined>;
  /**
   * Scores the customers in `features` (engine paths of the published customer_features files) with `version` and
   * writes one Parquet file of `model_tags` rows (cust_id, tag, model_version) at `outputPath`.
   */
  score(version: ScoringVersion, features: readonly string[], outputPath: string): Promise<ScoringOutcome>;
}

/** What the scoring step works with. */
export interface ScoringStepDependencies {
  readonly consumption: BlobStore;
  readonly manifests: ManifestStore;
  readonly scoring: ModelScoringPort;
  readonly locate: (bucket: 'consumption', key: string) => string;
  readonly runId: string;
  /** The run's scratch folder, for the Parquet file before upload. */
  readonly scratchDir: string;
}

/** The dataset the scoring step publishes. */
export const MODEL_TAGS_DATASET = 'model_tags';

/** What every manifest of the scoring step's output shares, whichever engine scored: see {@link scoringManifestTemplate}. */
export interface ScoringManifestTemplate {
  readonly dataset: typeof MODEL_TAGS_DATASET;
  readonly zone: 'consumption';
  readonly step: 'score';
  /** The contract's schema hash of model_tags. */
  readonly schemaSha256: string;
  /** The dataset scored, whose manifest of the date is the only input (and gives the run id and key versions). */
  readonly input: { readonly zone: 'consumption'; readonly dataset: 'customer_features' };
}

/**
 * The fixed part of the scoring step's manifest: the local step publishes with it, and the AWS scoring step's ending
 * (`cur_model.publish`, libs/model-training) reads it from the committed `cur_model/score_manifest.json`
 * (`tsx libs/pipeline/scripts/write-score-manifest.ts`; a test fails while that file is stale), so Python never holds
 * a hand copy of the contract's schema hash.
 *
 * @example
 * const { schemaSha256 } = scoringManifestTemplate();
 */
export function scoringManifestTemplate(): ScoringManifestTemplate {
  return {
    dataset: MODEL_TAGS_DATASET,
    zone: 'consumption',
    step: 'score',
    schemaSha256: schemaSha256(getDataset(MODEL_TAGS_DATASET).columns),
    input: { zone: 'consumption', dataset: 'customer_features' },
  };
}

/** {@link scoringManifestTemplate} as the committed `cur_model/score_manifest.json` holds it. @internal */
export function scoringManifestFile(): string {
  return `${JSON.stringify(scoringManifestTemplate(), null, 2)}\n`;
}

/**
 * consumption.customer_features -> consumption.model_tags: the scoring version's tag for every customer it scores at
 * or above its threshold, each row naming the version. Published with a manifest like the other steps (its input is
 * the features' manifest; `counts` holds scored and tagged), so the DQ gate, the mart and the serving load read it as
 * they read customer_tags. The scores themselves stay in the scratch area of the run and go with it.
 *
 * @throws CurError `INPUT_MISSING` without a published customer_features partition for the date
 */
export async function runScoringStep(deps: ScoringStepDependencies, version: ScoringVersion, businessDate: string): Promise<Manifest> {
  const startedAt = new Date();
  const template = scoringManifestTemplate();
  const features = await deps.manifests.get(template.input.zone, template.input.dataset, businessDate);
  if (!features) throw new CurError('INPUT_MISSING', `no consumption customer_features for ${businessDate}: run the consumption step first`);
  const dir = await makeStepScratch(deps.scratchDir, 'score-');
  try {
    const output = join(dir, 'model_tags.parquet');
    const outcome = await deps.scoring.score(version, features.files.map((key) => deps.locate('consumption', key)), output);
    const written = await uploadZoneFile(deps.consumption, output, outcome.tagged, partitionPrefix(MODEL_TAGS_DATASET, businessDate));
    const manifest: Manifest = {
      dataset: template.dataset,
      zone: template.zone,
      businessDate,
      step: template.step,
      runId: deps.runId,
      files: [written.key],
      rowCount: written.rowCount,
      contentSha256: written.sha256,
      schemaSha256: template.schemaSha256,
      inputs: [manifestKey(template.input.zone, template.input.dataset, businessDate)],
      counts: { scored: outcome.scored, tagged: outcome.tagged },
      keyVersions: features.keyVersions,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
    };
    await deps.manifests.publish(manifest);
    return manifest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
