import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoredDqResultSource, createDqNotifierHandler } from '@cur/dq-alerts';
import { createRuntime } from '@cur/runtime';
import { loadPlatformConfig } from '@cur/platform';
import { createDqNotifierDependencies } from '../../src/wiring';

const realEvent = (): { detail: { resultID: string } } => JSON.parse(readFileSync(new URL('../events/glue-dq-result.json', import.meta.url), 'utf8')) as { detail: { resultID: string } };

describe('dq-notifier wiring', () => {
  it('handles the real Glue Data Quality event end to end on the local adapters', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-dq-app-'));
    const seed = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
    await new StoredDqResultSource(seed.blobStore('system')).put({
      resultId: realEvent().detail.resultID,
      rulesetName: 'customer_profile_transformed',
      dataset: 'customer_profile',
      zone: 'transformed',
      businessDate: '2026-11-25',
      evaluatedAt: '2026-11-25T22:30:00Z',
      ruleResults: [{ Name: 'IsUnique "cust_id"', Result: 'FAIL', EvaluatedMetrics: { 'Column.cust_id.Uniqueness': 0.99 }, Labels: { severity: 'blocking' } }],
    });
    await seed.close();
    const deps = await createDqNotifierDependencies({ CUR_HOME: home });
    const outcome = await createDqNotifierHandler(() => Promise.resolve(deps))(realEvent());
    expect(outcome).toMatchObject({ outcome: 'published', failedRules: 1 });
  });

  it('rejects an event of another shape with a validation error', async () => {
    const handle = createDqNotifierHandler(() => Promise.reject(new Error('not reached')));
    await expect(handle({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
