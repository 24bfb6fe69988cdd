/** SageMaker's training job statuses (DescribeTrainingJob, and its state change events). */
export const TRAINING_JOB_STATUSES = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'] as const;

/** One training job status. */
export type TrainingJobProgressStatus = (typeof TRAINING_JOB_STATUSES)[number];

/** A Step Functions execution's statuses (DescribeExecution). */
export const TRAINING_EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

/** One execution status. */
export type TrainingExecutionStatus = (typeof TRAINING_EXECUTION_STATUSES)[number];

/** What a training execution takes: the state machine's input `{"businessDate", "hyperparameters", "startedBy"}`. */
export interface TrainingExecutionInput {
  /** The business date whose published consumption manifests the execution stages. */
  readonly businessDate: string;
  /** The caller's hyperparameters (over the workflow's defaults, under its `sagemaker_*` entries). */
  readonly hyperparameters: Readonly<Record<string, string>>;
  /** Who started it, in the caller's words (CloudTrail's StartExecution record names the real caller). */
  readonly startedBy: string;
}

/** A training execution as the workflow describes it. */
export interface TrainingExecution {
  readonly executionArn: string;
  readonly status: TrainingExecutionStatus;
  readonly startedAt: Date;
  readonly stoppedAt?: Date;
  /** The error name of a failed execution (e.g. `TrainingFailed`, `States.Timeout`). */
  readonly error?: string;
  /** Its cause, as the state machine gives it. */
  readonly cause?: string;
}

/** One of SageMaker's secondary status transitions of a job. */
export interface TrainingJobTransition {
  readonly status: string;
  readonly startedAt: Date;
  readonly endedAt?: Date;
  readonly message?: string;
}

/** A training job's progress, as DescribeTrainingJob gives it. */
export interface TrainingJobProgress {
  readonly jobName: string;
  readonly status: TrainingJobProgressStatus;
  readonly secondaryStatus?: string;
  readonly transitions: readonly TrainingJobTransition[];
  /** SageMaker's failure reason, which may quote a file: only its code is ever shown. */
  readonly failureReason?: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly modelArtifact?: string;
}

/**
 * The training workflow in AWS (the Step Functions state machine `cur-<stage>-model-training`): start an execution
 * named after its training job, describe it, and describe the job it runs. Implemented by
 * `StepFunctionsTrainingWorkflow` (`@cur/adapters-aws/training-workflow`).
 */
export interface TrainingWorkflow {
  /** The state machine's ARN. */
  readonly stateMachineArn: string;
  /** Starts an execution named `jobName` (the training job takes the name). */
  start(jobName: string, input: TrainingExecutionInput): Promise<TrainingExecution>;
  /** The execution now. */
  describe(executionArn: string): Promise<TrainingExecution>;
  /** The training job now, or `undefined` while the execution has not created it yet. */
  trainingJob(jobName: string): Promise<TrainingJobProgress | undefined>;
}
