import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxNotifier } from '@cur/adapters-local';
import { AdapterError, createLogger, loadPlatformConfig, queryPartition, type Notification, type Notifier } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { DQ_ALERT_IDEMPOTENCY_PARTITION, StoredDqResultSource, createDqNotifierHandler, dqResultEvent, type DqEvaluation } from '../../src/index';

/**
 * Issue 17, point 3: the notifier used to write its "sent" marker before publishing, so a publish that threw left
 * the marker and the Lambda's retry dropped the alert as a duplicate. Now Powertools Idempotency keeps one record
 * per failure on the `dq-alerts` table (dynalite here, through the same DynamoDB persistence layer as in AWS).
 */
let runtime: Runtime;
let home: string;
let results: StoredDqResultSource;

/** The outbox, with a switch that makes the next publishes fail (SNS throttling, say) or wait until released. */
class FaultyNotifier implements Notifier {
  failNext = 0;
  hold: Promise<void> | undefined;
  readonly #inner: Notifier;

  constructor(inner: Notifier) {
    this.#inner = inner;
  }

  async publish(topic: Parameters<Notifier['publish']>[0], notification: Notification): Promise<{ messageId: string }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new AdapterError(`SNS publish to topic '${topic}' failed (ThrottlingException)`);
    }
    if (this.hold) await this.hold;
    return this.#inner.publish(topic, notification);
  }
}

let notifier: FaultyNotifier;
let handle: ReturnType<typeof createDqNotifierHandler>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-dq-idem-'));
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
  results = new StoredDqResultSource(runtime.blobStore('system'));
  notifier = new FaultyNotifier(runtime.notifier());
  const idempotencyStore = await runtime.idempotencyStore('dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION);
  handle = createDqNotifierHandler(async () => ({ results, notifier, idempotencyStore, logger: createLogger({ serviceName: 'dq-test', logLevel: 'SILENT' }) }));
});
afterAll(() => runtime.close());
beforeEach(() => {
  notifier.failNext = 0;
  notifier.hold = undefined;
});

function evaluation(resultId: string, dataset: string): DqEvaluation {
  return {
    resultId,
    rulesetName: `${dataset}.transformed`,
    dataset,
    zone: 'transformed',
    businessDate: '2026-11-25',
    evaluatedAt: '2026-11-26T06:10:00Z',
    ruleResults: [{ Name: 'IsUnique "cust_id"', Result: 'FAIL', EvaluatedMetrics: { 'Column.cust_id.Uniqueness': 0.99 }, Labels: { severity: 'blocking' } }],
  };
}

const event = (resultId: string, dataset: string) => dqResultEvent(resultId, `${dataset}.transformed`, 'cur_dev_transformed', dataset, { passed: 0, failed: 1, skipped: 0 });
const alertsOf = async (dataset: string) => (await new OutboxNotifier(join(home, 'outbox')).read('dq-alerts')).filter((alert) => alert.attributes?.['dataset'] === dataset);
const records = () => queryPartition(runtime.keyValueStore, 'dq-alerts', DQ_ALERT_IDEMPOTENCY_PARTITION);

describe('dq-notifier: each failure published exactly once (Powertools Idempotency)', () => {
  it('removes the record when the first publish fails, so the retry publishes it once; a third delivery publishes nothing', async () => {
    // Prepare
    await results.put(evaluation('idem-1', 'customer_profile'));
    const delivery = event('idem-1', 'customer_profile');
    notifier.failNext = 1;

    // Act + Assess: the first delivery fails with the publish's own error, and leaves no record behind...
    await expect(handle(delivery)).rejects.toMatchObject({ code: 'ADAPTER_FAILURE' });
    expect(await alertsOf('customer_profile')).toHaveLength(0);
    expect(await records()).toEqual([]);

    // ...the Lambda's retry of the same event publishes the alert, once...
    expect(await handle(delivery)).toMatchObject({ outcome: 'published', failedRules: 1 });
    expect(await alertsOf('customer_profile')).toHaveLength(1);
    const stored = await records();
    expect(stored).toHaveLength(1);
    const record = stored[0];
    expect(record).toMatchObject({ pk: DQ_ALERT_IDEMPOTENCY_PARTITION, status: 'COMPLETED' });
    expect(Number(record?.['expiration'])).toBeGreaterThan(Date.now() / 1000 + 30 * 24 * 3600);

    // ...and a later delivery of the same failure (another evaluation, another event) publishes nothing.
    await results.put(evaluation('idem-1b', 'customer_profile'));
    expect(await handle(event('idem-1b', 'customer_profile'))).toMatchObject({ outcome: 'duplicate' });
    expect(await alertsOf('customer_profile')).toHaveLength(1);
  });

  it('refuses a delivery that arrives while the same failure is being published, to be retried', async () => {
    // Prepare: the first publish waits until released.
    await results.put(evaluation('idem-2', 'card_transaction'));
    await results.put(evaluation('idem-2b', 'card_transaction'));
    let release = (): void => undefined;
    notifier.hold = new Promise<void>((resolve) => (release = resolve));

    // Act
    const first = handle(event('idem-2', 'card_transaction'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await handle(event('idem-2b', 'card_transaction')).catch((error: unknown) => error);
    release();

    // Assess
    expect(second).toMatchObject({ code: 'DQ_ALERT_IN_PROGRESS' });
    expect(await first).toMatchObject({ outcome: 'published' });
    expect(await alertsOf('card_transaction')).toHaveLength(1);
  });

  it('lets a later delivery take over a publish whose invocation ran out of time mid-way', async () => {
    // Prepare: a delivery whose Lambda had 50 ms left hangs in its publish (the function timed out and died).
    await results.put(evaluation('idem-3', 'account_balance'));
    notifier.hold = new Promise<void>(() => undefined);
    void handle(event('idem-3', 'account_balance'), { getRemainingTimeInMillis: () => 50 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    notifier.hold = undefined;

    // Act: the retry, after the in-progress record's time is up.
    const retried = await handle(event('idem-3', 'account_balance'));

    // Assess
    expect(retried).toMatchObject({ outcome: 'published' });
    expect(await alertsOf('account_balance')).toHaveLength(1);
  });
});
