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
