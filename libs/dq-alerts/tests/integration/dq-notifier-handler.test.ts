import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxNotifier } from '@cur/adapters-local';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { DQ_ALERT_IDEMPOTENCY_PARTITION, StoredDqResultSource, createDqNotifierHandler, dqResultEvent, type DqEvaluation } from '../../src/index';

let runtime: Runtime;
let home: string;
let results: StoredDqResultSource;
let handle: ReturnType<typeof createDqNotifierHandler>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-dq-'));
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
  results = new StoredDqResultSource(runtime.blobStore('system'));
  const idempotencyStore = await runtime.idempotencyStore('dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION);
  handle = createDqNotifierHandler(async () => ({ results, notifier: runtime.notifier(), idempotencyStore, logger: createLogger({ serviceName: 'dq-test', logLevel: 'SILENT' }) }));
});
afterAll(() => runtime.close());

/** Canary values standing for data an evaluation message might quote. */
const CANARIES = ['Z298765431', '金絲雀測試', 'C204160191', 'v1.u-2308VT53UfCAGihysqD2814ZOxfMZMPQ'];

function evaluation(resultId: string, overrides: Partial<DqEvaluation> = {}): DqEvaluation {
  return {
    resultId,
    rulesetName: 'customer_profile.transformed',
    dataset: 'customer_profile',
    zone: 'transformed',
    businessDate: '2026-11-25',
    evaluatedAt: '2026-11-26T06:10:00Z',
    score: 0.8,
    ruleResults: [
      { Name: 'Rule_1', Description: 'IsComplete "cust_id"', Result: 'PASS', EvaluatedMetrics: { 'Column.cust_id.Completeness': 1 }, Labels: { severity: 'blocking' } },
      { Name: 'Completeness "email" > 0.9', Result: 'FAIL', EvaluationMessage: `Value 0.82 for rows like ${CANARIES[0]} ${CANARIES[1]}`, EvaluatedMetrics: { 'Column.email.Completeness': 0.82 }, Labels: { severity: 'warning' } },
      { Name: 'ColumnValues "cust_id" matches "[A-Z][12][0-9]{8}"', Result: 'FAIL', EvaluationMessage: `e.g. ${CANARIES[2]} ${CANARIES[3]}`, EvaluatedMetrics: { 'Column.cust_id.ColumnValues.Compliance': 0.99 }, Labels: { severity: 'blocking' } },
    ],
    ...overrides,
  };
}

const event = (resultId: string, failed = 2) => dqResultEvent(resultId, 'customer_profile.transformed', 'cur_dev_transformed', 'customer_profile', { passed: 1, failed, skipped: 0 });

describe('dq-notifier', () => {
  it('publishes one concise alert per failing evaluation, with rule names and metrics only', async () => {
    await results.put(evaluation('dqresult-1'));
    const outcome = await handle(event('dqresult-1'));
    expect(outcome).toMatchObject({ outcome: 'published', failedRules: 2 });
    const [alert] = await new OutboxNotifier(join(home, 'outbox')).read('dq-alerts');
    expect(alert?.subject).toBe('DQ FAIL customer_profile/transformed 2026-11-25: 2 rules');
    expect(alert?.attributes).toMatchObject({ severity: 'blocking', dataset: 'customer_profile' });
    expect(alert?.body).toContain('Column.email.Completeness = 0.8200');
    expect(alert?.body).toContain('- [blocking] FAIL: ColumnValues "cust_id" matches');
    expect(alert?.body).toContain('cur dq results --dataset customer_profile --zone transformed');
    for (const canary of CANARIES) expect(JSON.stringify(alert), canary).not.toContain(canary);
  });

  it('notifies a repeat of the same failure once', async () => {
    await results.put(evaluation('dqresult-2'));
    expect(await handle(event('dqresult-2'))).toMatchObject({ outcome: 'duplicate' });
    expect(await new OutboxNotifier(join(home, 'outbox')).read('dq-alerts')).toHaveLength(1);
  });

  it('publishes nothing when every rule passed, and a warning when only warning rules failed', async () => {
    await results.put(evaluation('dqresult-3', { ruleResults: [{ Name: 'Rule_1', Description: 'RowCount > 0', Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.RowCount': 10 }, Labels: {} }] }));
    expect(await handle(event('dqresult-3', 0))).toMatchObject({ outcome: 'passed' });
    await results.put(evaluation('dqresult-4', { dataset: 'card_transaction', ruleResults: [{ Name: 'Mean "amount" between 0 and 10000', Result: 'FAIL', EvaluatedMetrics: { 'Column.amount.Mean': 12000.5 }, Labels: { severity: 'warning' } }] }));
    expect(await handle(event('dqresult-4', 1))).toMatchObject({ outcome: 'published' });
    const alerts = await new OutboxNotifier(join(home, 'outbox')).read('dq-alerts');
    expect(alerts.at(-1)?.subject).toBe('DQ WARN card_transaction/transformed 2026-11-25: 1 rule');
  });

  it('names a coded check\'s failure code in the alert and its attributes: k-anonymity, counts and k only', async () => {
    // Prepare: the consumption gate's k-anonymity result, as the pipeline writes it.
    await results.put(
      evaluation('dqresult-5', {
        dataset: 'customer_features',
        zone: 'consumption',
        ruleResults: [
          {
            Name: 'Rule_14',
            Description: 'KAnonymity "age_band" "gender" "branch_code" "tenure_months" >= 5',
            Result: 'FAIL',
            EvaluationMessage: 'K_ANONYMITY_BELOW_THRESHOLD: k = 1 is below 5',
            EvaluatedMetrics: { 'Dataset.*.KAnonymity': 1, 'Dataset.*.KAnonymity.RecordsBelowThreshold': 9974 },
            Labels: { severity: 'warning', check: 'k_anonymity', code: 'K_ANONYMITY_BELOW_THRESHOLD' },
          },
        ],
      }),
    );

    // Act
    expect(await handle(event('dqresult-5', 1))).toMatchObject({ outcome: 'published' });

    // Assess
    const alert = (await new OutboxNotifier(join(home, 'outbox')).read('dq-alerts')).at(-1);
    expect(alert?.attributes).toMatchObject({ severity: 'warning', dataset: 'customer_features', codes: 'K_ANONYMITY_BELOW_THRESHOLD' });
    expect(alert?.body).toContain('- [warning] FAIL K_ANONYMITY_BELOW_THRESHOLD: KAnonymity "age_band" "gender" "branch_code" "tenure_months" >= 5 (Dataset.*.KAnonymity = 1, Dataset.*.KAnonymity.RecordsBelowThreshold = 9974)');
  });

  it('rejects events that are not Glue Data Quality results', async () => {
    await expect(handle({ source: 'aws.s3' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
