import { randomBytes } from 'node:crypto';
import { StepFunctionsTrainingWorkflow } from '@cur/adapters-aws/training-workflow';
import { MODEL_OWNER_ROLES, failureCodeOf, followTraining, type TrainingFollowResult } from '@cur/model-registry';
import { AccessDeniedError, CurError, type TrainingWorkflow } from '@cur/platform';
import { z } from 'zod';
import { callerOf } from '../cli-caller';
import type { CliContext } from '../cli-context';
import { trainingJobName, type Hyperparameters } from '../model-training-params';
import { UsageError } from '../process/usage-error';

/** The tag learnt when `--target` names none (the training job's and the workflow's default). */
const DEFAULT_TARGET = 'digital_native';

/** How `cur model train --aws` ends when the execution does not succeed: one error code per end. */
export const AWS_TRAINING_ERROR_CODES = {
  FAILED: 'MODEL_TRAINING_FAILED',
  TIMED_OUT: 'MODEL_TRAINING_TIMED_OUT',
  ABORTED: 'MODEL_TRAINING_ABORTED',
} as const;

/** The options of `cur model train --aws`, validated at the command line's boundary. */
export const AwsTrainingOptionsSchema = z.strictObject({
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, '--stage is lower-case letters, digits and dashes, at most 16'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, '--region is an AWS region such as ap-northeast-1'),
  date: z.iso.date('--date is the business date whose published features are trained on, YYYY-MM-DD'),
  pollSeconds: z.number().min(0.1, '--poll is at least 0.1 seconds').max(300, '--poll is at most 300 seconds'),
  json: z.boolean(),
});

/** Validated options of {@link trainInAws}. */
export type AwsTrainingOptions = z.infer<typeof AwsTrainingOptionsSchema>;

/** What `--json` prints at the end: names, statuses, times, metrics and codes; never a failure reason's text. */
export interface AwsTrainingSummary {
  readonly jobName: string;
  readonly stateMachineArn: string;
  readonly executionArn: string;
  readonly execution: { readonly status: string; readonly startedAt: string; readonly stoppedAt?: string; readonly error?: string };
  readonly trainingJob?: {
    readonly status: string;
    readonly secondaryStatus?: string;
    readonly transitions: readonly { readonly status: string; readonly startedAt: string; readonly endedAt?: string }[];
    readonly metrics: Readonly<Record<string, number>>;
    readonly failureCode?: string;
    readonly modelArtifact?: string;
  };
  /** `detached`: Ctrl-C stopped following; the execution goes on. */
  readonly end: TrainingFollowResult['end'];
}

/**
 * `cur model train --aws`: starts the stage's training workflow (the Step Functions state machine
 * `cur-<stage>-model-training`, found by its SSM parameter) with the hyperparameters, follows the execution and its
 * SageMaker training job (statuses and secondary status transitions as progress lines), and ends as the execution
 * does: exit 0 when it succeeded, an error with a code when it failed, timed out or was aborted. Ctrl-C stops
 * following only: the execution keeps running, and how to follow it is printed. DS and SYSTEM only.
 *
 * @param workflowOf how the workflow is reached (tests pass one on moto's server; by default the SSM parameter)
 */
export async function trainInAws(
  ctx: CliContext,
  hyperparameters: Hyperparameters,
  options: AwsTrainingOptions,
  workflowOf: (location: { stage: string; region: string }) => Promise<TrainingWorkflow> = (location) => StepFunctionsTrainingWorkflow.forStage(location),
): Promise<void> {
  if (!MODEL_OWNER_ROLES.includes(ctx.role)) {
    throw new AccessDeniedError(`only ${MODEL_OWNER_ROLES.join(' and ')} start trainings (run: cur --role DS model train --aws); role ${ctx.role} may not`, { details: { role: ctx.role } });
  }
  const workflow = await workflowOf({ stage: options.stage, region: options.region });
  const jobName = trainingJobName(options.stage, hyperparameters['target_tag'] ?? DEFAULT_TARGET, new Date(), randomBytes(2).toString('hex'));
  // Listen for Ctrl-C before starting: one during StartExecution detaches right after it, with the ARN printed.
  const signal = ctx.signal;
  const started = await workflow.start(jobName, { businessDate: options.date, hyperparameters, startedBy: callerOf(ctx).principal });
  ctx.output.info(`[${jobName}] started ${started.executionArn}`);
  const result = await followTraining(workflow, jobName, started.executionArn, {
    pollIntervalMs: Math.round(options.pollSeconds * 1000),
    signal,
    onProgress: (line) => ctx.output.info(`[${jobName}] ${line}`),
  });
  const summary = summaryOf(jobName, workflow.stateMachineArn, result);
  if (options.json) ctx.output.line(JSON.stringify(summary, null, 2));
  if (result.end === 'detached') {
    ctx.output.info(`[${jobName}] stopped following; the training execution keeps running: ${result.execution.executionArn}`);
    ctx.output.info(`  follow it with: aws stepfunctions describe-execution --region ${options.region} --execution-arn ${result.execution.executionArn}`);
    ctx.output.info(`  stop it with:   aws stepfunctions stop-execution --region ${options.region} --execution-arn ${result.execution.executionArn}`);
    ctx.report('cancelled');
    return;
  }
  if (result.end !== 'SUCCEEDED') {
    const job = result.job === undefined ? '' : `; training job ${result.job.status}${result.job.status === 'Failed' ? ` [${failureCodeOf(result.job.failureReason)}]` : ''}`;
    const why = result.execution.error === undefined ? '' : ` (${result.execution.error}${causeOf(result.execution.cause)})`;
    throw new CurError(
      AWS_TRAINING_ERROR_CODES[result.end],
      `training execution ${result.execution.executionArn} ended ${result.end}${why}${job}: see the execution in the Step Functions console, then train again`,
      { details: { jobName } },
    );
  }
  const auc = result.job?.metrics['validation:auc'];
  if (!options.json) {
    ctx.output.line(`model version ${jobName}: ${result.job?.status ?? 'Completed'}`);
    ctx.output.line(`  validation:auc ${auc === undefined ? '?' : auc.toFixed(4)}${result.job?.modelArtifact === undefined ? '' : `, artefacts in ${result.job.modelArtifact}`}`);
    ctx.output.line(`  the model-history Lambda records it from SageMaker's events; promote it with: cur --role DS model promote ${jobName}`);
  }
}

/** The execution's cause when it is an error name (what the workflow's Fail states give); other text is not shown. */
function causeOf(cause: string | undefined): string {
  return cause !== undefined && /^[A-Za-z0-9_.:-]{1,128}$/.test(cause) ? `: ${cause}` : '';
}

function summaryOf(jobName: string, stateMachineArn: string, result: TrainingFollowResult): AwsTrainingSummary {
  const { execution, job } = result;
  return {
    jobName,
    stateMachineArn,
    executionArn: execution.executionArn,
    execution: {
      status: execution.status,
      startedAt: execution.startedAt.toISOString(),
      ...(execution.stoppedAt === undefined ? {} : { stoppedAt: execution.stoppedAt.toISOString() }),
      ...(execution.error === undefined ? {} : { error: execution.error }),
    },
    ...(job === undefined
      ? {}
      : {
          trainingJob: {
            status: job.status,
            ...(job.secondaryStatus === undefined ? {} : { secondaryStatus: job.secondaryStatus }),
            transitions: job.transitions.map((t) => ({ status: t.status, startedAt: t.startedAt.toISOString(), ...(t.endedAt === undefined ? {} : { endedAt: t.endedAt.toISOString() }) })),
            metrics: job.metrics,
            ...(job.status === 'Failed' ? { failureCode: failureCodeOf(job.failureReason) } : {}),
            ...(job.modelArtifact === undefined ? {} : { modelArtifact: job.modelArtifact }),
          },
        }),
    end: result.end,
  };
}

/**
 * The `--aws` options from commander's, validated.
 *
 * @throws UsageError (exit 2) naming the flag
 */
export function awsTrainingOptions(ctx: CliContext, flags: { stage?: string; region?: string; date?: string; poll?: string; json?: boolean }): AwsTrainingOptions {
  if (flags.date === undefined) throw new UsageError('--date is required with --aws: the business date whose published features the workflow stages');
  const parsed = AwsTrainingOptionsSchema.safeParse({
    stage: flags.stage ?? ctx.config.stage,
    region: flags.region ?? ctx.config.region,
    date: flags.date,
    pollSeconds: flags.poll === undefined ? 10 : Number(flags.poll),
    json: flags.json ?? false,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid --aws options');
  return parsed.data;
}
