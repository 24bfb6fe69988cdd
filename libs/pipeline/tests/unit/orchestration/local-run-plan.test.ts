import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CurError } from '@cur/platform';
import { localRunPlan, TASK_GRAPH_UNSUPPORTED, type PipelineTaskGraph } from '../../../src/orchestration/local-run-plan';

type Task = { id: string; step: string; dataset: string | null; upstream: string[] };

/** The graph the MWAA DAG has, as the DAG generator committed it (a tools/cli test keeps it equal to the definition's). */
const COMMITTED: PipelineTaskGraph = JSON.parse(readFileSync(join(__dirname, '../../../../pipeline-dag/pipeline-graph.json'), 'utf8'));

/** The committed graph with `change` applied to its tasks. */
function altered(change: (tasks: Task[]) => Task[]): PipelineTaskGraph {
  return { dagId: COMMITTED.dagId, tasks: change(COMMITTED.tasks.map((task): Task => ({ ...task, upstream: [...task.upstream] }))) };
}

function refusal(graph: PipelineTaskGraph): string {
  try {
    localRunPlan(graph);
  } catch (error) {
    expect(error).toBeInstanceOf(CurError);
    expect((error as CurError).code).toBe(TASK_GRAPH_UNSUPPORTED);
    return (error as Error).message;
  }
  throw new Error('the graph was not refused');
}

describe('localRunPlan', () => {
  it('reads the DAG committed graph: every source dataset, the nine gates, consumption after every transform, score, mart and serving', () => {
    // Act
    const plan = localRunPlan(COMMITTED);

    // Assess
    expect([...plan.masks].sort()).toEqual(['account_balance', 'card_transaction', 'customer_profile', 'digital_activity']);
    expect(plan.transforms).toEqual(['customer_profile', 'account_balance', 'card_transaction', 'digital_activity']);
    expect([...plan.gates].sort()).toEqual([
      'consumption/customer_features',
      'consumption/customer_tags',
      'consumption/model_tags',
      'raw/card_transaction',
      'raw/customer_profile',
      'transformed/account_balance',
      'transformed/card_transaction',
      'transformed/customer_profile',
      'transformed/digital_activity',
    ]);
    expect([...plan.consumptionAfter].sort()).toEqual([...plan.transforms].sort());
    expect([plan.consumption, plan.score, plan.mart, plan.serving]).toEqual([true, true, true, true]);
  });

  it('places the gate of the scoring step\'s output after that step, and runs no scoring step the graph lacks', () => {
    // Prepare: the graph without the score task and its gate; the mart then reads the consumption gates only
    const withoutScore = altered((tasks) => tasks.filter((t) => t.id !== 'score' && t.id !== 'dq_consumption_model_tags').map((t) => ({ ...t, upstream: t.upstream.filter((u) => u !== 'dq_consumption_model_tags') })));

    // Act
    const plan = localRunPlan(withoutScore);

    // Assess
    expect(plan.score).toBe(false);
    expect(plan.gates.has('consumption/model_tags')).toBe(false);
    expect(plan.mart).toBe(true);
    expect(COMMITTED.tasks.find((t) => t.id === 'dq_consumption_model_tags')?.upstream).toEqual(['score']);
  });

  it('follows a change of the graph: a gate removed, transforms reordered, consumption no longer waiting for one, no serving', () => {
    // Prepare
    const graph = altered((tasks) => {
      const without = tasks.filter((t) => t.id !== 'dq_raw_customer_profile' && t.id !== 'serving');
      for (const task of without) {
        if (task.id === 'transform_customer_profile') task.upstream.splice(0, task.upstream.length, 'mask_customer_profile');
        if (task.id === 'consumption') task.upstream.splice(task.upstream.indexOf('dq_transformed_digital_activity'), 1);
      }
      const profile = without.findIndex((t) => t.id === 'transform_customer_profile');
      const [moved] = without.splice(profile, 1);
      return [...without, moved as Task];
    });

    // Act
    const plan = localRunPlan(graph);

    // Assess
    expect(plan.gates.has('raw/customer_profile')).toBe(false);
    expect(plan.gates.has('raw/card_transaction')).toBe(true);
    expect(plan.transforms).toEqual(['account_balance', 'card_transaction', 'digital_activity', 'customer_profile']);
    expect(plan.consumptionAfter).not.toContain('digital_activity');
    expect(plan.serving).toBe(false);
  });

  it.each<[string, (tasks: Task[]) => Task[], string]>([
    ['a step it has no step for', (tasks) => [...tasks, { id: 'export', step: 'export', dataset: null, upstream: ['mart'] }], 'has step export'],
    ['a second scoring step', (tasks) => [...tasks, { id: 'score_2', step: 'score', dataset: null, upstream: ['consumption'] }], 'more than one score task'],
    ['scoring not after consumption', (tasks) => tasks.map((t) => (t.id === 'score' ? { ...t, upstream: [] } : t)), 'task score does not depend on the consumption task'],
    ['the mart before the scoring step', (tasks) => tasks.map((t) => (t.id === 'score' ? { ...t, upstream: [...t.upstream, 'mart'] } : t)), 'task score depends on mart, against the local runner'],
    ['an upstream task the graph lacks', (tasks) => tasks.filter((t) => t.id !== 'mask_account_balance'), 'depends on mask_account_balance, which the graph does not have'],
    ['an edge against its order', (tasks) => tasks.map((t) => (t.id === 'mask_customer_profile' ? { ...t, upstream: ['consumption'] } : t)), 'against the local runner'],
    ['a transform after another dataset', (tasks) => tasks.map((t) => (t.id === 'transform_account_balance' ? { ...t, upstream: ['mask_account_balance', 'mask_card_transaction'] } : t)), "another dataset's"],
    ['a gate it cannot place', (tasks) => tasks.map((t) => (t.id === 'dq_raw_card_transaction' ? { ...t, id: 'dq_landing_card_transaction' } : t)).map((t) => ({ ...t, upstream: t.upstream.map((u) => (u === 'dq_raw_card_transaction' ? 'dq_landing_card_transaction' : u)) })), 'is not dq_<raw|transformed|consumption>_<dataset>'],
    ['a dataset it does not know', (tasks) => [...tasks, { id: 'mask_loans', step: 'mask', dataset: 'loans', upstream: [] }], 'names dataset loans'],
    ['a second mart', (tasks) => [...tasks, { id: 'mart_2', step: 'mart', dataset: null, upstream: ['dq_consumption_customer_tags'] }], 'more than one mart task'],
    ['serving not after the mart', (tasks) => tasks.map((t) => (t.id === 'serving' ? { ...t, upstream: ['dq_consumption_customer_tags'] } : t)), 'does not depend on the mart task'],
  ])('refuses a graph with %s, naming it', (_what, change, message) => {
    // Act / Assess
    expect(refusal(altered(change))).toContain(message);
  });
});
