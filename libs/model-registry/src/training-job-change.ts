import type { SageMakerTrainingJobStateChange } from '@cur/contracts';
import { ValidationError } from '@cur/platform';

/** A training job's status, as SageMaker names it. */
export type TrainingJobStatus = SageMakerTrainingJobStateChange['detail']['TrainingJobStatus'];

/** The statuses after which a job changes no more. */
export const TERMINAL_STATUSES: readonly TrainingJobStatus[] = ['Completed', 'Failed', 'Stopped'];

/** The tag keys a launcher (`cur model train`, or whoever starts the SageMaker job) sets on the training job. */
export const MODEL_TAGS = {
  startedBy: 'cur:started-by',
  role: 'cur:role',
  codeVersion: 'cur:code-version',
  targetTag: 'cur:target-tag',
  /** `cur:data:<n>`: one published partition the job read, `<zone>/<dataset>/<business date>/<content SHA-256>`. */
  dataPrefix: 'cur:data:',
} as const;

/** One published partition a version was trained on: lineage to the lake's manifests. */
export interface TrainingDataRef {
  readonly zone: string;
  readonly dataset: string;
  readonly businessDate: string;
  readonly contentSha256: string;
}

/** What a training job is: what each of its state changes carries, and what the version it becomes keeps. */
export interface TrainingJobFacts {
  readonly versionId: string;
  readonly trainingJobArn: string;
  readonly status: TrainingJobStatus;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly data: readonly TrainingDataRef[];
  readonly startedBy?: string;
  readonly role?: string;
  readonly codeVersion?: string;
  readonly targetTag?: string;
  readonly trainingImage?: string;
  readonly modelArtifact?: string;
  /**
   * Why a failed job failed: the code at the end of its failure reason (`... [INVALID_TRAINING_DATA]`, what the
   * training job writes), else `TRAINING_FAILED`. The reason's text is not kept: SageMaker's own may quote a file.
   */
  readonly failureCode?: string;
  /** SageMaker's own transitions (Starting, Downloading, Training, Uploading, Completed), when the event has them. */
  readonly transitions: readonly { readonly status: string; readonly startTime: string; readonly endTime?: string }[];
}

/** One state change of one training job, read from SageMaker's event: what the model history records. */
export interface TrainingJobChange extends TrainingJobFacts {
  readonly eventId: string;
  readonly secondaryStatus?: string;
  /** When the job reached this status (its `LastModifiedTime`, else the event's time), ISO 8601. */
  readonly at: string;
  readonly createdAt?: string;
}

/**
 * The code of a failed job's failure reason: the `[CODE]` at its end (what the training job writes), else
 * `TRAINING_FAILED`. Only the code is ever kept or shown: SageMaker's own reasons may quote a file.
 *
 * @param reason SageMaker's `FailureReason`
 */
export function failureCodeOf(reason: string | undefined): string {
  return /\[([A-Z][A-Z0-9_]*)\]\s*$/.exec(reason ?? '')?.[1] ?? 'TRAINING_FAILED';
}

const DATA_REF = /^([a-z_]+)\/([a-z_]+)\/(\d{4}-\d{2}-\d{2})\/([0-9a-f]{64})$/;

/** SageMaker's epoch milliseconds (or an ISO string) as ISO 8601. */
export function isoTime(value: number | string): string {
  return new Date(value).toISOString();
}

/**
 * Reads one parsed "SageMaker Training Job State Change" event. The version id is the training job's name (unique
 * per account and region, and never reused). SageMaker's own `sagemaker_*` hyperparameters (program, submit
 * directory, region) are kept: they say which code ran.
 *
 * @throws ValidationError when a `cur:data:*` tag is not `<zone>/<dataset>/<date>/<sha256>`
 */
export function readTrainingJobChange(event: SageMakerTrainingJobStateChange): TrainingJobChange {
  const detail = event.detail;
  const tags = detail.Tags ?? {};
  const data: TrainingDataRef[] = [];
  for (const [key, value] of Object.entries(tags).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    if (!key.startsWith(MODEL_TAGS.dataPrefix)) continue;
    const match = DATA_REF.exec(value);
    if (!match) throw new ValidationError(`training job tag ${key} must be <zone>/<dataset>/<YYYY-MM-DD>/<sha256>`, { details: { tag: key } });
    data.push({ zone: match[1] ?? '', dataset: match[2] ?? '', businessDate: match[3] ?? '', contentSha256: match[4] ?? '' });
  }
  const metrics: Record<string, number> = {};
  for (const metric of detail.FinalMetricDataList ?? []) metrics[metric.MetricName] = metric.Value;
  return {
    eventId: event.id,
    versionId: detail.TrainingJobName,
    trainingJobArn: detail.TrainingJobArn,
    status: detail.TrainingJobStatus,
    ...(detail.SecondaryStatus === undefined ? {} : { secondaryStatus: detail.SecondaryStatus }),
    at: isoTime(detail.LastModifiedTime ?? event.time),
    ...(detail.CreationTime === undefined ? {} : { createdAt: isoTime(detail.CreationTime) }),
    hyperparameters: { ...(detail.HyperParameters ?? {}) },
    metrics,
    data,
    ...optional('startedBy', tags[MODEL_TAGS.startedBy]),
    ...optional('role', tags[MODEL_TAGS.role]),
    ...optional('codeVersion', tags[MODEL_TAGS.codeVersion]),
    ...optional('targetTag', tags[MODEL_TAGS.targetTag]),
    ...optional('trainingImage', detail.AlgorithmSpecification?.TrainingImage),
    ...optional('modelArtifact', detail.ModelArtifacts?.S3ModelArtifacts),
    ...(detail.TrainingJobStatus === 'Failed' ? { failureCode: failureCodeOf(detail.FailureReason) } : {}),
    transitions: (detail.SecondaryStatusTransitions ?? []).map((t) => ({
      status: t.Status,
      startTime: isoTime(t.StartTime),
      ...(t.EndTime === undefined ? {} : { endTime: isoTime(t.EndTime) }),
    })),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}
