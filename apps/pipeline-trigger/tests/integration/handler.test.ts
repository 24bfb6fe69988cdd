import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATASET_NAMES } from '@cur/contracts';
import { batchIdOf } from '@cur/ingestion';
import { createLogger } from '@cur/platform';
import { createMetrics } from '@cur/platform/metrics';
import { lambdaContext } from '@cur/platform/testing';
import { SERVICE_NAME } from '../../src/constants';
import { createPipelineTriggerHandler } from '../../src/core';
import { MwaaInvokeError } from '../../src/errors';
import { createPipelineTriggerLambda } from '../../src/handler';
import { createPipelineTriggerDependencies, type PipelineTriggerWiring } from '../../src/wiring';
import { MwaaStandIn } from '../helpers/mwaa-stand-in';

interface BatchAcceptedEvent {
  detail: { batchId: string; dataset: string; businessDate: string; rowCount: number; dataKey: string; controlKey: string };
  [key: string]: unknown;
}

/** The real EventBridge event (tests/events), for another dataset and date when asked. */
function realEvent(dataset = 'card_transaction', businessDate = '2026-11-25'): BatchAcceptedEvent {
  const event = JSON.parse(readFileSync(new URL('../events/batch-accepted.json', import.meta.url), 'utf8')) as BatchAcceptedEvent;
  const compact = businessDate.replaceAll('-', '');
  event.detail = { ...event.detail, batchId: batchIdOf(dataset, businessDate), dataset, businessDate, dataKey: `incoming/${dataset}/${dataset}_${compact}.csv.gz`, controlKey: `incoming/${dataset}/${dataset}_${compact}.ctl` };
  return event;
}

/** What the ingestion-controller writes before it announces a batch. */
async function accept(deps: PipelineTriggerWiring, dataset: string, businessDate: string, rowCount = 100): Promise<void> {
  const event = realEvent(dataset, businessDate);
  await deps.ledger.claim({ ...event.detail, rowCount, sha256: 'a'.repeat(64), acceptedAt: '2026-11-25T21:05:00Z' });
}

const credentials = () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });

describe('pipeline-trigger: Batch Accepted to one MWAA DAG run per business date', () => {
  let mwaa: MwaaStandIn;
  let deps: PipelineTriggerWiring;
  let handle: ReturnType<typeof createPipelineTriggerHandler>;

  beforeEach(async () => {
    mwaa = await MwaaStandIn.start();
    const home = await mkdtemp(join(tmpdir(), 'cur-pipeline-trigger-'));
    deps = await createPipelineTriggerDependencies({ CUR_HOME: home, CUR_MWAA_ENVIRONMENT: 'cur-dev-pipeline', CUR_MWAA_ENDPOINT: mwaa.url, AWS_REGION: 'ap-northeast-1' }, { credentials });
    handle = createPipelineTriggerHandler(() => Promise.resolve(deps));
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await deps.close();
    await mwaa.close();
  });

  it('waits while a source dataset of the date has no accepted batch, and calls MWAA for none of them', async () => {
    // Prepare: three of the four source batches accepted
    const [last, ...first] = [...DATASET_NAMES].reverse() as [string, ...string[]];
    for (const dataset of first) await accept(deps, dataset, '2026-11-25');

    // Act
    const outcomes = [];
    for (const dataset of first) outcomes.push(await handle(realEvent(dataset)));

    // Assess
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(outcomes[2]).toMatchObject({ missing: [last] });
    expect(mwaa.calls).toHaveLength(0);
  });

  it('starts the date run once the last source batch is accepted, signed for airflow, with every batch in its conf', async () => {
    // Prepare: every source batch of the date accepted; a quarantined-then-resent one counts once accepted
    for (const dataset of DATASET_NAMES) await accept(deps, dataset, '2026-11-25', 10 + DATASET_NAMES.indexOf(dataset));

    // Act
    const outcome = await handle(realEvent('card_transaction'));

    // Assess
    expect(outcome).toEqual({ outcome: 'triggered', batchId: 'card_transaction/2026-11-25', businessDate: '2026-11-25', dagRunId: 'business_date__2026-11-25', batches: DATASET_NAMES.length });
    expect(mwaa.calls).toHaveLength(1);
    const [call] = mwaa.calls;
    expect(call?.environment).toBe('cur-dev-pipeline');
    expect(call?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-northeast-1\/airflow\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    expect(call?.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(call?.input).toEqual({
      Path: '/dags/cur_pipeline/dagRuns',
      Method: 'POST',
      Body: {
        dag_run_id: 'business_date__2026-11-25',
        logical_date: null,
        conf: { businessDate: '2026-11-25', batches: DATASET_NAMES.map((dataset, index) => ({ dataset, batchId: `${dataset}/2026-11-25`, rowCount: 10 + index })) },
        note: 'Started by pipeline-trigger when batch card_transaction/2026-11-25 completed business date 2026-11-25',
      },
    });
    // The body the committed fixture holds, which libs/pipeline-dag checks against Airflow's own request model.
    const fixture = JSON.parse(readFileSync(new URL('../../../../libs/pipeline-dag/tests/fixtures/trigger-dag-run-body.json', import.meta.url), 'utf8')) as unknown;
    expect(call?.input.Body).toEqual(fixture);
  });

  it('handles a redelivered event once: the stored outcome, no second call', async () => {
    for (const dataset of DATASET_NAMES) await accept(deps, dataset, '2026-11-25');
    await handle(realEvent('card_transaction'));

    const again = await handle(realEvent('card_transaction'));

    expect(again).toEqual({ outcome: 'duplicate', batchId: 'card_transaction/2026-11-25', businessDate: '2026-11-25' });
    expect(mwaa.calls).toHaveLength(1);
  });

  it('feeds one run per date: a second event finding the date complete is refused by Airflow (409) and reported as already triggered', async () => {
    // Prepare: two last batches accepted before either event is handled
    for (const dataset of DATASET_NAMES) await accept(deps, dataset, '2026-11-25');
    await accept(deps, 'customer_profile', '2026-11-26');

    // Act
    const first = await handle(realEvent('account_balance'));
    const second = await handle(realEvent('digital_activity'));
    const otherDate = await handle(realEvent('customer_profile', '2026-11-26'));

    // Assess
    expect(first).toMatchObject({ outcome: 'triggered', dagRunId: 'business_date__2026-11-25' });
    expect(second).toMatchObject({ outcome: 'already-triggered', dagRunId: 'business_date__2026-11-25' });
    expect(otherDate).toMatchObject({ outcome: 'waiting', businessDate: '2026-11-26' });
    expect([...mwaa.runs.keys()]).toEqual(['cur-dev-pipeline/cur_pipeline/business_date__2026-11-25']);
  });

  it('throws a coded error when MWAA refuses the call, and lets the retry call again', async () => {
    for (const dataset of DATASET_NAMES) await accept(deps, dataset, '2026-11-25');
    mwaa.forced = { status: 403, errorType: 'AccessDeniedException' };

    await expect(handle(realEvent())).rejects.toSatisfy((error: unknown) => error instanceof MwaaInvokeError && error.code === 'MWAA_INVOKE_FAILED' && error.errorType === 'AccessDeniedException');

    mwaa.forced = undefined;
    await expect(handle(realEvent())).resolves.toMatchObject({ outcome: 'triggered' });
    expect(mwaa.calls).toHaveLength(2);
  });

  it('refuses an event that is not a Batch Accepted from the platform, before reading anything', async () => {
    const event = realEvent();
    await expect(handle({ ...event, source: 'aws.s3' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(handle({ ...event, detail: { ...event.detail, businessDate: '2026-13-01' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(mwaa.calls).toHaveLength(0);
  });

  it('logs with the Lambda context, never the event, and counts the triggered run as one EMF line', async () => {
    for (const dataset of DATASET_NAMES) await accept(deps, dataset, '2026-11-25');
    const logger = createLogger({ serviceName: SERVICE_NAME, logLevel: 'INFO' });
    const lambda = createPipelineTriggerLambda(() => Promise.resolve({ ...deps, logger }), { logger, metrics: createMetrics({ serviceName: SERVICE_NAME, logger }) });
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });

    await lambda(realEvent(), lambdaContext());

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((record) => record['message'] === 'DAG run triggered')).toMatchObject({ function_request_id: expect.any(String), businessDate: '2026-11-25', runId: 'business_date__2026-11-25' });
    const emf = records.filter((record) => '_aws' in record);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ DagRunsTriggered: 1, service: SERVICE_NAME });
    expect(lines.join('\n')).not.toContain('incoming/');
  });
});
