import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '@cur/runtime';
import { BatchLedger } from '@cur/ingestion';
import { runPipeline, TASK_GRAPH_UNSUPPORTED, type PipelineDependencies, type PipelineTaskGraph } from '../../src/index';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

/** The MWAA DAG's graph as committed (generated from the definition; what the CLI passes `runPipeline`). */
const COMMITTED: PipelineTaskGraph = JSON.parse(readFileSync(join(__dirname, '../../../pipeline-dag/pipeline-graph.json'), 'utf8'));

let runtime: Runtime;
let deps: PipelineDependencies;

beforeAll(async () => {
  ({ runtime } = await ingestedPlatform({ customers: 80, days: 1, seed: 23 }));
  deps = await pipelineDependencies(runtime);
}, 120_000);
afterAll(async () => {
  await deps.engine.close();
  await runtime.close();
});

describe('runPipeline follows the task graph it is given', () => {
  it('refuses a graph it cannot run before any step starts: every batch stays accepted', async () => {
    // Prepare: a mask that waits for the mart
    const graph = { ...COMMITTED, tasks: COMMITTED.tasks.map((t) => (t.id === 'mask_card_transaction' ? { ...t, upstream: ['mart'] } : t)) };

    // Act / Assess
    await expect(runPipeline({ ...deps, taskGraph: graph })).rejects.toMatchObject({ code: TASK_GRAPH_UNSUPPORTED });
    const statuses = (await new BatchLedger(runtime.keyValueStore).list()).map(({ record }) => record?.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['ACCEPTED']));
  });

  it('runs what a changed graph declares: without the raw gates and the mart, neither runs; the rest does', async () => {
    // Prepare: the raw gates removed (transforms wait for their masks instead), the mart and serving removed
    const dropped = new Set(['dq_raw_customer_profile', 'dq_raw_card_transaction', 'mart', 'serving']);
    const graph: PipelineTaskGraph = {
      dagId: COMMITTED.dagId,
      tasks: COMMITTED.tasks
        .filter((t) => !dropped.has(t.id))
        .map((t) => ({ ...t, upstream: t.upstream.map((u) => (u.startsWith('dq_raw_') ? u.replace('dq_raw_', 'mask_') : u)) })),
    };

    // Act
    const run = await runPipeline({ ...deps, taskGraph: graph });

    // Assess
    expect(run.status).toBe('succeeded');
    const ran = (step: string, prefix = ''): number => run.steps.filter((s) => s.step === step && s.target.startsWith(prefix) && s.status === 'succeeded').length;
    expect([ran('mask'), ran('transform'), ran('consumption'), ran('mart')]).toEqual([4, 4, 1, 0]);
    expect([ran('dq', 'raw/'), ran('dq', 'transformed/'), ran('dq', 'consumption/')]).toEqual([0, 4, 2]);
    expect(run.steps.filter((s) => s.step === 'mart' || s.step === 'serving')).toEqual([]);
  }, 180_000);
});
