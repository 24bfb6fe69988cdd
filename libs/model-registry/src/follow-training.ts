import type { TrainingExecution, TrainingJobProgress, TrainingWorkflow } from '@cur/platform';
import { failureCodeOf } from './training-job-change';

/** How often the execution and its job are described unless told otherwise (DescribeExecution allows far more). */
export const DEFAULT_TRAINING_POLL_MS = 10_000;

/** Options of {@link followTraining}. */
export interface FollowTrainingOptions {
  /** Each change worth a line: the execution's status, the job's status and each new secondary status transition. */
  readonly onProgress: (line: string) => void;
  /** @default DEFAULT_TRAINING_POLL_MS */
  readonly pollIntervalMs?: number;
  /** Aborted (Ctrl-C): stop following and leave the execution running. */
  readonly signal?: AbortSignal;
}

/** How following a training execution ended. */
export interface TrainingFollowResult {
  /** `detached`: the caller stopped following (the execution goes on). */
  readonly end: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'detached';
  readonly execution: TrainingExecution;
  /** The job as last described, if the execution created it. */
  readonly job?: TrainingJobProgress;
}

/**
 * Follows one training execution until it ends: describes the execution and its training job every poll interval
 * and reports each change as one line (statuses, SageMaker's secondary status transitions with their messages; of a
 * failure only its code, since SageMaker's reasons may quote a file). Returns when the execution is no longer
 * running, or `detached` when the signal aborts (the execution keeps running).
 *
 * @example
 * const result = await followTraining(workflow, jobName, execution.executionArn, { onProgress: console.log, signal });
 */
export async function followTraining(workflow: TrainingWorkflow, jobName: string, executionArn: string, options: FollowTrainingOptions): Promise<TrainingFollowResult> {
  const interval = options.pollIntervalMs ?? DEFAULT_TRAINING_POLL_MS;
  let lastExecution: string | undefined;
  let lastJob: string | undefined;
  let transitionsSeen = 0;
  let job: TrainingJobProgress | undefined;
  for (;;) {
    const execution = await workflow.describe(executionArn);
    if (execution.status !== lastExecution) {
      options.onProgress(`execution ${execution.status}`);
      lastExecution = execution.status;
    }
    job = (await workflow.trainingJob(jobName)) ?? job;
    if (job) {
      const state = `${job.status}/${job.secondaryStatus ?? ''}`;
      if (state !== lastJob) {
        options.onProgress(`training job ${job.status}${job.secondaryStatus === undefined ? '' : ` (${job.secondaryStatus})`}${job.status === 'Failed' ? ` [${failureCodeOf(job.failureReason)}]` : ''}`);
        lastJob = state;
      }
      for (const transition of job.transitions.slice(transitionsSeen)) options.onProgress(transitionLine(transition.status, transition.message));
      transitionsSeen = Math.max(transitionsSeen, job.transitions.length);
    }
    if (execution.status !== 'RUNNING') {
      const end = execution.status === 'PENDING_REDRIVE' ? 'FAILED' : execution.status;
      return { end, execution, ...(job === undefined ? {} : { job }) };
    }
    if (await aborted(interval, options.signal)) return { end: 'detached', execution, ...(job === undefined ? {} : { job }) };
  }
}

/** A transition as a line: SageMaker's message, except on `Failed`, whose message is the failure reason. */
function transitionLine(status: string, message: string | undefined): string {
  return status === 'Failed' || message === undefined || message === '' ? status : `${status}: ${message}`;
}

/** Waits `ms`; true when the signal aborted first (or already had). */
function aborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => done(true);
    const timer = setTimeout(() => done(false), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
