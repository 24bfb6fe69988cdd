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
    expect(dag).toContain('    consumption >> serving\n    mart >> serving\n');
    expect(dag.match(/ >> consumption\n/g)).toHaveLength(4);
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

  it('puts a DQ gate after the task that writes a gated dataset, and makes its readers wait for the gate', () => {
    // Prepare
    const qualityGates = [{ dataset: 'customer_profile', zone: 'raw', ruleset: 'customer_profile_raw' }, { dataset: 'customer_tags', zone: 'consumption', ruleset: 'customer_tags_consumption' }];

    // Act
    const graph = airflowDagGraph(STEPS, { qualityGates });
    const dag = renderAirflowDag(STEPS, { qualityGates });

    // Assess
    const upstream = Object.fromEntries(graph.tasks.map((task) => [task.id, task.upstream]));
    expect(upstream['dq_raw_customer_profile']).toEqual(['mask_customer_profile']);
    expect(upstream['transform_customer_profile']).toEqual(['dq_raw_customer_profile']);
    expect(upstream['transform_account_balance']).toEqual(['mask_account_balance']);
    expect(upstream['mart']).toEqual(['consumption', 'dq_consumption_customer_tags']);
    expect(graph.tasks.map((task) => task.id).indexOf('dq_raw_customer_profile')).toBe(1);
    expect(dag).toContain('rule_set_names=["customer_tags_consumption"],');
    expect(dag).toContain('"DatabaseName": f"{DATABASE_PREFIX}_consumption",\n                "TableName": "customer_tags",');
    // Only the run's partition, as the local gate evaluates only the date's.
    expect(dag).toContain('"AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},');
    expect(dag).toContain(`BUSINESS_DATE_PARTITION = "business_date = '{{ dag_run.conf['businessDate'] }}'"`);
  });

  it("renders the gates' severity reading from the options: a failed warning rule warns, any other blocks", () => {
    // Prepare
    const qualityGates = [{ dataset: 'customer_profile', zone: 'raw', ruleset: 'customer_profile_raw' }];

    // Act
    const byDefault = renderAirflowDag(STEPS, { qualityGates });
    const other = renderAirflowDag(STEPS, { qualityGates, dqSeverity: { label: 'level', warningSeverities: ['info', 'warning'] } });

    // Assess
    expect(byDefault).toContain('from cur_dq_gate import DqGateOperator\n');
    expect(byDefault).toContain('    dq_raw_customer_profile = DqGateOperator(\n');
    expect(byDefault).toContain('DQ_SEVERITY_LABEL = "severity"\nDQ_WARNING_SEVERITIES = ("warning",)\n');
    expect(byDefault).toContain('        severity_label=DQ_SEVERITY_LABEL,\n        warning_severities=DQ_WARNING_SEVERITIES,\n');
    expect(other).toContain('DQ_SEVERITY_LABEL = "level"\nDQ_WARNING_SEVERITIES = ("info", "warning")\n');
    expect(renderAirflowDag(STEPS)).not.toContain('cur_dq_gate');
  });
});
