import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelHistory } from '@cur/model-registry';
import { createLogger } from '@cur/platform';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { loadPlatformConfig } from '@cur/platform';
import { lambdaContext } from '@cur/platform/testing';
import { createModelHistoryLambda } from '../../src/handler';
import { createModelHistoryDependencies } from '../../src/wiring';

const event = (name: string): unknown => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8'));

describe('model-history Lambda', () => {
  it('records the real SageMaker events of the stage\'s own jobs end to end on the local adapters, each event once, and ignores any other job', async () => {
    // Prepare: the app's own wiring (stage dev) on a fresh state folder (dynalite through the runtime's key-value port)
    const home = await mkdtemp(join(tmpdir(), 'cur-model-history-app-'));
    const deps = await createModelHistoryDependencies({ CUR_HOME: home, CUR_MODEL_HISTORY_SCRATCH_DIR: join(home, 'scratch') }, createLogger({ serviceName: 'model-history', logLevel: 'SILENT' }));
    const lambda = createModelHistoryLambda(() => Promise.resolve(deps), { logger: deps.logger });

    // Act: a data scientist's own k-means job in the account (the trimmed event the app always kept), the platform's
    // completed job (cur-dev-train-...), and that one redelivered
    const foreign = await lambda(event('sagemaker-training-job-state-change.json'), lambdaContext());
    const second = await lambda(event('sagemaker-training-job-completed.json'), lambdaContext());
    const again = await lambda(event('sagemaker-training-job-completed.json'), lambdaContext());

    // Assess
    expect(foreign).toEqual({ outcome: 'ignored', versionId: 'cur-segments-2026-11-25', status: 'Completed' });
    expect(second).toEqual({ outcome: 'recorded', versionId: 'cur-dev-train-digital-native-20261125-231000', status: 'Completed', exports: 'written' });
    // The exports are rewritten in the state folder's system bucket (no model archive there: no histogram rows)
    expect(existsSync(join(home, 'lake', 'system', 'model-history', 'exports', 'model_history', 'part-0.parquet'))).toBe(true);
    expect(again.outcome).toBe('duplicate');
    const ports = await createKeyValuePorts(loadPlatformConfig({ CUR_HOME: home }));
    try {
      const versions = await new ModelHistory(ports.keyValueStore).list();
      expect(versions.map((v) => v.versionId)).toEqual(['cur-dev-train-digital-native-20261125-231000']);
      expect(versions[0]).toMatchObject({ metrics: { 'validation:auc': 0.9132 }, codeVersion: 'a2e22ad', data: [{ dataset: 'customer_features' }, { dataset: 'customer_tags' }] });
    } finally {
      await ports.close();
    }
  });

  it('ignores another stage\'s job: the prefix is the stage\'s', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-model-history-app-'));
    const deps = await createModelHistoryDependencies({ CUR_HOME: home, CUR_STAGE: 'prod' }, createLogger({ serviceName: 'model-history', logLevel: 'SILENT' }));
    const outcome = await createModelHistoryLambda(() => Promise.resolve(deps), { logger: deps.logger })(event('sagemaker-training-job-completed.json'), lambdaContext());
    expect(outcome.outcome).toBe('ignored');
  });

  it('rejects an event of another shape with a validation error', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-model-history-app-'));
    const deps = await createModelHistoryDependencies({ CUR_HOME: home }, createLogger({ serviceName: 'model-history', logLevel: 'SILENT' }));
    await expect(createModelHistoryLambda(() => Promise.resolve(deps), { logger: deps.logger })({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
