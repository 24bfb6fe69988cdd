import { DATASET_NAMES, type Zone } from '@cur/contracts';

/** One step of the pipeline, declared as data: the local runner executes it; the MWAA DAG, Glue jobs and DataHub lineage are generated from it. */
export interface PipelineStep {
  readonly name: 'mask' | 'transform' | 'consumption' | 'score' | 'mart' | 'serving';
  readonly description: string;
  readonly from: Zone;
  /** The zone written, or the serving store the retrieval API reads. */
  readonly to: Zone | 'serving-store';
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /**
   * A model the step applies besides its inputs: `promoted` is the model history's scoring version (`cur model
   * promote`) with its artefacts. While none is promoted the step is skipped, and so is its output's gate; the steps
   * after it read that output as optional.
   */
  readonly model?: 'promoted';
  /** Who the step runs as: only the mask step ever reads plaintext. */
  readonly runsAs: 'SYSTEM' | 'PIPELINE';
}

/** The pipeline, in dependency order. */
export const PIPELINE_STEPS: readonly PipelineStep[] = [
  { name: 'mask', description: 'decode, mask every column by policy, write Parquet, delete landing files', from: 'landing', to: 'raw', inputs: DATASET_NAMES, outputs: DATASET_NAMES, runsAs: 'SYSTEM' },
  { name: 'transform', description: 'type, clean, conform, de-duplicate; reject with coded reasons', from: 'raw', to: 'transformed', inputs: DATASET_NAMES, outputs: [...DATASET_NAMES, 'transform_rejects'], runsAs: 'PIPELINE' },
  { name: 'consumption', description: 'customer features, segments and rule-based tags (DRV tables)', from: 'transformed', to: 'consumption', inputs: DATASET_NAMES, outputs: ['customer_features', 'customer_tags'], runsAs: 'PIPELINE' },
  { name: 'score', description: 'model tags: the promoted model version tags each customer it scores at or above its threshold', from: 'consumption', to: 'consumption', inputs: ['customer_features'], outputs: ['model_tags'], model: 'promoted', runsAs: 'PIPELINE' },
  { name: 'mart', description: 'tag and segment metrics by branch and month, month-over-month change', from: 'consumption', to: 'mart', inputs: ['customer_features', 'customer_tags', 'model_tags'], outputs: ['tag_metrics_monthly', 'segment_metrics_monthly'], runsAs: 'PIPELINE' },
  { name: 'serving', description: 'load tags, features and segment metrics into the serving store, switched atomically', from: 'consumption', to: 'serving-store', inputs: ['customer_features', 'customer_tags', 'model_tags', 'segment_metrics_monthly'], outputs: [], runsAs: 'PIPELINE' },
];
