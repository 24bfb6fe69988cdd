/** SageMaker's limit on a training job name (also the model version id). */
export const TRAINING_JOB_NAME_MAX_LENGTH = 63;

/**
 * The prefix of every training job the platform of one stage starts: `cur-<stage>-train-`. The one place it is
 * defined: `cur model train` names its jobs (and, with `--aws`, the Step Functions execution whose name the job
 * takes) with it, the training state machine refuses an execution without it and may create only jobs with it, the
 * model-history rule matches it, and the model-history handler ignores a job without it. So a data scientist's own
 * SageMaker jobs in the account, or another stage's, never become model versions.
 *
 * @param stage the platform's stage (`CUR_STAGE`), e.g. `dev`
 * @example
 * trainingJobNamePrefix('dev'); // 'cur-dev-train-'
 */
export function trainingJobNamePrefix(stage: string): string {
  return `cur-${stage}-train-`;
}

/**
 * Whether a training job is one the platform of `stage` started (its name has {@link trainingJobNamePrefix}).
 *
 * @param jobName SageMaker's `TrainingJobName`
 * @param stage the platform's stage
 */
export function isPlatformTrainingJob(jobName: string, stage: string): boolean {
  return jobName.startsWith(trainingJobNamePrefix(stage));
}

/** The SSM parameters the model-training stack publishes. */
export const MODEL_TRAINING_PARAMETERS = ['state-machine-arn', 'role-arn', 'image-uri'] as const;

/**
 * The name of one SSM parameter of the stage's model-training stack, `/cur-<stage>/model-training/<name>`:
 * `state-machine-arn` is how `cur model train --aws` finds the training workflow `cur-<stage>-model-training`.
 *
 * @param stage the platform's stage
 * @param name which parameter
 */
export function modelTrainingParameterName(stage: string, name: (typeof MODEL_TRAINING_PARAMETERS)[number]): string {
  return `/cur-${stage}/model-training/${name}`;
}

/** The training workflow's state machine of a stage: `cur-<stage>-model-training`. */
export function modelTrainingStateMachineName(stage: string): string {
  return `cur-${stage}-model-training`;
}
