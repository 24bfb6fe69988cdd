import { describe, expect, it } from 'vitest';
import { airflowDagGraph, renderAirflowDag, type LineageStep } from '../../src';
import { STEPS } from '../helpers/fixtures';

describe('Function: renderAirflowDag', () => {
  it('declares one operator per task and one dependency line per task with upstreams', () => {
    // Act
    const dag = renderAirflowDag(STEPS);

    // Assess
    expect(dag.match(/ = GlueJobOperator\(/g)).toHaveLength(10);
    expect(dag.match(/ = LambdaInvokeFunctionOperator\(/g)).toHaveLength(1);
    expect(dag).toContain('    mask_card_transaction >> transform_card_transaction\n');
    expect(dag).toContain('    [consumption, mart] >> serving\n');
    expect(dag).toContain('    [\n        transform_customer_profile,\n');
    expect(dag).toContain('job_name=f"cur-{STAGE}-mask",\n        script_args={"--dataset": "customer_profile", "--business-date": BUSINESS_DATE},');
  });

  it('keeps every line within ruff\'s 120 characters', () => {
    expect(renderAirflowDag(STEPS).split('\n').filter((line) => line.length > 120)).toEqual([]);
  });

  it('follows the definition: a new step is a new task, in the DAG and in its graph', () => {
    // Prepare
    const steps: LineageStep[] = [...STEPS, { name: 'export', description: 'export tags', from: 'mart', to: 'mart', inputs: ['tag_metrics_monthly'], outputs: ['tag_export'], runsAs: 'PIPELINE' }];

    // Act
    const dag = renderAirflowDag(steps, { retries: 4 });

    // Assess
    expect(dag).toContain('    export = GlueJobOperator(\n        task_id="export",');
    expect(dag).toContain('    mart >> export\n');
    expect(dag).toContain('"retries": 4,');
    expect(airflowDagGraph(steps).tasks.at(-1)).toEqual({ id: 'export', step: 'export', dataset: null, upstream: ['mart'] });
  });
});
