import { readFileSync } from 'node:fs';
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
  it('records the real SageMaker events end to end on the local adapters, each event once', async () => {
    // Prepare: the app's own wiring on a fresh state folder (dynalite through the runtime's key-value port)
    const home = await mkdtemp(join(tmpdir(), 'cur-model-history-app-'));
    const deps = await createModelHistoryDependencies({ CUR_HOME: home }, createLogger({ serviceName: 'model-history', logLevel: 'SILENT' }));
    const lambda = createModelHistoryLambda(() => Promise.resolve(deps), { logger: deps.logger });

    // Act: the trimmed event the app always kept, the full completed event, and the full one redelivered
    const first = await lambda(event('sagemaker-training-job-state-change.json'), lambdaContext());
    const second = await lambda(event('sagemaker-training-job-completed.json'), lambdaContext());
    const again = await lambda(event('sagemaker-training-job-completed.json'), lambdaContext());

    // Assess
    expect(first).toEqual({ outcome: 'recorded', versionId: 'cur-segments-2026-11-25', status: 'Completed' });
    expect(second).toEqual({ outcome: 'recorded', versionId: 'cur-propensity-20261125-231000', status: 'Completed' });
    expect(again.outcome).toBe('duplicate');
    const ports = await createKeyValuePorts(loadPlatformConfig({ CUR_HOME: home }));
    try {
      const versions = await new ModelHistory(ports.keyValueStore).list();
      // Both were created at 23:10:00Z: oldest first, then by id.
      expect(versions.map((v) => v.versionId)).toEqual(['cur-propensity-20261125-231000', 'cur-segments-2026-11-25']);
      expect(versions[0]).toMatchObject({ metrics: { 'validation:auc': 0.9132 }, codeVersion: 'a2e22ad', data: [{ dataset: 'customer_features' }, { dataset: 'customer_tags' }] });
    } finally {
      await ports.close();
    }
  });

  it('rejects an event of another shape with a validation error', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-model-history-app-'));
    const deps = await createModelHistoryDependencies({ CUR_HOME: home }, createLogger({ serviceName: 'model-history', logLevel: 'SILENT' }));
    await expect(createModelHistoryLambda(() => Promise.resolve(deps), { logger: deps.logger })({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
