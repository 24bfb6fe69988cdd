import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVING_LOAD_APP } from '@cur/contracts';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SPECS } from '../../src/config/apps';
import { OrchestrationNames, PIPELINE_DAG_FOLDER } from '../../src/config/pipeline-dag';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';
import type { StatementJson } from '../helpers/template-queries';
import { actionsOf, props, resourcesOf, resourcesOfType } from '../helpers/template-queries';

/** Every Allow statement of the stack's policies (the function's role is the only role in it). */
function allowStatements(synth: SynthesizedStage): StatementJson[] {
  return Object.values(resourcesOfType(synth.template(SERVING_LOAD_APP), 'AWS::IAM::Policy'))
    .flatMap((policy) => props<{ PolicyDocument: { Statement: StatementJson[] } }>(policy).PolicyDocument.Statement)
    .filter((statement) => statement.Effect === 'Allow');
}

/** The resources of every statement granting an action, as plain strings. */
function resourcesGranting(statements: readonly StatementJson[], action: string): string[] {
  return statements.filter((statement) => actionsOf(statement).includes(action)).flatMap((statement) => resourcesOf(statement).map((resource) => (typeof resource === 'string' ? resource : JSON.stringify(resource))));
}

describe('Stack: AppStack of serving-load (the DAG\'s serving task)', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  }, 180_000);
  afterAll(() => synth.dispose());

  it('runs the bundle with its DuckDB addon on Node.js 22, x86_64, 15 minutes, 3008 MB, 4 GB of /tmp, one at a time', () => {
    synth.template(SERVING_LOAD_APP).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cur-dev-serving-load',
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      Timeout: 900,
      MemorySize: 3008,
      EphemeralStorage: { Size: 4096 },
      ReservedConcurrentExecutions: 1,
      TracingConfig: { Mode: 'Active' },
    });
    // The asset is the whole build folder: the handler and the linux-x64 addon the architecture is chosen for.
    const bundleDir = synth.stage.apps[SERVING_LOAD_APP].service.bundleDir;
    expect(existsSync(join(bundleDir, 'handler.mjs'))).toBe(true);
    expect(existsSync(join(bundleDir, 'node_modules', '@duckdb', 'node-bindings-linux-x64', 'duckdb.node'))).toBe(true);
  });

  it('reads the consumption and mart files and the manifests, writes the serving table, and nothing else', () => {
    const statements = allowStatements(synth);

    expect(resourcesGranting(statements, 's3:GetObject').sort()).toEqual(['arn:aws:s3:::cur-dev-consumption/*', 'arn:aws:s3:::cur-dev-mart/*', 'arn:aws:s3:::cur-dev-system/manifests/*']);
    expect(resourcesGranting(statements, 's3:PutObject')).toEqual([]);
    expect(resourcesGranting(statements, 's3:DeleteObject')).toEqual([]);
    const tableResources = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:'))).flatMap((statement) => resourcesOf(statement));
    expect([...new Set(tableResources)]).toEqual(['arn:aws:dynamodb:ap-northeast-1:123456789012:table/cur-dev-serving']);
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query']) {
      expect(resourcesGranting(statements, action), action).toEqual(['arn:aws:dynamodb:ap-northeast-1:123456789012:table/cur-dev-serving']);
    }
    // No SNS, no events, no other service's data.
    expect(statements.flatMap((statement) => actionsOf(statement)).filter((action) => /^(sns|events|glue|secretsmanager|ssm):/.test(action))).toEqual([]);
  });

  it('is invoked synchronously by the DAG task: no event rule, no dead-letter queue', () => {
    const template = synth.template(SERVING_LOAD_APP);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    expect(APP_SPECS[SERVING_LOAD_APP].triggers).toEqual([{ kind: 'dag-task', taskId: 'serving' }]);
  });

  it('alarms on any error of the function into pipeline-failures', () => {
    synth.template(SERVING_LOAD_APP).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }],
      Threshold: 1,
      AlarmActions: ['arn:aws:sns:ap-northeast-1:123456789012:cur-dev-pipeline-failures'],
    });
  });

  it("is the function the committed DAG's serving task names, and the one the MWAA execution role may invoke", () => {
    const dagSource = readFileSync(join(PIPELINE_DAG_FOLDER, 'cur_pipeline.py'), 'utf8');
    const named = [...dagSource.matchAll(/function_name=f"cur-\{STAGE\}-([a-z-]+)"/g)].map((match) => `cur-${synth.config.stage}-${match[1]}`);
    const functions = Object.values(resourcesOfType(synth.template(SERVING_LOAD_APP), 'AWS::Lambda::Function')).map((resource) => props(resource)['FunctionName']);

    expect(named).toEqual(functions);
    expect(new OrchestrationNames(synth.stage.names).servingLoadFunctionName).toBe(functions[0]);
    const orchestration = JSON.stringify(synth.template('orchestration').toJSON());
    expect(orchestration).toContain(`"arn:aws:lambda:ap-northeast-1:123456789012:function:${String(functions[0])}"`);
  });
});
