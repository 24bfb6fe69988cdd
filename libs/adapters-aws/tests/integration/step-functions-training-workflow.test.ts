import { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepFunctionsTrainingWorkflow, type TrainingWorkflowClients } from '../../src/step-functions-training-workflow';
import { deployTrainingWorkflowStandIn, destroyTrainingWorkflowClients, startMotoServer, trainingWorkflowClientsOn, type MotoServer } from '../../src/testing/index';

/**
 * On moto's server (Step Functions, SageMaker and SSM control planes on loopback). What moto cannot emulate, and so
 * stays verified on paper: the real state machine running (Athena UNLOAD, `createTrainingJob.sync`), and SageMaker
 * actually training, whose jobs moto creates already `Completed` with one `Starting` transition; the stand-in
 * definition (`deployTrainingWorkflowStandIn`) creates the job as the real one does and ends as it would.
 */
describe('Class: StepFunctionsTrainingWorkflow', () => {
  let moto: MotoServer;
  let clients: TrainingWorkflowClients;

  beforeAll(async () => {
    moto = await startMotoServer();
    clients = trainingWorkflowClientsOn(moto.endpoint);
  }, 120_000);
  afterAll(async () => {
    destroyTrainingWorkflowClients(clients);
    await moto?.stop();
  });

  it("is found by the stack's SSM parameter; a stage without it is a coded configuration error naming the parameter", async () => {
    // Prepare
    const arn = await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'found', outcome: 'succeed' });

    // Act and assess
    expect((await StepFunctionsTrainingWorkflow.forStage({ stage: 'found', region: 'ap-northeast-1' }, clients)).stateMachineArn).toBe(arn);
    await expect(StepFunctionsTrainingWorkflow.forStage({ stage: 'nowhere', region: 'ap-northeast-1' }, clients)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('/cur-nowhere/model-training/state-machine-arn'),
    });
  });

  it('starts an execution named after its job with the input; describes it and the job it creates until the end', async () => {
    // Prepare
    await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'dev', outcome: 'succeed', waitSeconds: 1 });
    const workflow = await StepFunctionsTrainingWorkflow.forStage({ stage: 'dev', region: 'ap-northeast-1' }, clients);
    const jobName = 'cur-dev-train-digital-native-20261207-050000-a1b2';

    // Act
    const started = await workflow.start(jobName, { businessDate: '2026-11-25', hyperparameters: { seed: '7', model: 'logistic' }, startedBy: 'cli:alice' });
    const before = await workflow.trainingJob('cur-dev-train-not-created-yet');
    const ended = await until(() => workflow.describe(started.executionArn), (e) => e.status !== 'RUNNING');
    const job = await workflow.trainingJob(jobName);

    // Assess
    expect(started.executionArn).toBe(`${workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:${jobName}`);
    expect(before).toBeUndefined();
    expect(ended).toMatchObject({ status: 'SUCCEEDED', stoppedAt: expect.any(Date) });
    // The execution created the job under its own name, with the caller's hyperparameters.
    expect((await clients.sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }))).HyperParameters).toEqual({ seed: '7', model: 'logistic' });
    expect(job).toMatchObject({ jobName, status: 'Completed', secondaryStatus: 'Completed', transitions: [{ status: 'Starting', message: 'Preparing the instances for training' }] });
    await expect(workflow.start(jobName, { businessDate: '2026-11-25', hyperparameters: {}, startedBy: 'cli:alice' })).rejects.toMatchObject({ code: 'MODEL_TRAINING_EXISTS' });
  }, 60_000);

  it("describes a running execution, a failed one's error and cause, and a stopped one as ABORTED", async () => {
    // Prepare
    await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'broken', outcome: 'fail', waitSeconds: 1 });
    await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'slow', outcome: 'succeed', waitSeconds: 600 });
    const broken = await StepFunctionsTrainingWorkflow.forStage({ stage: 'broken', region: 'ap-northeast-1' }, clients);
    const slow = await StepFunctionsTrainingWorkflow.forStage({ stage: 'slow', region: 'ap-northeast-1' }, clients);
    const input = { businessDate: '2026-11-25', hyperparameters: {}, startedBy: 'cli:alice' };

    // Act
    const failed = await broken.start('cur-broken-train-x-20261207-050000-0001', input);
    const failedEnd = await until(() => broken.describe(failed.executionArn), (e) => e.status !== 'RUNNING');
    const running = await slow.start('cur-slow-train-x-20261207-050000-0002', input);
    // Described while it runs: the slow one waits 600 s, so no loaded machine can see it end first.
    const described = await slow.describe(running.executionArn);
    await clients.sfn.send(new StopExecutionCommand({ executionArn: running.executionArn }));
    const aborted = await until(() => slow.describe(running.executionArn), (e) => e.status !== 'RUNNING');

    // Assess
    expect(failedEnd).toMatchObject({ status: 'FAILED', error: 'TrainingFailed', cause: 'States.TaskFailed' });
    expect(described).toMatchObject({ status: 'RUNNING', executionArn: running.executionArn });
    expect(aborted.status).toBe('ABORTED');
  }, 60_000);
});

/** Polls `read` every 200 ms until `done` holds (at most 30 s). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (const deadline = Date.now() + 30_000; ; ) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
