import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES, APP_SPECS } from '../../src/config/apps';
import { WORKSPACE_ROOT } from '../../src/config/paths';
import { PIPELINE_DAG_FOLDER, PIPELINE_DAG_ROOT, readPipelineDagFacts } from '../../src/config/pipeline-dag';
import { ORCHESTRATION_INTERFACE_ENDPOINTS } from '../../src/constructs/orchestration-network';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';
import { actionsOf, props, resourcesOf, resourcesOfType, type StatementJson } from '../helpers/template-queries';

/** Every statement of every IAM policy in a template. */
function statementsOf(template: ReturnType<SynthesizedStage['template']>): StatementJson[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap((policy) => props<{ PolicyDocument: { Statement: StatementJson[] } }>(policy).PolicyDocument.Statement);
}

describe('Stack: OrchestrationStack', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  });
  afterAll(() => synth.dispose());

  it('runs MWAA on the Airflow version libs/pipeline-dag pins and tests, with a private web server', () => {
    const pin = /"apache-airflow==([\d.]+)"/.exec(readFileSync(join(PIPELINE_DAG_ROOT, 'pyproject.toml'), 'utf8'))?.[1];
    expect(pin).toBe('3.3.1');
    synth.template('orchestration').hasResourceProperties('AWS::MWAA::Environment', {
      Name: 'cur-dev-pipeline',
      AirflowVersion: pin,
      WebserverAccessMode: 'PRIVATE_ONLY',
      DagS3Path: 'dags',
      RequirementsS3Path: 'requirements/requirements.txt',
      StartupScriptS3Path: 'startup/startup.sh',
      NetworkConfiguration: { SubnetIds: Match.anyValue(), SecurityGroupIds: [Match.anyValue()] },
      AirflowConfigurationOptions: {
        'secrets.backend': 'airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend',
        'secrets.backend_kwargs': JSON.stringify({ variables_prefix: '/cur-dev/airflow/variables', connections_prefix: '/cur-dev/airflow/connections' }),
        'core.load_examples': 'False',
        'datahub.enabled': 'True',
        'datahub.conn_id': 'datahub_rest_default',
        'datahub.cluster': 'PROD',
      },
      LoggingConfiguration: {
        DagProcessingLogs: { Enabled: true },
        SchedulerLogs: { Enabled: true },
        TaskLogs: { Enabled: true },
        WebserverLogs: { Enabled: true },
        WorkerLogs: { Enabled: true },
      },
    });
    const [environment] = Object.values(resourcesOfType(synth.template('orchestration'), 'AWS::MWAA::Environment'));
    expect(environment && props<{ NetworkConfiguration: { SubnetIds: unknown[] } }>(environment).NetworkConfiguration.SubnetIds).toHaveLength(2);
  });

  it('synthesizes offline: no context lookup (the zones come from the config)', () => {
    synth.template('orchestration');
    expect(synth.app.synth().manifest.missing ?? []).toEqual([]);
  }, 180_000);

  it('waits for the DAG, requirements and startup script to be in the bucket before creating the environment', () => {
    const template = synth.template('orchestration');
    const deployments = resourcesOfType(template, 'Custom::CDKBucketDeployment');
    expect(Object.values(deployments).map((deployment) => props(deployment)['DestinationBucketKeyPrefix']).sort()).toEqual(['dags/', 'requirements/', 'startup/']);
    const environment = Object.values(resourcesOfType(template, 'AWS::MWAA::Environment'))[0];
    expect(environment?.DependsOn).toEqual(expect.arrayContaining(Object.keys(deployments)));
    expect(synth.stage.orchestration.dagBucket.deployments).toHaveLength(3);
    expect(PIPELINE_DAG_FOLDER).toBe(join(PIPELINE_DAG_ROOT, 'dags'));
  });

  it('keeps the DAG bucket versioned, encrypted, private and TLS-only', () => {
    const template = synth.template('orchestration');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'cur-dev-mwaa-dags',
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('puts MWAA in two private subnets of its own VPC, with a flow log and the endpoints its calls need', () => {
    const template = synth.template('orchestration');
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', Object.keys(ORCHESTRATION_INTERFACE_ENDPOINTS).length + 1);
    const privateSubnets = Object.values(resourcesOfType(template, 'AWS::EC2::Subnet')).filter((subnet) => props(subnet)['MapPublicIpOnLaunch'] === false && JSON.stringify(subnet).includes('private'));
    expect(privateSubnets).toHaveLength(2);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: '-1', Description: Match.stringLikeRegexp('self-referencing') });
  });

  it("gives the execution role MWAA's needs and exactly the DAG's jobs, function, topic and SSM prefixes", () => {
    const template = synth.template('orchestration');
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'cur-dev-mwaa-execution',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: ['airflow-env.amazonaws.com', 'airflow.amazonaws.com'] } })] },
    });
    const statements = statementsOf(template);
    const bySid = (sid: string): StatementJson => {
      const found = statements.find((statement) => statement.Sid === sid);
      if (!found) throw new Error(`no statement ${sid}`);
      return found;
    };
    // The DAG source names its Glue jobs; the role may start those and no other.
    const dagSource = readFileSync(join(PIPELINE_DAG_FOLDER, 'cur_pipeline.py'), 'utf8');
    const dagJobs = [...new Set([...dagSource.matchAll(/job_name=f"cur-\{STAGE\}-([a-z-]+)"/g)].map((match) => `arn:aws:glue:ap-northeast-1:123456789012:job/cur-dev-${match[1]}`))].sort();
    expect(dagJobs.length).toBeGreaterThan(0);
    expect((resourcesOf(bySid('RunPipelineGlueJobs')) as string[]).sort()).toEqual(dagJobs);
    expect(readPipelineDagFacts().glueJobSteps).toEqual(['mask', 'transform', 'consumption', 'mart']);
    expect(resourcesOf(bySid('InvokeServingLoad'))).toEqual(['arn:aws:lambda:ap-northeast-1:123456789012:function:cur-dev-serving-load']);
    expect(dagSource).toContain('function_name=f"cur-{STAGE}-serving-load"');
    expect(resourcesOf(bySid('NotifyFailures'))).toEqual(['arn:aws:sns:ap-northeast-1:123456789012:cur-dev-pipeline-failures']);
    expect((resourcesOf(bySid('ReadAirflowVariablesAndConnections')) as string[]).sort()).toEqual([
      'arn:aws:ssm:ap-northeast-1:123456789012:parameter/cur-dev/airflow/connections/*',
      'arn:aws:ssm:ap-northeast-1:123456789012:parameter/cur-dev/airflow/variables/*',
    ]);
    expect(resourcesOf(bySid('PassDqRole'))).toEqual(['arn:aws:iam::123456789012:role/cur-dev-glue-dq']);
    expect(bySid('PassDqRole').Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } });
    const executionStatements = statements.filter((statement) => statement.Sid !== undefined);
    for (const statement of executionStatements) expect(actionsOf(statement).some((action) => action === '*' || action.endsWith(':*')), statement.Sid).toBe(false);
  });

  it('writes the Airflow variable the failure callback reads, under the secrets backend prefix', () => {
    synth.template('orchestration').hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/cur-dev/airflow/variables/cur_pipeline_failures_topic_arn',
      Value: 'arn:aws:sns:ap-northeast-1:123456789012:cur-dev-pipeline-failures',
    });
    expect(readFileSync(join(PIPELINE_DAG_FOLDER, 'cur_pipeline.py'), 'utf8')).toContain('var.value.cur_pipeline_failures_topic_arn');
  });

  it("configures DataHub's Airflow plugin and its connection, the endpoint read from SSM, as libs/pipeline-dag tests them", () => {
    const template = synth.template('orchestration');
    // libs/pipeline-dag's test hands exactly these to Airflow 3.3.1 and the plugin (tests/test_datahub_plugin.py).
    const tested = JSON.parse(readFileSync(join(PIPELINE_DAG_ROOT, 'tests', 'fixtures', 'mwaa-datahub.json'), 'utf8')) as {
      airflowConfigurationOptions: Record<string, string>;
      connectionId: string;
      connection: { conn_type: string; host: string };
    };
    const [environment] = Object.values(resourcesOfType(template, 'AWS::MWAA::Environment'));
    const options = environment ? props<{ AirflowConfigurationOptions: Record<string, string> }>(environment).AirflowConfigurationOptions : {};
    expect(Object.fromEntries(Object.entries(options).filter(([key]) => key.startsWith('datahub.')))).toEqual(tested.airflowConfigurationOptions);

    // The connection is a parameter under the secrets backend's connections prefix, its host the platform's endpoint
    // parameter resolved at deploy time (a CloudFormation SSM parameter type), never a literal.
    const parameters = Object.values(resourcesOfType(template, 'AWS::SSM::Parameter')).map((resource) => props<{ Name: string; Value: unknown }>(resource));
    const connection = parameters.find((parameter) => parameter.Name === `/cur-dev/airflow/connections/${tested.connectionId}`);
    expect(connection).toBeDefined();
    const endpointParameter = Object.entries(template.toJSON()['Parameters'] as Record<string, { Type: string; Default: string }>).find(([, parameter]) => parameter.Default === '/cur-dev/datahub/endpoint');
    expect(endpointParameter?.[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
    const joined = (connection?.Value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const resolved = joined[1].map((part) => (typeof part === 'string' ? part : JSON.stringify(part) === JSON.stringify({ Ref: endpointParameter?.[0] }) ? tested.connection.host : '<unresolved>')).join(joined[0]);
    expect(JSON.parse(resolved)).toEqual(tested.connection);
    expect(JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'infra', 'config', 'dev.json'), 'utf8')).dataHub.endpoint).toBe(tested.connection.host);
  });

  it('deploys the committed DAG, the tested requirements.txt and a startup script exporting CUR_STAGE', () => {
    const deployed = (prefix: string, file: string): string => {
      const deployment = Object.values(resourcesOfType(synth.template('orchestration'), 'Custom::CDKBucketDeployment')).find((resource) => props(resource)['DestinationBucketKeyPrefix'] === prefix);
      if (!deployment) throw new Error(`no deployment to ${prefix}`);
      const [key = ''] = props<{ SourceObjectKeys: string[] }>(deployment).SourceObjectKeys;
      return readFileSync(join(synth.app.outdir, `asset.${key.replace(/\.zip$/, '')}`, file), 'utf8');
    };
    expect(deployed('dags/', 'cur_pipeline.py')).toBe(readFileSync(join(PIPELINE_DAG_FOLDER, 'cur_pipeline.py'), 'utf8'));
    // The DAG's DQ gates import their operator from the DAG folder.
    expect(deployed('dags/', 'cur_dq_gate.py')).toBe(readFileSync(join(PIPELINE_DAG_FOLDER, 'cur_dq_gate.py'), 'utf8'));
    expect(deployed('requirements/', 'requirements.txt')).toBe(readFileSync(join(PIPELINE_DAG_ROOT, 'requirements.txt'), 'utf8'));
    expect(deployed('startup/', 'startup.sh')).toContain("export CUR_STAGE='dev'");
  });

  it('notifies pipeline-failures when a cur_pipeline run fails', () => {
    synth.template('orchestration').hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AmazonMWAA',
      MetricName: 'DAGDurationFailed',
      Dimensions: Match.arrayWith([{ Name: 'DAG', Value: 'cur_pipeline' }, { Name: 'Environment', Value: 'cur-dev-pipeline' }]),
      Statistic: 'SampleCount',
      Threshold: 1,
      AlarmActions: ['arn:aws:sns:ap-northeast-1:123456789012:cur-dev-pipeline-failures'],
      OKActions: ['arn:aws:sns:ap-northeast-1:123456789012:cur-dev-pipeline-failures'],
    });
  });

  describe('the pipeline-trigger app', () => {
    it('takes Batch Accepted from the platform bus, live', () => {
      synth.template('pipeline-trigger').hasResourceProperties('AWS::Events::Rule', {
        EventBusName: 'cur-dev',
        State: 'ENABLED',
        EventPattern: { source: ['cur.platform'], 'detail-type': ['Batch Accepted'] },
      });
    });

    it('knows the environment by name and may only InvokeRestApi on it as Airflow User', () => {
      const template = synth.template('pipeline-trigger');
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ CUR_MWAA_ENVIRONMENT: 'cur-dev-pipeline' }) }, ReservedConcurrentExecutions: 1 });
      const airflow = statementsOf(template).filter((statement) => actionsOf(statement).some((action) => action.startsWith('airflow:')));
      expect(airflow).toEqual([expect.objectContaining({ Action: 'airflow:InvokeRestApi', Resource: 'arn:aws:airflow:ap-northeast-1:123456789012:role/cur-dev-pipeline/User' })]);
    });

    it('deploys after the orchestration stack, and is the only app that starts DAG runs', () => {
      expect(synth.stage.apps['pipeline-trigger'].dependencies).toContain(synth.stage.orchestration);
      expect(APP_NAMES.filter((app) => APP_SPECS[app].startsDagRuns === true)).toEqual(['pipeline-trigger']);
      expect(synth.stage.orchestration.dependencies).toContain(synth.stage.platform);
    });
  });
});
