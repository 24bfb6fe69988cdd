import { describe, expect, it } from 'vitest';
import { airflowDagGraph, buildLineage, pipelineTasks, renderAirflowDag, type LineageStep } from '../../src';
import { sources, STEPS } from '../helpers/fixtures';

/** The fixture's definition with the scoring step of libs/pipeline's: consumption -> score -> mart and serving. */
const SCORE: LineageStep = { name: 'score', description: 'model tags', from: 'consumption', to: 'consumption', inputs: ['customer_features'], outputs: ['model_tags'], model: 'promoted', runsAs: 'PIPELINE' };
const WITH_SCORE: readonly LineageStep[] = STEPS.flatMap((step) => {
  if (step.name === 'consumption') return [step, SCORE];
  if (step.name === 'mart' || step.name === 'serving') return [{ ...step, inputs: [...step.inputs, 'model_tags'] }];
  return [step];
});
const GATES = { qualityGates: [{ dataset: 'customer_features', zone: 'consumption', ruleset: 'customer_features_consumption' }, { dataset: 'model_tags', zone: 'consumption', ruleset: 'model_tags_consumption' }] };

describe('Function: pipelineTasks, with a model step', () => {
  it('makes the scoring step one task after the consumption task, carrying its model', () => {
    // Act
    const score = pipelineTasks(WITH_SCORE).find((task) => task.id === 'score');

    // Assess
    expect(score).toMatchObject({ step: 'score', model: 'promoted', inputs: [{ zone: 'consumption', dataset: 'customer_features' }], outputs: [{ zone: 'consumption', dataset: 'model_tags' }], upstreamTaskIds: ['consumption'] });
    expect(pipelineTasks(STEPS).some((task) => task.model !== undefined)).toBe(false);
  });
});

describe('Function: renderAirflowDag, with a model step', () => {
  it('runs the model step as a SageMaker Processing job of cur_model.score that reads the promoted version when it starts', () => {
    // Act
    const dag = renderAirflowDag(WITH_SCORE, GATES);

    // Assess
    expect(dag.match(/ = SageMakerProcessingOperator\(/g)).toHaveLength(1);
    expect(dag).toContain('    score = SageMakerProcessingOperator(\n        task_id="score",');
    expect(dag).toContain('"ContainerEntrypoint": ["python3", "-m", "cur_model.score"],');
    expect(dag).toContain('        pre_execute=apply_promoted_model,\n        post_execute=publish_model_tags,\n        wait_for_completion=True,\n        deferrable=True,');
    expect(dag).toContain('s3_folder("consumption", "customer_features/" + PARTITION),');
    expect(dag).toContain('"S3Uri": s3_folder("consumption", "model_tags/" + PARTITION),');
    expect(dag).toContain('item = table.get_item(Key={"pk": "scoring", "sk": "current"}, ConsistentRead=True).get("Item")');
    expect(dag).toContain('raise AirflowSkipException("no model version is promoted for scoring (cur model promote VERSION)")');
    expect(dag).toContain("    empty_output_partition(context[\"task\"])\n    version = promoted_model_version()");
    expect(dag).toContain('from airflow.sdk import DAG, Variable\n');
    expect(dag.split('\n').filter((line) => line.length > 120)).toEqual([]);
  });

  it('publishes the job\'s partition after it with cur_model.publish, then announces it on the platform bus', () => {
    // Act
    const dag = renderAirflowDag(WITH_SCORE, GATES);

    // Assess: cur_model imported last (first party, as ruff orders it), called by the task's post_execute hook
    expect(dag).toContain('from cur_dq_gate import DqGateOperator\n\nfrom cur_model.platform_events import publish_layer\nfrom cur_model.publish import layer_published, publish_scored_partition\n');
    expect(dag).toContain('    publish_layer(events, cloudwatch, job["eventBus"], layer_published(published, business_date))');
    expect(dag).toContain('def publish_model_tags(context: Mapping[str, Any], result: object = None) -> None:');
    expect(dag).toContain('    published = publish_scored_partition(\n        S3Hook(region_name=REGION).get_conn(),');
    expect(dag).toContain('        database_prefix=DATABASE_PREFIX,');
    expect(renderAirflowDag(STEPS)).not.toContain('cur_model');
  });

  it('gates the model tags after the scoring task, and runs what reads them unless an upstream failed', () => {
    // Act
    const dag = renderAirflowDag(WITH_SCORE, GATES);
    const graph = airflowDagGraph(WITH_SCORE, GATES);
    const upstream = (id: string): readonly string[] | undefined => graph.tasks.find((task) => task.id === id)?.upstream;

    // Assess
    expect(upstream('score')).toEqual(['dq_consumption_customer_features']);
    expect(upstream('dq_consumption_model_tags')).toEqual(['score']);
    expect(upstream('mart')).toContain('dq_consumption_model_tags');
    expect(dag.match(/trigger_rule="none_failed"/g)).toHaveLength(2);
    const mart = dag.slice(dag.indexOf('    mart = GlueJobOperator('));
    expect(mart.slice(0, mart.indexOf('\n    )\n'))).toContain('trigger_rule="none_failed"');
    expect(renderAirflowDag(STEPS)).not.toContain('trigger_rule');
    expect(renderAirflowDag(STEPS)).not.toContain('SageMaker');
  });

  it('refuses a model step that does not read one dataset and write one', () => {
    // Prepare
    const steps = WITH_SCORE.map((step) => (step.name === 'score' ? { ...step, inputs: ['customer_features', 'customer_tags'] } : step));

    // Act and assess
    expect(() => renderAirflowDag(steps)).toThrow('model task score must read one dataset and write one');
  });
});

describe('Function: buildLineage, with a model step', () => {
  it('shows the scoring job between the features and the model tags, as a SageMaker Processing job of the promoted model', () => {
    // Act
    const mcps = buildLineage(sources({ steps: WITH_SCORE }), { stage: 'dev' });
    const aspect = (name: string): Record<string, unknown> | undefined => mcps.find((mcp) => mcp.entityUrn.endsWith(',score)') && mcp.aspectName === name)?.aspect.json;

    // Assess
    expect(aspect('dataJobInfo')).toMatchObject({ name: 'score', type: { string: 'SAGEMAKER_PROCESSING' }, customProperties: { step: 'score', model: 'promoted' } });
    expect(aspect('dataJobInputOutput')).toMatchObject({
      inputDatasets: ['urn:li:dataset:(urn:li:dataPlatform:glue,cur-dev.cur_dev_consumption.customer_features,PROD)'],
      outputDatasets: ['urn:li:dataset:(urn:li:dataPlatform:glue,cur-dev.cur_dev_consumption.model_tags,PROD)'],
    });
  });
});
