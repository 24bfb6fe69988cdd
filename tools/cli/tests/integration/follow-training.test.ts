import { StepFunctionsTrainingWorkflow, type TrainingWorkflowClients } from '@cur/adapters-aws/training-workflow';
import { deployTrainingWorkflowStandIn, destroyTrainingWorkflowClients, startMotoServer, trainingWorkflowClientsOn, type MotoServer } from '@cur/adapters-aws/testing';
import { followTraining } from '@cur/model-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `followTraining` (libs/model-registry), what `cur model train --aws` prints its progress with, on the Step Functions
 * adapter against moto's server. moto runs a stand-in of the workflow (it cannot run Athena, the `.sync` SageMaker
 * integration or a training job; a job it creates is at once `Completed`): see `deployTrainingWorkflowStandIn`.
 */
describe('Function: followTraining', () => {
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

  it("reports each change once, execution's and job's statuses and the job's transitions, until the execution ends", async () => {
    // Prepare
    // Runs on 5 s after creating the job, so that even a loaded machine's first poll sees it RUNNING.
    await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'dev', outcome: 'succeed', waitSeconds: 5 });
    const workflow = await StepFunctionsTrainingWorkflow.forStage({ stage: 'dev', region: 'ap-northeast-1' }, clients);
    const jobName = 'cur-dev-train-digital-native-20261207-050000-a1b2';
    const lines: string[] = [];

    // Act
    const started = await workflow.start(jobName, { businessDate: '2026-11-25', hyperparameters: {}, startedBy: 'cli:alice' });
    const result = await followTraining(workflow, jobName, started.executionArn, { pollIntervalMs: 200, onProgress: (line) => lines.push(line) });

    // Assess
    expect(result).toMatchObject({ end: 'SUCCEEDED', execution: { status: 'SUCCEEDED' }, job: { status: 'Completed' } });
    expect(lines[0]).toBe('execution RUNNING');
    expect(lines).toContain('training job Completed (Completed)');
    expect(lines).toContain('Starting: Preparing the instances for training');
    expect(lines.at(-1)).toBe('execution SUCCEEDED');
    expect(new Set(lines).size).toBe(lines.length);
  }, 60_000);

  it('returns detached when its signal aborts, leaving the execution running', async () => {
    // Prepare
    await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'slow', outcome: 'succeed', waitSeconds: 600 });
    const workflow = await StepFunctionsTrainingWorkflow.forStage({ stage: 'slow', region: 'ap-northeast-1' }, clients);
    const started = await workflow.start('cur-slow-train-x-20261207-050000-0002', { businessDate: '2026-11-25', hyperparameters: {}, startedBy: 'cli:alice' });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 600);

    // Act
    const result = await followTraining(workflow, 'cur-slow-train-x-20261207-050000-0002', started.executionArn, { pollIntervalMs: 200, signal: stop.signal, onProgress: () => undefined });

    // Assess
    expect(result.end).toBe('detached');
    expect((await workflow.describe(started.executionArn)).status).toBe('RUNNING');
  }, 60_000);
});
