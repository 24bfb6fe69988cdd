import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { deployTrainingWorkflowStandIn, startMotoServer, type MotoServer } from '@cur/adapters-aws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUR_BIN, runCurBin } from '../helpers/run-cur-bin';
import { spawn } from 'node:child_process';

/**
 * `cur model train --aws` through the real executable against moto's server on loopback (Step Functions, SageMaker
 * and SSM control planes; `AWS_ENDPOINT_URL` points every SDK client there). moto cannot run the real workflow
 * (Athena UNLOAD, the `.sync` SageMaker integration) nor SageMaker actually training (a job moto creates is at once
 * `Completed`, with one `Starting` transition): each stage below runs a stand-in definition
 * (`deployTrainingWorkflowStandIn`) that creates the job under the execution's name and then succeeds, fails as the
 * real one does (`TrainingFailed`), or runs on for Ctrl-C. Those parts stay verified on paper.
 */
let moto: MotoServer;
let home: string;
let env: NodeJS.ProcessEnv;

interface Summary {
  readonly jobName: string;
  readonly executionArn: string;
  readonly end: string;
  readonly execution: { status: string; error?: string };
  readonly trainingJob?: { status: string; transitions: { status: string }[] };
}

beforeAll(async () => {
  moto = await startMotoServer();
  home = await mkdtemp(join(tmpdir(), 'cur-train-aws-'));
  env = { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'ap-northeast-1', CUR_STAGE: 'dev' };
  await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'dev', outcome: 'succeed', waitSeconds: 1 });
  await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'broken', outcome: 'fail', waitSeconds: 1 });
  await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'slow', outcome: 'succeed', waitSeconds: 600 });
  await deployTrainingWorkflowStandIn({ endpoint: moto.endpoint, stage: 'late', outcome: 'succeed', waitSeconds: 600, timeoutSeconds: 2 });
}, 120_000);
afterAll(async () => moto?.stop());

describe('cur model train --aws', () => {
  it("starts the stage's workflow with the params, prints the job's progress, and a JSON summary; exit 0", async () => {
    // Act
    const run = await runCurBin(['--role', 'DS', 'model', 'train', '--aws', '--date', '2026-11-25', '--seed', '7', '--params', 'max_depth=4', '--poll', '0.2', '--json'], home, env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.jobName).toMatch(/^cur-dev-train-digital-native-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(summary).toMatchObject({ end: 'SUCCEEDED', execution: { status: 'SUCCEEDED' }, trainingJob: { status: 'Completed', transitions: [{ status: 'Starting' }] } });
    expect(summary.executionArn).toBe(`arn:aws:states:ap-northeast-1:123456789012:execution:cur-dev-model-training:${summary.jobName}`);
    expect(run.stderr).toContain(`[${summary.jobName}] started ${summary.executionArn}`);
    expect(run.stderr).toContain(`[${summary.jobName}] execution RUNNING`);
    expect(run.stderr).toContain(`[${summary.jobName}] training job Completed (Completed)`);
    expect(run.stderr).toContain(`[${summary.jobName}] Starting: Preparing the instances for training`);
    expect(run.stderr).toContain(`[${summary.jobName}] execution SUCCEEDED`);
    // The execution got the params as validated locally: the input the state machine reads.
    const sfn = new SFNClient({ region: 'ap-northeast-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: summary.executionArn }));
      expect(JSON.parse(execution.input ?? '{}')).toEqual({ businessDate: '2026-11-25', hyperparameters: { seed: '7', max_depth: '4' }, startedBy: expect.stringMatching(/^cli:/) });
    } finally {
      sfn.destroy();
    }
  }, 120_000);

  it('exits 1 with MODEL_TRAINING_FAILED, the execution and its error, when the execution fails', async () => {
    const run = await runCurBin(['--role', 'DS', 'model', 'train', '--aws', '--stage', 'broken', '--date', '2026-11-25', '--poll', '0.2'], home, env);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /error: training execution arn:aws:states:ap-northeast-1:123456789012:execution:cur-broken-model-training:cur-broken-train-digital-native-\S+ ended FAILED \(TrainingFailed: States\.TaskFailed\); training job Completed: see the execution in the Step Functions console, then train again \[MODEL_TRAINING_FAILED\]/,
    );
  }, 120_000);

  it('exits 1 with MODEL_TRAINING_TIMED_OUT when the execution outlives the state machine\'s timeout', async () => {
    const run = await runCurBin(['--role', 'DS', 'model', 'train', '--aws', '--stage', 'late', '--date', '2026-11-25', '--poll', '0.2'], home, env);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/error: training execution arn:aws:states:\S+:execution:cur-late-model-training:cur-late-train-\S+ ended TIMED_OUT\b.*\[MODEL_TRAINING_TIMED_OUT\]/);
  }, 120_000);

  it('refuses every role but DS and SYSTEM before calling AWS, and a stage without the workflow with the parameter it looked for', async () => {
    const de = await runCurBin(['--role', 'DE', 'model', 'train', '--aws', '--date', '2026-11-25'], home, env);
    expect(de.code).toBe(1);
    expect(de.stderr).toContain('error: only DS and SYSTEM start trainings (run: cur --role DS model train --aws); role DE may not [ACCESS_DENIED]');
    const missing = await runCurBin(['--role', 'SYSTEM', 'model', 'train', '--aws', '--stage', 'nowhere', '--date', '2026-11-25'], home, env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/cur-nowhere/model-training/state-machine-arn is missing');
    expect(missing.stderr).toContain('[CONFIG_INVALID]');
    // Usage: --date is required in AWS, params are validated as locally (exit 2, nothing started).
    for (const args of [['--aws'], ['--aws', '--date', '2026-11-25', '--params', 'sagemaker_program=x.py'], ['--aws', '--date', '2026-11-25', '--seed', 'x'], ['--stage', 'dev']]) {
      const usage = await runCurBin(['--role', 'DS', 'model', 'train', ...args], home, env);
      expect(usage.code, `${args.join(' ')}: ${usage.stderr}`).toBe(2);
    }
  }, 120_000);

  it('on Ctrl-C stops following, leaves the execution running, prints its ARN and how to follow it; exit 130', async () => {
    // Prepare
    const child = spawn(process.execPath, [CUR_BIN, '--role', 'DS', 'model', 'train', '--aws', '--stage', 'slow', '--date', '2026-11-25', '--poll', '0.2'], {
      env: { ...process.env, ...env, CUR_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (const deadline = Date.now() + 60_000; !/training job Completed/.test(stderr); ) {
      if (Date.now() > deadline) throw new Error(`no progress within a minute:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Act
    child.kill('SIGINT');
    const code = await exited;

    // Assess
    expect(code, stderr).toBe(130);
    const arn = /started (arn:aws:states:\S+)/.exec(stderr)?.[1] ?? '';
    expect(stderr).toContain(`the training execution keeps running: ${arn}`);
    expect(stderr).toContain(`aws stepfunctions describe-execution --region ap-northeast-1 --execution-arn ${arn}`);
    const sfn = new SFNClient({ region: 'ap-northeast-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    } finally {
      sfn.destroy();
    }
  }, 120_000);
});
