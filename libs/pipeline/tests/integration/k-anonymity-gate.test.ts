import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxNotifier } from '@cur/adapters-local';
import { DQ_ALERT_IDEMPOTENCY_PARTITION, StoredDqResultSource, createDqNotifierHandler, type DqEvaluation } from '@cur/dq-alerts';
import { createLogger } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { runPipeline, type PipelineDependencies, type PipelineRun } from '../../src/index';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

let runtime: Runtime;
let home: string;
let warned: PipelineRun;
let blocked: PipelineRun;

/** Runs the pipeline with the dq-notifier's handler receiving each evaluation, as `cur run` wires it. */
async function runWith(options: Partial<PipelineDependencies>, businessDate?: string): Promise<PipelineRun> {
  const deps = await pipelineDependencies(runtime);
  const onDqEvaluated = createDqNotifierHandler(async () => ({
    results: new StoredDqResultSource(runtime.blobStore('system')),
    notifier: runtime.notifier(),
    idempotencyStore: await runtime.idempotencyStore('dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION),
    logger: createLogger({ serviceName: 'dq-notifier', logLevel: 'SILENT' }),
  }));
  try {
    return await runPipeline({ ...deps, onDqEvaluated, ...options }, businessDate === undefined ? {} : { businessDate });
  } finally {
    await deps.engine.close();
  }
}

const kAnonymityRule = async (run: PipelineRun): Promise<DqEvaluation['ruleResults'][number] | undefined> => {
  const evaluation = await new StoredDqResultSource(runtime.blobStore('system')).get(`dqresult-${run.runId}-consumption-customer_features`);
  return evaluation.ruleResults.find((result) => result.Labels['check'] === 'k_anonymity');
};

beforeAll(async () => {
  ({ runtime, home } = await ingestedPlatform({ customers: 150, days: 1, seed: 6 }));
  // 150 customers over ~120 branches: every customer is alone in their class of age band, gender, branch and tenure.
  // Blocking first: the notifier sends the same failure once, so the rerun that only warns publishes nothing new.
  blocked = await runWith({ kAnonymity: { severity: 'blocking' } });
  warned = await runWith({}, '2026-11-25');
}, 180_000);
afterAll(() => runtime.close());

describe('the k-anonymity gate on the consumption zone', () => {
  it('by default measures customer_features as every human role sees it and warns: the mart still runs', async () => {
    expect(warned.status).toBe('succeeded');
    expect(warned.steps.find((s) => s.step === 'dq' && s.target.startsWith('consumption/customer_features'))).toMatchObject({ status: 'succeeded', counts: { failed: 1 } });
    expect(warned.steps.find((s) => s.step === 'mart')).toMatchObject({ status: 'succeeded' });
    const rule = await kAnonymityRule(warned);
    expect(rule).toMatchObject({
      Description: 'KAnonymity "age_band" "gender" "branch_code" "tenure_months" >= 5',
      Result: 'FAIL',
      Labels: { severity: 'warning', code: 'K_ANONYMITY_BELOW_THRESHOLD', roles: 'DE,DA,DS,DM,AP' },
      EvaluatedMetrics: { 'Dataset.*.KAnonymity': 1 },
    });
  });

  it('when blocking, stops that date\'s mart and serving load like a blocking DQ rule, with a coded alert', async () => {
    expect(blocked.status).toBe('failed');
    expect(blocked.steps.find((s) => s.step === 'dq' && s.target.startsWith('consumption/customer_features'))).toMatchObject({ status: 'failed', errorCode: 'DQ_BLOCKED' });
    expect(blocked.steps.find((s) => s.step === 'mart')).toMatchObject({ status: 'skipped', error: 'a blocking DQ rule failed on the consumption layer' });
    expect(blocked.steps.some((s) => s.step === 'serving')).toBe(false);
    const alerts = await new OutboxNotifier(join(home, 'outbox')).read('dq-alerts');
    const alert = alerts.find((a) => a.subject.startsWith('DQ FAIL customer_features/consumption'));
    expect(alert?.attributes).toMatchObject({ severity: 'blocking', codes: 'K_ANONYMITY_BELOW_THRESHOLD' });
    expect(alert?.body).toMatch(/FAIL K_ANONYMITY_BELOW_THRESHOLD: KAnonymity "age_band" "gender" "branch_code" "tenure_months" >= 5 \(Dataset\.\*\.KAnonymity = 1, /);
  });

  it('puts column names, counts and k in the result, never a value', async () => {
    const rule = await kAnonymityRule(blocked);
    expect(Object.keys(rule?.EvaluatedMetrics ?? {}).sort()).toEqual(['Dataset.*.KAnonymity', 'Dataset.*.KAnonymity.Classes', 'Dataset.*.KAnonymity.Records', 'Dataset.*.KAnonymity.RecordsBelowThreshold']);
    // No age band, gender, branch code or tenure: only the code, the roles, the dataset and counts.
    expect(rule?.EvaluationMessage).toMatch(/^K_ANONYMITY_BELOW_THRESHOLD: k = 1 is below 5 as DE, DA, DS, DM, AP see customer_features: \d+ of \d+ customers are in \d+ classes smaller than 5$/);
  });
});
