/**
 * What lineage reads of a pipeline run log (`runs/<runId>.json`, libs/pipeline's `PipelineRun`): ids, times,
 * statuses and error codes. Error messages are never read, so nothing a message might quote reaches DataHub.
 */
export interface LineageRun {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly businessDates: readonly string[];
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly steps: readonly LineageStepRun[];
}

/** One step of a run log. */
export interface LineageStepRun {
  readonly step: string;
  /** `<dataset>/<business date>` for a per-dataset step, the business date otherwise, `<zone>/<dataset>/<date>` for dq. */
  readonly target: string;
  readonly status: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  readonly attempts: number;
  readonly startedAt?: string;
  readonly durationMs: number;
  readonly rowCount?: number;
  readonly errorCode?: string;
}

/** What lineage reads of a published manifest (libs/lake's `Manifest`): which run wrote which partition, how many rows. */
export interface LineageManifest {
  readonly dataset: string;
  readonly zone: string;
  readonly businessDate: string;
  readonly step: string;
  readonly runId: string;
  readonly rowCount: number;
  readonly startedAt: string;
}

/**
 * What lineage reads of a DQ evaluation (libs/dq-alerts' `DqEvaluation`, Glue Data Quality's shape): the rules, their
 * outcomes and metrics. A rule's `EvaluationMessage` is never read: a message may quote data.
 */
export interface LineageDqEvaluation {
  readonly resultId: string;
  readonly rulesetName: string;
  readonly dataset: string;
  readonly zone: string;
  readonly businessDate: string;
  readonly evaluatedAt: string;
  readonly ruleResults: readonly {
    readonly Name: string;
    readonly Description?: string;
    readonly Result: 'PASS' | 'FAIL' | 'ERROR';
    readonly EvaluatedMetrics: Readonly<Record<string, number>>;
    readonly Labels: Readonly<Record<string, string>>;
  }[];
}
