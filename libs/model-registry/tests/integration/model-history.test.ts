import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import {
  MODEL_EVENT_IDEMPOTENCY_PARTITION,
  ModelHistory,
  compareVersions,
  createModelHistoryHandler,
  trainingJobStateChangeEvent,
  type ModelCaller,
  type TrainingJobEventInput,
} from '../../src/index';

/** The history on the `model-history` table of a real DynamoDB API (dynalite), through the runtime's port. */
let runtime: Runtime;
let handle: ReturnType<typeof createModelHistoryHandler>;
let history: ModelHistory;

const DS: ModelCaller = { principal: 'cli:alice', role: 'DS', osUser: 'alice' };
const DA: ModelCaller = { principal: 'cli:bob', role: 'DA' };
const DE: ModelCaller = { principal: 'cli:carol', role: 'DE' };
const realEvent = (): Record<string, unknown> => JSON.parse(readFileSync(new URL('../events/sagemaker-training-job-completed.json', import.meta.url), 'utf8'));

function job(jobName: string, status: TrainingJobEventInput['status'], overrides: Partial<TrainingJobEventInput> = {}): ReturnType<typeof trainingJobStateChangeEvent> {
  return trainingJobStateChangeEvent({
    jobName,
    status,
    secondaryStatus: status === 'InProgress' ? 'Training' : status,
    createdAt: new Date('2026-11-26T01:00:00Z'),
    at: new Date(status === 'InProgress' ? '2026-11-26T01:00:05Z' : '2026-11-26T01:00:30Z'),
    hyperparameters: { seed: '42', model: 'gradient_boosting' },
    tags: { 'cur:started-by': 'cli:alice', 'cur:data:1': `consumption/customer_features/2026-11-25/${'c'.repeat(64)}` },
    trainingImage: 'local',
    ...(status === 'Completed' ? { metrics: { 'validation:auc': 0.81 } } : {}),
    ...overrides,
  });
}

beforeAll(async () => {
  const home = await mkdtemp(join(tmpdir(), 'cur-model-history-'));
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
  const idempotencyStore = await runtime.idempotencyStore('model-history', MODEL_EVENT_IDEMPOTENCY_PARTITION);
  handle = createModelHistoryHandler(async () => ({ keyValueStore: runtime.keyValueStore, idempotencyStore, logger: createLogger({ serviceName: 'model-history-test', logLevel: 'SILENT' }) }));
  history = new ModelHistory(runtime.keyValueStore);
});
afterAll(() => runtime.close());

describe('createModelHistoryHandler', () => {
  it('records the real completed event as a version with metrics, lineage, code version and who started it', async () => {
    await expect(handle(realEvent())).resolves.toEqual({ outcome: 'recorded', versionId: 'cur-dev-train-digital-native-20261125-231000', status: 'Completed' });

    const version = await history.get('cur-dev-train-digital-native-20261125-231000');
    expect(version).toMatchObject({ status: 'Completed', metrics: { 'validation:auc': 0.9132 }, codeVersion: 'a2e22ad', role: 'DS', startedBy: expect.stringContaining('alice') });
    expect(version.data.map((d) => d.contentSha256.slice(0, 8))).toEqual(['3f1c8e9b', '9a8b7c6d']);
    expect(version.transitions).toHaveLength(5);
  });

  it("with the stage's job name prefix, ignores any other job (recording nothing, failing nothing) and records the platform's", async () => {
    // Prepare: the handler as the Lambda wires it for stage dev; the real event renamed as a data scientist's own job
    const guarded = createModelHistoryHandler(async () => ({
      keyValueStore: runtime.keyValueStore,
      idempotencyStore: await runtime.idempotencyStore('model-history', MODEL_EVENT_IDEMPOTENCY_PARTITION),
      logger: createLogger({ serviceName: 'model-history-test', logLevel: 'SILENT' }),
      trainingJobNamePrefix: 'cur-dev-train-',
    }));
    const own = realEvent();
    const foreign = JSON.parse(JSON.stringify(own).replaceAll('cur-dev-train-digital-native-20261125-231000', 'my-propensity-experiment-7')) as Record<string, unknown>;
    foreign['id'] = '0d7c3f4e-1111-4222-8333-944455556666';

    // Act
    const ignored = await guarded(foreign);
    const recorded = await guarded(own);

    // Assess
    expect(ignored).toEqual({ outcome: 'ignored', versionId: 'my-propensity-experiment-7', status: 'Completed' });
    expect(['recorded', 'duplicate']).toContain(recorded.outcome);
    await expect(history.get('my-propensity-experiment-7')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await history.list()).map((v) => v.versionId)).not.toContain('my-propensity-experiment-7');
  });

  it('records a redelivered event once (same event id), through Powertools Idempotency', async () => {
    const event = job('cur-propensity-redelivered', 'InProgress');
    await expect(handle(event)).resolves.toMatchObject({ outcome: 'recorded' });
    await expect(handle(event)).resolves.toMatchObject({ outcome: 'duplicate' });
    expect((await history.get('cur-propensity-redelivered')).timeline).toHaveLength(1);
  });

  it('keeps a status timeline and refuses to change a finished version', async () => {
    await handle(job('cur-propensity-a', 'InProgress'));
    await handle(job('cur-propensity-a', 'Completed'));
    const version = await history.get('cur-propensity-a');
    expect(version.timeline.map((t) => t.status)).toEqual(['InProgress', 'Completed']);
    expect(version.status).toBe('Completed');

    const rewrite = job('cur-propensity-a', 'Completed', { metrics: { 'validation:auc': 0.99 } });
    await expect(handle(rewrite)).rejects.toMatchObject({ code: 'MODEL_VERSION_IMMUTABLE' });
    expect((await history.get('cur-propensity-a')).metrics).toEqual({ 'validation:auc': 0.81 });
  });

  it('refuses an event of another shape with a validation error', async () => {
    await expect(handle({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('ModelHistory: reading, promotion and rollback', () => {
  it('lets DS read versions whole, DA their metrics only, and refuses DE', async () => {
    const whole = await history.listFor(DS);
    expect(whole.map((v) => v.versionId)).toContain('cur-propensity-a');
    const metrics = await history.listFor(DA);
    const forDa = metrics.find((v) => v.versionId === 'cur-propensity-a');
    expect(forDa).toMatchObject({ metrics: { 'validation:auc': 0.81 } });
    expect(Object.keys(forDa ?? {})).not.toContain('hyperparameters');
    expect(Object.keys(forDa ?? {})).not.toContain('startedBy');
    await expect(history.listFor(DE)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it('promotes completed versions, rolls back to the one before, and audits every change, refusals included', async () => {
    await handle(job('cur-propensity-b', 'Completed', { hyperparameters: { seed: '7', model: 'logistic' }, metrics: { 'validation:auc': 0.78 } }));
    await handle(job('cur-propensity-running', 'InProgress'));

    await expect(history.promote('cur-propensity-running', DS)).rejects.toMatchObject({ code: 'MODEL_VERSION_NOT_COMPLETED' });
    await expect(history.promote('cur-propensity-a', DA)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(history.rollback(DS)).rejects.toMatchObject({ code: 'MODEL_NOTHING_TO_ROLL_BACK' });
    expect(await history.promote('cur-propensity-a', DS)).toMatchObject({ versionId: 'cur-propensity-a', revision: 1 });
    await expect(history.promote('cur-propensity-a', DS)).rejects.toMatchObject({ code: 'MODEL_ALREADY_SCORING' });
    expect(await history.promote('cur-propensity-b', DS)).toMatchObject({ versionId: 'cur-propensity-b', revision: 2 });
    expect(await history.rollback(DS)).toMatchObject({ versionId: 'cur-propensity-a', revision: 3, promoted: ['cur-propensity-a'] });
    expect((await history.scoring())?.versionId).toBe('cur-propensity-a');

    const day = new Date().toISOString().slice(0, 10);
    const moves = (await history.audit(day)).filter((e) => e.operation !== 'record');
    expect(moves.map((e) => `${e.operation}:${e.outcome}:${e.reason ?? ''}`)).toEqual([
      'promote:refused:MODEL_VERSION_NOT_COMPLETED',
      'promote:refused:ACCESS_DENIED',
      'rollback:refused:MODEL_NOTHING_TO_ROLL_BACK',
      'promote:allowed:',
      'promote:refused:MODEL_ALREADY_SCORING',
      'promote:allowed:',
      'rollback:allowed:',
    ]);
    expect(moves.find((e) => e.outcome === 'allowed')).toMatchObject({ principal: 'cli:alice', role: 'DS', osUser: 'alice' });
  });

  it('compares two versions: hyperparameters that differ, metric deltas, the same data', async () => {
    const comparison = compareVersions(await history.get('cur-propensity-a'), await history.get('cur-propensity-b'));
    expect(comparison.hyperparameters).toEqual([
      { name: 'model', a: 'gradient_boosting', b: 'logistic' },
      { name: 'seed', a: '42', b: '7' },
    ]);
    expect(comparison.metrics[0]?.delta).toBeCloseTo(-0.03, 10);
    expect(comparison.sameData).toBe(true);
  });
});
