import type { Zone } from '@cur/contracts';

/**
 * What lineage needs of a pipeline step: the shape of `PipelineStep` in libs/pipeline, declared here so this lib
 * (`access:masked`) never links the pipeline (`access:system`); the caller passes `PIPELINE_STEPS`.
 */
export interface LineageStep {
  readonly name: string;
  readonly description: string;
  readonly from: Zone;
  readonly to: Zone | 'serving-store';
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** A model the step applies besides its inputs (`promoted`: the model history's scoring version). @default none */
  readonly model?: string;
  readonly runsAs: string;
}

/** A dataset in one zone of the lake, or the serving store. */
export interface ZoneDataset {
  readonly zone: Zone | 'serving-store';
  readonly dataset: string;
}

/** One task of the pipeline's graph: a step, for one dataset when the step runs per dataset. */
export interface PipelineTask {
  /** Unique and stable, e.g. `mask_customer_profile`, `consumption`: the Airflow task id and the DataHub job id. */
  readonly id: string;
  readonly step: string;
  /** The dataset the task handles, when the step runs once per dataset. */
  readonly dataset?: string;
  readonly description: string;
  readonly runsAs: string;
  /** The model the task applies besides its inputs, as its step declares it; while there is none the task is skipped. */
  readonly model?: string;
  readonly inputs: readonly ZoneDataset[];
  readonly outputs: readonly ZoneDataset[];
  /** Ids of the tasks whose outputs this task reads, in task order. */
  readonly upstreamTaskIds: readonly string[];
}
