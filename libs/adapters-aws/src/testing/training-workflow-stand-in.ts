import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { modelTrainingParameterName, modelTrainingStateMachineName } from '@cur/contracts';
import type { TrainingWorkflowClients } from '../step-functions-training-workflow';

/** How the stand-in execution ends once its training job exists. */
export type StandInOutcome = 'succeed' | 'fail';

/** Options of {@link deployTrainingWorkflowStandIn}. */
export interface TrainingWorkflowStandInOptions {
  readonly endpoint: string;
  readonly stage: string;
  /** @default 'ap-northeast-1' */
  readonly region?: string;
  readonly outcome: StandInOutcome;
  /** How long the execution runs after creating the job. @default 1 */
  readonly waitSeconds?: number;
  /** The state machine's own timeout, after which the execution is TIMED_OUT. @default none */
  readonly timeoutSeconds?: number;
}

/**
 * Deploys, on moto's server, what moto can execute of the training workflow (`cur-<stage>-model-training`) and the
 * SSM parameter its stack publishes. moto's Step Functions interpreter runs neither Athena nor the optimised
 * `sagemaker:createTrainingJob.sync` integration, and its SageMaker runs no job (a created job is at once
 * `Completed`), so the real definition (infra's `trainingDefinition`, tested on its own) cannot run here. The stand-in
 * keeps what the CLI relies on: the execution is named after the job, creates it (through the generic `aws-sdk`
 * integration) with the input's hyperparameters, runs on for `waitSeconds`, then succeeds, or fails as the real one
 * does (`Fail` state, error `TrainingFailed`, cause the failed task's error name).
 *
 * @returns the state machine's ARN
 */
export async function deployTrainingWorkflowStandIn(options: TrainingWorkflowStandInOptions): Promise<string> {
  const region = options.region ?? 'ap-northeast-1';
  const clientOptions = { region, endpoint: options.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  // moto runs state machines only when asked to (its `execute_state_machine` setting).
  const config = await fetch(`${options.endpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  if (!config.ok) throw new Error(`moto refused its Step Functions setting (${config.status})`);
  const definition = {
    Comment: `Stand-in on moto of the training workflow: create the job, run on, then ${options.outcome}`,
    ...(options.timeoutSeconds === undefined ? {} : { TimeoutSeconds: options.timeoutSeconds }),
    StartAt: 'Train',
    States: {
      Train: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:createTrainingJob',
        Parameters: {
          'TrainingJobName.$': '$$.Execution.Name',
          RoleArn: `arn:aws:iam::123456789012:role/cur-${options.stage}-sagemaker-training`,
          AlgorithmSpecification: { TrainingImage: '354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3', TrainingInputMode: 'File' },
          'HyperParameters.$': '$.hyperparameters',
          OutputDataConfig: { S3OutputPath: `s3://cur-${options.stage}-system/model-history/artefacts` },
          ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 },
          StoppingCondition: { MaxRuntimeInSeconds: 7200 },
        },
        ResultPath: '$.training',
        Next: 'RunOn',
      },
      RunOn: { Type: 'Wait', Seconds: options.waitSeconds ?? 1, Next: 'End' },
      End: options.outcome === 'succeed' ? { Type: 'Succeed' } : { Type: 'Fail', Error: 'TrainingFailed', Cause: 'States.TaskFailed' },
    },
  };
  const sfn = new SFNClient(clientOptions);
  const ssm = new SSMClient(clientOptions);
  try {
    const created = await sfn.send(
      new CreateStateMachineCommand({ name: modelTrainingStateMachineName(options.stage), definition: JSON.stringify(definition), roleArn: `arn:aws:iam::123456789012:role/cur-${options.stage}-model-launcher` }),
    );
    const arn = created.stateMachineArn ?? '';
    await ssm.send(new PutParameterCommand({ Name: modelTrainingParameterName(options.stage, 'state-machine-arn'), Value: arn, Type: 'String', Overwrite: true }));
    return arn;
  } finally {
    sfn.destroy();
    ssm.destroy();
  }
}

/** The Step Functions, SageMaker and SSM clients of the training workflow, pointed at moto's server. */
export function trainingWorkflowClientsOn(endpoint: string, region = 'ap-northeast-1'): TrainingWorkflowClients {
  const options = { region, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  return { sfn: new SFNClient(options), sageMaker: new SageMakerClient(options), ssm: new SSMClient(options) };
}

/** Destroys the clients {@link trainingWorkflowClientsOn} made. */
export function destroyTrainingWorkflowClients(clients: TrainingWorkflowClients | undefined): void {
  for (const client of Object.values(clients ?? {})) client.destroy();
}
