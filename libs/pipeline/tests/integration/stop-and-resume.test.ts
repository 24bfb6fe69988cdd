import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableName } from '@cur/contracts';
import type { BatchLedger } from '@cur/ingestion';
import { CancelledError, type Item, type KeyValueStore } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { SERVING_KEYS, ServingStore } from '@cur/serving';
import { runPipeline, type PipelineDependencies, type PipelineRun, type RunPipelineOptions } from '../../src/index';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

/**
 * Issue 17, point 2: a run told to stop (Ctrl-C, SIGTERM) stops at a safe point, releases the serving load's lease
 * and logs itself cancelled; a rerun finishes the job. Deterministic errors are attempted once, and the run log
 * says so.
 */
let runtime: Runtime;
let ledger: BatchLedger;
const DATE = '2026-11-25';

beforeAll(async () => {
  ({ runtime, ledger } = await ingestedPlatform({ customers: 150, days: 1, seed: 17 }));
}, 120_000);
afterAll(() => runtime.close());

async function runWith(options: RunPipelineOptions, overrides: Partial<PipelineDependencies> = {}): Promise<PipelineRun> {
  const deps = await pipelineDependencies(runtime);
  try {
    return await runPipeline({ ...deps, servingStore: runtime.keyValueStore, ...overrides }, { backoffMs: 50, ...options });
  } finally {
    await deps.engine.close();
  }
}

async function runLog(run: PipelineRun): Promise<PipelineRun> {
  return JSON.parse(Buffer.from(await runtime.blobStore('system').get(`runs/${run.runId}.json`)).toString('utf8')) as PipelineRun;
}

/** The serving table, with a hook before each batch write (to press Ctrl-C in the middle of a load). */
function servingStoreWith(beforeBatchPut: () => void): KeyValueStore {
  const inner = runtime.keyValueStore;
  return {
    get: (table, key) => inner.get(table, key),
    query: (table, pk, options) => inner.query(table, pk, options),
    delete: (table, key) => inner.delete(table, key),
    put: (table, item, condition) => inner.put(table, item, condition),
    batchPut: (table: TableName, items: readonly Item[]) => {
      beforeBatchPut();
      return inner.batchPut(table, items);
    },
  };
}

describe('runPipeline stopped by a signal', () => {
  it('stops after the steps in flight: logged cancelled, batches not started left for the next run', async () => {
    // Prepare: Ctrl-C as soon as the first mask step finishes.
    const controller = new AbortController();
    const onStep = (): void => controller.abort(new CancelledError('stopped by SIGINT'));

    // Act
    const run = await runWith({ signal: controller.signal, onStep });

    // Assess: the two masks in flight finished, nothing else started, and the log says so.
    expect(run.status).toBe('cancelled');
    expect(run.steps.map((step) => `${step.step}:${step.status}`)).toEqual(['mask:succeeded', 'mask:succeeded']);
    expect((await runLog(run)).status).toBe('cancelled');
    const statuses = (await ledger.list()).map(({ record }) => record?.status).sort();
    expect(statuses).toEqual(['ACCEPTED', 'ACCEPTED', 'MASKED', 'MASKED']);
  });

  it('releases the serving lease when stopped during the load, and the rerun loads at once', async () => {
    // Prepare: Ctrl-C during the serving load's first batch write.
    const controller = new AbortController();
    const store = servingStoreWith(() => controller.abort(new CancelledError('stopped by SIGINT')));

    // Act
    const stopped = await runWith({ businessDate: DATE, signal: controller.signal }, { servingStore: store });

    // Assess
    expect(stopped.status).toBe('cancelled');
    expect(stopped.steps.at(-1)).toMatchObject({ step: 'serving', status: 'cancelled', attempts: 1, errorCode: 'CANCELLED' });
    const lease = await runtime.keyValueStore.get('serving', SERVING_KEYS.lease);
    expect(Number(lease?.['expiresAt'])).toBeLessThanOrEqual(Date.now());

    // The rerun (what `cur run --date` does) finishes the job without a lease conflict.
    const resumed = await runWith({ businessDate: DATE });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.steps.filter((step) => step.step === 'serving')).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 1 })]);
    expect((await new ServingStore(runtime.keyValueStore, { pointerTtlMs: 0 }).current()).asOf).toBe(DATE);
  });
});

describe('runPipeline retries', () => {
  it('attempts a deterministic error once and logs the real attempt count: SERVING_LOAD_CONFLICT', async () => {
    // Prepare: another loader holds the lease.
    await runtime.keyValueStore.put('serving', { ...SERVING_KEYS.lease, owner: 'another-loader', expiresAt: Date.now() + 60_000 });

    // Act
    const run = await runWith({ businessDate: DATE, attempts: 3 });

    // Assess
    expect(run.status).toBe('failed');
    const serving = (await runLog(run)).steps.find((step) => step.step === 'serving');
    expect(serving).toMatchObject({ status: 'failed', attempts: 1, errorCode: 'SERVING_LOAD_CONFLICT' });
    await runtime.keyValueStore.put('serving', { ...SERVING_KEYS.lease, owner: 'another-loader', expiresAt: 0 });
  });
});
