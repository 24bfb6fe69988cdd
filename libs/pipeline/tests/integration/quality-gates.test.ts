import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDqdl } from '@cur/dq';
import type { Runtime } from '@cur/runtime';
import { ManifestStore, runPipeline, type PipelineRun } from '../../src/index';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

let runtime: Runtime;
let run: PipelineRun;
const events: unknown[] = [];

beforeAll(async () => {
  ({ runtime } = await ingestedPlatform({ customers: 150, days: 1, seed: 4 }));
  const deps = await pipelineDependencies(runtime);
  try {
    run = await runPipeline({
      ...deps,
      onDqEvaluated: async (event) => void events.push(event),
      // card_transaction's transformed output fails a blocking rule; the other datasets have a passing ruleset.
      rulesetFor: async (dataset, zone) =>
        zone !== 'transformed'
          ? undefined
          : dataset === 'card_transaction'
            ? { name: 'impossible', ruleset: parseDqdl('Rules = [ RowCount > 100000000 labels=["severity"="blocking"], IsComplete "txn_id" labels=["severity"="warning"] ]') }
            : { name: `${dataset}_ok`, ruleset: parseDqdl('Rules = [ RowCount > 0 labels=["severity"="blocking"] ]') },
    });
  } finally {
    await deps.engine.close();
  }
}, 120_000);
afterAll(() => runtime.close());

describe('quality gates in the pipeline', () => {
  it('stop the downstream steps of a business date when a blocking rule fails', async () => {
    expect(run.status).toBe('failed');
    expect(run.steps.find((s) => s.step === 'dq' && s.target.startsWith('transformed/card_transaction'))).toMatchObject({ status: 'failed', errorCode: 'DQ_BLOCKED' });
    expect(run.steps.filter((s) => s.step === 'consumption' || s.step === 'mart').map((s) => s.status)).toEqual(['skipped', 'skipped']);
    expect(await new ManifestStore(runtime.blobStore('system')).get('consumption', 'customer_features', '2026-11-25')).toBeUndefined();
  });

  it('hand every evaluation to the notifier in the shape Glue Data Quality emits', () => {
    expect(events).toHaveLength(4);
    expect(events).toContainEqual(expect.objectContaining({ source: 'aws.glue-dataquality', detail: expect.objectContaining({ numRulesFailed: 1, rulesetNames: ['impossible'] }) }));
  });
});

describe('a blocking rule on the raw zone', () => {
  let rawRuntime: Runtime;
  let rawRun: PipelineRun;
  beforeAll(async () => {
    ({ runtime: rawRuntime } = await ingestedPlatform({ customers: 60, days: 1, seed: 5 }));
    const deps = await pipelineDependencies(rawRuntime);
    try {
      rawRun = await runPipeline({
        ...deps,
        rulesetFor: async (dataset, zone) =>
          zone === 'raw' && dataset === 'digital_activity' ? { name: 'impossible_raw', ruleset: parseDqdl('Rules = [ RowCount > 100000000 labels=["severity"="blocking"] ]') } : undefined,
      });
    } finally {
      await deps.engine.close();
    }
  }, 120_000);
  afterAll(() => rawRuntime.close());

  it("stops that dataset's transform and the date's consumption; the other datasets are still transformed", async () => {
    expect(rawRun.status).toBe('failed');
    expect(rawRun.steps.find((s) => s.step === 'dq' && s.target.startsWith('raw/digital_activity'))).toMatchObject({ status: 'failed', errorCode: 'DQ_BLOCKED' });
    expect(rawRun.steps.find((s) => s.step === 'transform' && s.target.startsWith('digital_activity/'))).toMatchObject({ status: 'skipped', error: 'a blocking DQ rule failed on the raw zone' });
    expect(rawRun.steps.filter((s) => s.step === 'transform' && s.status === 'succeeded').map((s) => s.target.split('/')[0]).sort()).toEqual(['account_balance', 'card_transaction', 'customer_profile']);
    expect(rawRun.steps.filter((s) => s.step === 'consumption' || s.step === 'mart').map((s) => s.status)).toEqual(['skipped', 'skipped']);
    const manifests = new ManifestStore(rawRuntime.blobStore('system'));
    expect(await manifests.get('transformed', 'digital_activity', '2026-11-25')).toBeUndefined();
  });
});
