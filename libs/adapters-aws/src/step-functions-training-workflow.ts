import { DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { modelTrainingParameterName, modelTrainingStateMachineName } from '@cur/contracts';
import type { TrainingExecution, TrainingExecutionInput, TrainingJobProgress, TrainingWorkflow } from '@cur/platform';
import { AccessDeniedError, AdapterError, ConfigError, CurError, TRAINING_EXECUTION_STATUSES, TRAINING_JOB_STATUSES } from '@cur/platform';
import { z } from 'zod';

/** Where {@link StepFunctionsTrainingWorkflow.forStage} finds the workflow. */
export interface TrainingWorkflowLocation {
  readonly stage: string;
  readonly region: string;
}

/** The clients it talks through (each pointed at `AWS_ENDPOINT_URL` when set, as every SDK client is). */
export interface TrainingWorkflowClients {
  readonly sfn: SFNClient;
  readonly sageMaker: SageMakerClient;
  readonly ssm: SSMClient;
}

const StateMachineArnSchema = z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/);

/**
 * The training workflow on Step Functions (`cur-<stage>-model-training`, infra's `ModelTrainingWorkflow`), found
 * through the SSM parameter its stack publishes (`/cur-<stage>/model-training/state-machine-arn`); the job's
 * progress from SageMaker's DescribeTrainingJob. SDK errors become coded platform errors naming the call.
 */
export class StepFunctionsTrainingWorkflow implements TrainingWorkflow {
  readonly stateMachineArn: string;
  readonly #clients: TrainingWorkflowClients;

  constructor(stateMachineArn: string, clients: TrainingWorkflowClients) {
    this.stateMachineArn = stateMachineArn;
    this.#clients = clients;
  }

  /**
   * The stage's workflow: reads the state machine's ARN from the stack's SSM parameter.
   *
   * @throws ConfigError `CONFIG_INVALID` when the parameter is missing (the stack is not deployed in that region)
   * @example
   * const workflow = await StepFunctionsTrainingWorkflow.forStage({ stage: 'dev', region: 'ap-northeast-1' });
   */
  static async forStage(location: TrainingWorkflowLocation, clients?: TrainingWorkflowClients): Promise<StepFunctionsTrainingWorkflow> {
    const using = clients ?? {
      sfn: new SFNClient({ region: location.region }),
      sageMaker: new SageMakerClient({ region: location.region }),
      ssm: new SSMClient({ region: location.region }),
    };
    const name = modelTrainingParameterName(location.stage, 'state-machine-arn');
    let value: string | undefined;
    try {
      value = (await using.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    } catch (error) {
      if (errorName(error) === 'ParameterNotFound') {
        throw new ConfigError(
          `no training workflow for stage ${location.stage} in ${location.region}: the SSM parameter ${name} is missing (deploy the stack ${modelTrainingStateMachineName(location.stage)}, or pass --stage and --region)`,
          { cause: error, details: { stage: location.stage, region: location.region } },
        );
      }
      throw failure(`reading the SSM parameter ${name}`, error);
    }
    const arn = StateMachineArnSchema.safeParse(value);
    if (!arn.success) throw new ConfigError(`the SSM parameter ${name} does not hold a state machine ARN`, { details: { stage: location.stage } });
    return new StepFunctionsTrainingWorkflow(arn.data, using);
  }

  async start(jobName: string, input: TrainingExecutionInput): Promise<TrainingExecution> {
    try {
      const started = await this.#clients.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: jobName, input: JSON.stringify(input) }));
      return { executionArn: started.executionArn ?? '', status: 'RUNNING', startedAt: started.startDate ?? new Date() };
    } catch (error) {
      if (errorName(error) === 'ExecutionAlreadyExists') throw new CurError('MODEL_TRAINING_EXISTS', `a training execution named ${jobName} already exists: train again for a new name`, { cause: error });
      throw failure(`starting the training workflow ${this.stateMachineArn}`, error);
    }
  }

  async describe(executionArn: string): Promise<TrainingExecution> {
    try {
      const found = await this.#clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const status = TRAINING_EXECUTION_STATUSES.find((s) => s === found.status);
      if (status === undefined) throw new AdapterError(`Step Functions described execution ${executionArn} with an unknown status`);
      return {
        executionArn,
        status,
        startedAt: found.startDate ?? new Date(0),
        ...(found.stopDate === undefined ? {} : { stoppedAt: found.stopDate }),
        ...(found.error === undefined ? {} : { error: found.error }),
        ...(found.cause === undefined ? {} : { cause: found.cause }),
      };
    } catch (error) {
      if (error instanceof CurError) throw error;
      throw failure(`describing the training execution ${executionArn}`, error);
    }
  }

  async trainingJob(jobName: string): Promise<TrainingJobProgress | undefined> {
    try {
      const job = await this.#clients.sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
      const status = TRAINING_JOB_STATUSES.find((s) => s === job.TrainingJobStatus);
      if (status === undefined) throw new AdapterError(`SageMaker described training job ${jobName} with an unknown status`);
      return {
        jobName,
        status,
        ...(job.SecondaryStatus === undefined ? {} : { secondaryStatus: job.SecondaryStatus }),
        transitions: (job.SecondaryStatusTransitions ?? []).map((t) => ({
          status: t.Status ?? '',
          startedAt: t.StartTime ?? new Date(0),
          ...(t.EndTime === undefined ? {} : { endedAt: t.EndTime }),
          ...(t.StatusMessage === undefined ? {} : { message: t.StatusMessage }),
        })),
        ...(job.FailureReason === undefined ? {} : { failureReason: job.FailureReason }),
        metrics: Object.fromEntries((job.FinalMetricDataList ?? []).flatMap((m) => (m.MetricName === undefined || m.Value === undefined ? [] : [[m.MetricName, m.Value]]))),
        ...(job.ModelArtifacts?.S3ModelArtifacts === undefined ? {} : { modelArtifact: job.ModelArtifacts.S3ModelArtifacts }),
      };
    } catch (error) {
      if (error instanceof CurError) throw error;
      // SageMaker answers a job that does not exist yet with a ValidationException "Requested resource not found".
      if (errorName(error) === 'ValidationException' || errorName(error) === 'ResourceNotFound') return undefined;
      throw failure(`describing the training job ${jobName}`, error);
    }
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}

/** An SDK error as a platform error naming the call; access denied keeps its own code. */
function failure(what: string, error: unknown): CurError {
  const name = errorName(error);
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return new AccessDeniedError(`${what} was refused by IAM (${name}): the DS role may start and follow the training workflow`, { cause: error });
  return new AdapterError(`${what} failed (${name})`, { cause: error });
}
