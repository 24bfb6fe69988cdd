import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import type { Runtime } from '@cur/runtime';
import { ManifestStore, runPipeline, type PipelineDependencies, type PipelineRun } from '../../src/index';
import { digitalScorer } from '../helpers/digital-scorer';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

let runtime: Runtime;
let deps: PipelineDependencies;
let unpromoted: PipelineRun;
let promoted: PipelineRun;
let unscoredAgain: PipelineRun;
/** The scored run's tag_metrics_monthly, read before the third run replaces it. */
let scoredMart: { inputs: string[]; modelTagCustomers: number; modelTags: number; otherTags: number };
const scorer = digitalScorer([undefined, { versionId: 'cur-model-20261207-a' }, undefined]);

beforeAll(async () => {
  ({ runtime } = await ingestedPlatform({ customers: 200, days: 1, seed: 5 }));
  deps = { ...(await pipelineDependencies(runtime)), scoring: scorer };
  try {
    unpromoted = await runPipeline(deps);
    promoted = await runPipeline(deps, { businessDate: unpromoted.businessDates[0] ?? '' });
    scoredMart = await martOf(unpromoted.businessDates[0] ?? '');
    unscoredAgain = await runPipeline(deps, { businessDate: unpromoted.businessDates[0] ?? '' });
  } finally {
    await deps.engine.close();
  }
}, 180_000);
afterAll(() => runtime.close());

/** The date's published tag_metrics_monthly: its inputs, customers counted under the model tag, and its tag count. */
async function martOf(businessDate: string): Promise<typeof scoredMart> {
  const manifests = new ManifestStore(runtime.blobStore('system'));
  const mart = await manifests.get('mart', 'tag_metrics_monthly', businessDate);
  const modelTags = await manifests.get('consumption', 'model_tags', businessDate);
  const lake = runtime.localLakeDir ?? '';
  const engine = await DuckDbSqlEngine.open({ threads: 1 });
  try {
    await engine.registerParquetView('m', (mart?.files ?? []).map((key) => join(lake, 'mart', ...key.split('/'))));
    const count = async (sql: string): Promise<number> => Number((await engine.query(sql))[0]?.['n'] ?? 0);
    return {
      inputs: mart?.inputs ?? [],
      modelTagCustomers: await count(`SELECT COALESCE(SUM(customers), 0) AS n FROM m WHERE tag = 'digital_native_propensity'`),
      modelTags: modelTags?.rowCount ?? 0,
      otherTags: await count(`SELECT COUNT(DISTINCT tag) AS n FROM m WHERE tag <> 'digital_native_propensity'`),
    };
  } finally {
    await engine.close();
  }
}

describe('the scoring step in runPipeline', () => {
  it('is skipped, saying why, while no model version is promoted, and the rest of the run goes on', () => {
    expect(unpromoted.status).toBe('succeeded');
    const score = unpromoted.steps.filter((s) => s.step === 'score');
    expect(score).toMatchObject([{ status: 'skipped', attempts: 0, error: expect.stringContaining('no model version is promoted') }]);
    // As Airflow skips the DAG's score task and its gate, and still runs the mart (trigger rule none_failed).
    expect(unpromoted.steps.filter((s) => s.step === 'dq' && s.target.startsWith('consumption/model_tags/'))).toMatchObject([{ status: 'skipped', attempts: 0 }]);
    expect(unpromoted.steps.some((s) => s.step === 'mart' && s.status === 'succeeded')).toBe(true);
  });

  it('publishes model_tags with a manifest naming its input and counts, gated by its DQ ruleset, once a version is promoted', async () => {
    expect(promoted.status).toBe('succeeded');
    expect(scorer.calls).toBe(1);
    const businessDate = promoted.businessDates[0] ?? '';
    const manifests = new ManifestStore(runtime.blobStore('system'));
    const manifest = await manifests.get('consumption', 'model_tags', businessDate);
    const features = await manifests.get('consumption', 'customer_features', businessDate);
    // The third run rebuilt the features without scoring: the model tags are the promoted run's.
    expect(features?.runId).toBe(unscoredAgain.runId);
    expect(manifest).toMatchObject({ step: 'score', runId: promoted.runId, inputs: [`manifests/consumption/customer_features/business_date=${businessDate}.json`] });
    expect(manifest?.counts['scored']).toBe(features?.rowCount);
    expect(manifest?.rowCount).toBe(manifest?.counts['tagged']);
    expect(manifest?.rowCount).toBeGreaterThan(0);
    expect(promoted.steps.find((s) => s.step === 'score')).toMatchObject({ status: 'succeeded', rowCount: manifest?.rowCount });
    expect(promoted.steps.find((s) => s.step === 'dq' && s.target === `consumption/model_tags/${businessDate}`)).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
  });

  it('counts the model tag in the mart beside the rule-based tags, customer for customer', () => {
    const businessDate = promoted.businessDates[0] ?? '';
    expect(scoredMart.inputs).toContain(`manifests/consumption/model_tags/business_date=${businessDate}.json`);
    expect(scoredMart.modelTags).toBeGreaterThan(0);
    expect(scoredMart.modelTagCustomers).toBe(scoredMart.modelTags);
    expect(scoredMart.otherTags).toBeGreaterThan(1);
  });

  it('leaves out of the mart model tags scored from other features than the ones it reads (a stale partition)', async () => {
    // The third run rebuilt the date's features with no version to score: model_tags is still the promoted run's.
    expect(unscoredAgain.steps.find((s) => s.step === 'score')?.status).toBe('skipped');
    const after = await martOf(unscoredAgain.businessDates[0] ?? '');
    expect(after.modelTags).toBe(scoredMart.modelTags);
    expect(after.inputs.some((key) => key.includes('/model_tags/'))).toBe(false);
    expect(after.modelTagCustomers).toBe(0);
    expect(after.otherTags).toBe(scoredMart.otherTags);
  });
});
