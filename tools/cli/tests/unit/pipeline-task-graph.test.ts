import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { localRunPlan } from '@cur/pipeline';
import { pipelineTaskGraph } from '../../src/pipeline-task-graph';

describe('pipelineTaskGraph', () => {
  it('is the graph the MWAA DAG was generated with, and the local runner accepts it', async () => {
    // Prepare
    const committed = JSON.parse(await readFile(new URL('../../../../libs/pipeline-dag/pipeline-graph.json', import.meta.url), 'utf8'));

    // Act
    const graph = pipelineTaskGraph();

    // Assess: one source; cur run (localPipelineDependencies) passes this graph to runPipeline
    expect(graph).toEqual(committed);
    expect(localRunPlan(graph).transforms).toEqual(['customer_profile', 'account_balance', 'card_transaction', 'digital_activity']);
  });
});
