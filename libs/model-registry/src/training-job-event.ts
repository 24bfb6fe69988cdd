import { randomUUID } from 'node:crypto';
import type { SageMakerTrainingJobStateChange } from '@cur/contracts';
import type { TrainingJobStatus } from './training-job-change';

/** What a local training run knows of itself, to describe it as SageMaker would. */
export interface TrainingJobEventInput {
  readonly jobName: string;
  readonly status: TrainingJobStatus;
  readonly secondaryStatus: string;
  readonly createdAt: Date;
  readonly at: Date;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly transitions?: readonly { readonly status: string; readonly start: Date; readonly end?: Date; readonly message?: string }[];
  readonly trainingImage: string;
  readonly modelArtifact?: string;
  readonly failureReason?: string;
  /** @default '000000000000' */
  readonly account?: string;
  /** @default 'local' */
  readonly region?: string;
}

/**
 * The "SageMaker Training Job State Change" event SageMaker would send for a job in this state: the detail in
 * DescribeTrainingJob's shape with times in epoch milliseconds, as EventBridge delivers it. `cur model train` hands
 * it to the same handler the Lambda runs.
 */
export function trainingJobStateChangeEvent(input: TrainingJobEventInput): SageMakerTrainingJobStateChange {
  const account = input.account ?? '000000000000';
  const region = input.region ?? 'local';
  const arn = `arn:aws:sagemaker:${region}:${account}:training-job/${input.jobName}`;
  const ms = (date: Date): number => date.getTime();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'SageMaker Training Job State Change',
    source: 'aws.sagemaker',
    account,
    time: input.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [arn],
    detail: {
      TrainingJobName: input.jobName,
      TrainingJobArn: arn,
      TrainingJobStatus: input.status,
      SecondaryStatus: input.secondaryStatus,
      HyperParameters: { ...input.hyperparameters },
      AlgorithmSpecification: { TrainingImage: input.trainingImage, TrainingInputMode: 'File' },
      CreationTime: ms(input.createdAt),
      TrainingStartTime: ms(input.createdAt),
      ...(input.status === 'InProgress' ? {} : { TrainingEndTime: ms(input.at) }),
      LastModifiedTime: ms(input.at),
      SecondaryStatusTransitions: (input.transitions ?? []).map((t) => ({
        Status: t.status,
        StartTime: ms(t.start),
        ...(t.end === undefined ? {} : { EndTime: ms(t.end) }),
        ...(t.message === undefined ? {} : { StatusMessage: t.message }),
      })),
      ...(input.metrics === undefined ? {} : { FinalMetricDataList: Object.entries(input.metrics).map(([MetricName, Value]) => ({ MetricName, Value, Timestamp: ms(input.at) })) }),
      ...(input.modelArtifact === undefined ? {} : { ModelArtifacts: { S3ModelArtifacts: input.modelArtifact } }),
      ...(input.failureReason === undefined ? {} : { FailureReason: input.failureReason }),
      Tags: { ...input.tags },
    },
  };
}
