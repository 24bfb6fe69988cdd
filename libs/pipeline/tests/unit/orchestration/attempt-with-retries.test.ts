import { describe, expect, it } from 'vitest';
import { AdapterError, CancelledError, ConditionFailedError, CurError, ValidationError } from '@cur/platform';
import { ServingError } from '@cur/serving';
import { attemptWithRetries } from '../../../src/orchestration/attempt-with-retries';

/** Work that throws the given errors in turn, then returns 'done'; counts its calls. */
function workThrowing(...errors: unknown[]): { calls: () => number; work: () => Promise<string> } {
  let calls = 0;
  return {
    calls: () => calls,
    work: () => {
      const error = errors[calls];
      calls += 1;
      return error === undefined ? Promise.resolve('done') : Promise.reject(error);
    },
  };
}

describe('Function: attemptWithRetries', () => {
  it.each([
    ['a conflict', new ServingError('SERVING_LOAD_CONFLICT', 'another load of the serving store is in progress')],
    ['missing input', new CurError('INPUT_MISSING', 'no raw partition')],
    ['a tampered file', new CurError('CONTENT_MISMATCH', 'the file changed after publication')],
    ['a validation error', new ValidationError('bad date')],
    ['access denied', new CurError('ACCESS_DENIED', 'role DE may not')],
    ['a lost conditional write', new ConditionFailedError('the item exists already')],
    ['an SDK client fault behind an adapter', new AdapterError('S3 put failed (AccessDenied)', { cause: Object.assign(new Error('Access Denied'), { $fault: 'client' }) })],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'rowCount')")],
  ])('attempts a deterministic error once: %s', async (_what, error) => {
    // Prepare
    const { calls, work } = workThrowing(error, error, error);

    // Act
    const outcome = await attemptWithRetries(work, { attempts: 3, backoffMs: 1 });

    // Assess
    expect(outcome).toMatchObject({ kind: 'failed', attempts: 1, error });
    expect(calls()).toBe(1);
  });

  it('retries a transient error with backoff and reports the attempts it took', async () => {
    const throttled = new AdapterError('DynamoDB put failed (ThrottlingException)', { cause: Object.assign(new Error('Rate exceeded'), { $retryable: { throttling: true }, $fault: 'client' }) });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { calls, work } = workThrowing(throttled, reset);
    expect(await attemptWithRetries(work, { attempts: 3, backoffMs: 1 })).toEqual({ kind: 'succeeded', result: 'done', attempts: 3 });
    expect(calls()).toBe(3);
  });

  it('gives up on a transient error after the last attempt, with the real count', async () => {
    const failing = new AdapterError('DuckDB could not run a query (IO Error)');
    const { work } = workThrowing(failing, failing, failing, failing);
    expect(await attemptWithRetries(work, { attempts: 2, backoffMs: 1 })).toMatchObject({ kind: 'failed', attempts: 2, error: failing });
  });

  it('stops waiting to retry when the signal fires, and starts nothing once it has', async () => {
    // Prepare: a transient failure, then Ctrl-C during the 10 s backoff.
    const controller = new AbortController();
    const { calls, work } = workThrowing(new AdapterError('SNS publish failed'));
    setTimeout(() => controller.abort(new CancelledError('stopped by SIGINT')), 20);

    // Act
    const started = Date.now();
    const outcome = await attemptWithRetries(work, { attempts: 3, backoffMs: 10_000, signal: controller.signal });

    // Assess
    expect(outcome).toMatchObject({ kind: 'cancelled', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(calls()).toBe(1);
    expect(await attemptWithRetries(work, { attempts: 3, backoffMs: 1, signal: controller.signal })).toEqual({ kind: 'cancelled', attempts: 0 });
    expect(calls()).toBe(1);
  });

  it('reports work that stopped itself at a safe point as cancelled, not failed', async () => {
    const { work } = workThrowing(new CancelledError('stopped by SIGTERM'));
    expect(await attemptWithRetries(work, { attempts: 3, backoffMs: 1 })).toMatchObject({ kind: 'cancelled', attempts: 1 });
  });
});
