import { ALL_DATASETS, DATASET_NAMES } from '@cur/contracts';
import { createMaskingPolicy } from '@cur/policy';
import type { LineageSources, LineageStep } from '../../src';

/**
 * A pipeline definition shaped like libs/pipeline's PIPELINE_STEPS (which this access:masked lib may not import;
 * tools/cli tests the real one): mask and transform per source dataset, then consumption, mart and serving.
 */
export const STEPS: readonly LineageStep[] = [
  { name: 'mask', description: 'mask', from: 'landing', to: 'raw', inputs: DATASET_NAMES, outputs: DATASET_NAMES, runsAs: 'SYSTEM' },
  { name: 'transform', description: 'transform', from: 'raw', to: 'transformed', inputs: DATASET_NAMES, outputs: [...DATASET_NAMES, 'transform_rejects'], runsAs: 'PIPELINE' },
  { name: 'consumption', description: 'consumption', from: 'transformed', to: 'consumption', inputs: DATASET_NAMES, outputs: ['customer_features', 'customer_tags'], runsAs: 'PIPELINE' },
  { name: 'mart', description: 'mart', from: 'consumption', to: 'mart', inputs: ['customer_features', 'customer_tags'], outputs: ['tag_metrics_monthly', 'segment_metrics_monthly'], runsAs: 'PIPELINE' },
  { name: 'serving', description: 'serving', from: 'consumption', to: 'serving-store', inputs: ['customer_features', 'customer_tags', 'segment_metrics_monthly'], outputs: [], runsAs: 'PIPELINE' },
];

/** The sources of a lineage with the real contracts and masking policy. */
export function sources(overrides: Partial<LineageSources> = {}): LineageSources {
  const policy = createMaskingPolicy();
  return { steps: STEPS, datasets: Object.values(ALL_DATASETS), storageTreatmentFor: (dataset, column) => policy.storageTreatmentFor(dataset, column), ...overrides };
}
