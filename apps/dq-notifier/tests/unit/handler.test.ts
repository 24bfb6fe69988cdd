import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoredDqResultSource, createDqNotifierHandler } from '@cur/dq-alerts';
import { createRuntime } from '@cur/runtime';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createMetrics } from '@cur/platform/metrics';
import { lambdaContext } from '@cur/platform/testing';
import { SERVICE_NAME } from '../../src/constants';
import { createDqNotifierLambda } from '../../src/handler';
import { createDqNotifierDependencies } from '../../src/wiring';

const realEvent = (): { detail: { resultID: string } } => JSON.parse(readFileSync(new URL('../events/glue-dq-result.json', import.meta.url), 'utf8')) as { detail: { resultID: string } };

afterEach(() => vi.restoreAllMocks());

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

  it('logs with the Lambda context and emits DqAlertsPublished and DqRuleFailures as one EMF line', async () => {
    // Prepare: a stored result with two failed rules, and the Lambda's own logger and metrics
    const home = await mkdtemp(join(tmpdir(), 'cur-dq-app-'));
    const seed = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
    await new StoredDqResultSource(seed.blobStore('system')).put({
      resultId: realEvent().detail.resultID,
      rulesetName: 'customer_profile_transformed',
      dataset: 'customer_profile',
      zone: 'transformed',
      businessDate: '2026-11-25',
      evaluatedAt: '2026-11-25T22:30:00Z',
      ruleResults: [
        { Name: 'IsUnique "cust_id"', Result: 'FAIL', EvaluatedMetrics: { 'Column.cust_id.Uniqueness': 0.99 }, Labels: { severity: 'blocking' } },
        { Name: 'IsComplete "branch_code"', Result: 'FAIL', EvaluatedMetrics: { 'Column.branch_code.Completeness': 0.9 }, Labels: { severity: 'warning' } },
      ],
    });
    await seed.close();
    const logger = createLogger({ serviceName: SERVICE_NAME, logLevel: 'INFO' });
    const deps = await createDqNotifierDependencies({ CUR_HOME: home }, logger);
    const handler = createDqNotifierLambda(() => Promise.resolve(deps), { logger, metrics: createMetrics({ serviceName: SERVICE_NAME, logger }) });
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });

    // Act
    const outcome = await handler(realEvent(), lambdaContext('0b7e4f7c-2d1a-4e55-8c3b-6f1a2b3c4d5e', 'cur-dev-dq-notifier'));
    vi.restoreAllMocks();

    // Assess
    expect(outcome).toMatchObject({ outcome: 'published', failedRules: 2 });
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((record) => record['message'] === 'dq alert published')).toMatchObject({ function_request_id: '0b7e4f7c-2d1a-4e55-8c3b-6f1a2b3c4d5e' });
    expect(records.filter((record) => '_aws' in record)).toEqual([expect.objectContaining({ service: SERVICE_NAME, DqAlertsPublished: 1, DqRuleFailures: 2 })]);
  });

  it('rejects an event of another shape with a validation error', async () => {
    const handle = createDqNotifierHandler(() => Promise.reject(new Error('not reached')));
    await expect(handle({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
