import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
        // Variables are parameters; connections are secrets, served by Parameter Store's reference path.
        'secrets.backend_kwargs': JSON.stringify({ variables_prefix: '/cur-dev/airflow/variables', connections_prefix: '/aws/reference/secretsmanager/cur-dev/airflow/connections' }),
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
    // The interface endpoints, S3's gateway, and (dev reaches DataHub by PrivateLink) DataHub's endpoint service.
    template.resourceCountIs('AWS::EC2::VPCEndpoint', Object.keys(ORCHESTRATION_INTERFACE_ENDPOINTS).length + 2);
    expect(Object.keys(ORCHESTRATION_INTERFACE_ENDPOINTS)).toEqual(expect.arrayContaining(['Ssm', 'SecretsManager']));
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
      'arn:aws:ssm:ap-northeast-1:123456789012:parameter/aws/reference/secretsmanager/cur-dev/airflow/connections/*',
      'arn:aws:ssm:ap-northeast-1:123456789012:parameter/cur-dev/airflow/variables/*',
    ]);
    expect(bySid('ReadAirflowConnectionSecrets')).toMatchObject({ Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:cur-dev/airflow/connections/*' });
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

  it("configures DataHub's Airflow plugin, and its connection as the one DataHub secret, as libs/pipeline-dag tests them", () => {
    const template = synth.template('orchestration');
    // libs/pipeline-dag's test hands exactly these to Airflow 3.3.1 and the plugin (tests/test_datahub_plugin.py), the
    // connection through the secrets backend against moto's SSM and Secrets Manager.
    const tested = JSON.parse(readFileSync(join(PIPELINE_DAG_ROOT, 'tests', 'fixtures', 'mwaa-datahub.json'), 'utf8')) as {
      airflowConfigurationOptions: Record<string, string>;
      secretsBackend: string;
      secretsBackendKwargs: Record<string, string>;
      connectionId: string;
      connectionSecretName: string;
      connection: { conn_type: string; host: string };
      generatedKey: string;
    };
    const [environment] = Object.values(resourcesOfType(template, 'AWS::MWAA::Environment'));
    const options = environment ? props<{ AirflowConfigurationOptions: Record<string, string> }>(environment).AirflowConfigurationOptions : {};
    expect(Object.fromEntries(Object.entries(options).filter(([key]) => key.startsWith('datahub.')))).toEqual(tested.airflowConfigurationOptions);
    expect(options['secrets.backend']).toBe(tested.secretsBackend);
    expect(JSON.parse(options['secrets.backend_kwargs'] ?? '{}')).toEqual(tested.secretsBackendKwargs);
    expect(`${tested.secretsBackendKwargs['connections_prefix']}/${tested.connectionId}`).toBe(`/aws/reference/secretsmanager/${tested.connectionSecretName}`);

    // The connection is a secret, created with the platform's endpoint parameter (resolved at deploy time) as host and
    // a generated placeholder where the token goes; no SSM parameter holds a connection any more.
    const secrets = Object.values(resourcesOfType(template, 'AWS::SecretsManager::Secret')).map((resource) => props<{ Name: string; GenerateSecretString: { SecretStringTemplate: unknown; GenerateStringKey: string } }>(resource));
    const secret = secrets.find((candidate) => candidate.Name === tested.connectionSecretName);
    expect(secret?.GenerateSecretString.GenerateStringKey).toBe(tested.generatedKey);
    const endpointParameter = Object.entries(template.toJSON()['Parameters'] as Record<string, { Type: string; Default: string }>).find(([, parameter]) => parameter.Default === '/cur-dev/datahub/endpoint');
    expect(endpointParameter?.[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
    const joined = (secret?.GenerateSecretString.SecretStringTemplate as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const resolved = joined[1].map((part) => (typeof part === 'string' ? part : JSON.stringify(part) === JSON.stringify({ Ref: endpointParameter?.[0] }) ? tested.connection.host : '<unresolved>')).join(joined[0]);
    expect(JSON.parse(resolved)).toEqual(tested.connection);
    expect(JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'infra', 'config', 'dev.json'), 'utf8')).dataHub.endpoint).toBe(tested.connection.host);
    const parameters = Object.values(resourcesOfType(template, 'AWS::SSM::Parameter')).map((resource) => props<{ Name: string }>(resource).Name);
    expect(parameters.filter((name) => name.includes('/airflow/connections'))).toEqual([]);
  });

  describe('DataHub access', () => {
    const egressOf = (template: ReturnType<SynthesizedStage['template']>, groupId: string): Record<string, unknown>[] => {
      const inline = Object.entries(resourcesOfType(template, 'AWS::EC2::SecurityGroup')).find(([id]) => id === groupId)?.[1];
      const inlineRules = (inline ? props<{ SecurityGroupEgress?: Record<string, unknown>[] }>(inline).SecurityGroupEgress : undefined) ?? [];
      const separate = Object.values(resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress'))
        .map((resource) => props<Record<string, unknown>>(resource))
        .filter((rule) => JSON.stringify(rule['GroupId']).includes(`"${groupId}"`));
      return [...inlineRules, ...separate].map(({ GroupId: _group, Description: _description, ...rule }) => rule);
    };
    const groupIdOf = (template: ReturnType<SynthesizedStage['template']>, name: string | RegExp): string => {
      const found = Object.entries(resourcesOfType(template, 'AWS::EC2::SecurityGroup')).find(([, resource]) => {
        const groupName = props<{ GroupName?: string; GroupDescription: string }>(resource);
        return typeof name === 'string' ? groupName.GroupName === name : name.test(groupName.GroupDescription);
      });
      if (!found) throw new Error(`no security group ${String(name)}`);
      return found[0];
    };

    it("reaches DataHub through an interface endpoint to its PrivateLink service, on DataHub's port, from its clients only", () => {
      const template = synth.template('orchestration');
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: synth.config.dataHub.network && 'endpointServiceName' in synth.config.dataHub.network ? synth.config.dataHub.network.endpointServiceName : '', VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
      const endpointGroup = groupIdOf(template, /DataHub PrivateLink endpoint/);
      const ingress = Object.values(resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress')).map((resource) => props<Record<string, unknown>>(resource)).filter((rule) => JSON.stringify(rule['GroupId']).includes(`"${endpointGroup}"`));
      const sources = ingress.map((rule) => JSON.stringify(rule['SourceSecurityGroupId'])).sort();
      expect(sources).toEqual([groupIdOf(template, 'cur-dev-mwaa'), groupIdOf(template, 'cur-dev-lineage-emitter'), groupIdOf(template, 'cur-dev-datahub-token-rotation')].map((id) => JSON.stringify({ 'Fn::GetAtt': [id, 'GroupId'] })).sort());
      for (const rule of ingress) expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    });

    it("lets MWAA out to itself, HTTPS (PyPI through the NAT, the AWS endpoints) and DataHub's port, nothing else", () => {
      const template = synth.template('orchestration');
      const mwaa = groupIdOf(template, 'cur-dev-mwaa');
      const dataHub = groupIdOf(template, /DataHub PrivateLink endpoint/);
      expect(egressOf(template, mwaa)).toEqual(
        expect.arrayContaining([
          { IpProtocol: '-1', DestinationSecurityGroupId: { 'Fn::GetAtt': [mwaa, 'GroupId'] } },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': [dataHub, 'GroupId'] } },
        ]),
      );
      expect(egressOf(template, mwaa)).toHaveLength(3);
    });

    it("lets the lineage-emitter and the token rotation out only to the endpoints, DataHub's port and (the emitter) S3's prefix list", () => {
      const template = synth.template('orchestration');
      const endpoints = groupIdOf(template, /Interface endpoints of the orchestration VPC/);
      const dataHub = groupIdOf(template, /DataHub PrivateLink endpoint/);
      const toEndpoints = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': [endpoints, 'GroupId'] } };
      const toDataHub = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': [dataHub, 'GroupId'] } };
      expect(egressOf(template, groupIdOf(template, 'cur-dev-lineage-emitter'))).toEqual(
        expect.arrayContaining([toEndpoints, toDataHub, { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: synth.config.network.s3PrefixListId }]),
      );
      expect(egressOf(template, groupIdOf(template, 'cur-dev-lineage-emitter'))).toHaveLength(3);
      expect(egressOf(template, groupIdOf(template, 'cur-dev-datahub-token-rotation')).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([toDataHub, toEndpoints].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    });

    it('rotates the DataHub connection every tokenRotationDays with its function, in the VPC, never on creation', () => {
      const template = synth.template('orchestration');
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationLambdaARN: Match.anyValue(),
        RotationRules: { ScheduleExpression: `rate(${synth.config.dataHub.tokenRotationDays} days)` },
        RotateImmediatelyOnUpdate: false,
      });
      expect(synth.config.dataHub.tokenRotationDays).toBe(30);
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'cur-dev-datahub-token-rotation',
        Runtime: 'nodejs22.x',
        Handler: 'handler.handler',
        VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [groupIdOf(template, 'cur-dev-datahub-token-rotation'), 'GroupId'] }], SubnetIds: Match.anyValue() },
        Environment: { Variables: Match.objectLike({ CUR_STAGE: 'dev', CUR_DATAHUB_ENDPOINT: Match.anyValue() }) },
      });
      // Its role may rotate the one secret; nothing else of Secrets Manager but the CDK's GetRandomPassword.
      const secretStatements = statementsOf(template).filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')) && !String(statement.Sid ?? '').startsWith('ReadAirflow'));
      const rotation = secretStatements.find((statement) => actionsOf(statement).includes('secretsmanager:PutSecretValue'));
      expect(actionsOf(rotation as StatementJson).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage']);
      expect(JSON.stringify(resourcesOf(rotation as StatementJson))).toContain('DataHubConnectionSecret');
      expect(readFileSync(join(WORKSPACE_ROOT, 'dist', 'apps', 'datahub-token-rotation', 'handler.mjs'), 'utf8').length).toBeGreaterThan(0);
    });

    it('places the lineage-emitter in the orchestration VPC with its group, read from SSM, and deploys it after this stack', () => {
      const template = synth.template('orchestration');
      for (const name of ['/cur-dev/orchestration/vpc-id', '/cur-dev/orchestration/lineage-emitter-security-group-id', '/cur-dev/orchestration/private-subnet/ap-northeast-1a', '/cur-dev/orchestration/private-subnet/ap-northeast-1c']) {
        template.hasResourceProperties('AWS::SSM::Parameter', { Name: name });
      }
      const emitter = synth.template('lineage-emitter');
      const ssmDefaults = Object.entries(emitter.toJSON()['Parameters'] as Record<string, { Default: string }>);
      const refOf = (name: string) => ({ Ref: ssmDefaults.find(([, parameter]) => parameter.Default === name)?.[0] });
      emitter.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'cur-dev-lineage-emitter',
        VpcConfig: { SecurityGroupIds: [refOf('/cur-dev/orchestration/lineage-emitter-security-group-id')], SubnetIds: [refOf('/cur-dev/orchestration/private-subnet/ap-northeast-1a'), refOf('/cur-dev/orchestration/private-subnet/ap-northeast-1c')] },
      });
      expect(synth.stage.apps['lineage-emitter'].dependencies).toContain(synth.stage.orchestration);
    });
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

  it("ships cur_model in the DAG folder, exactly the package pytest imports, and keeps it out of the DAG processor's parse", () => {
    // Prepare: the dags/ deployment's sources, as CDK staged them
    const deployment = Object.values(resourcesOfType(synth.template('orchestration'), 'Custom::CDKBucketDeployment')).find((resource) => props(resource)['DestinationBucketKeyPrefix'] === 'dags/');
    const folders = (deployment ? props<{ SourceObjectKeys: string[] }>(deployment).SourceObjectKeys : []).map((key) => join(synth.app.outdir, `asset.${key.replace(/\.zip$/, '')}`));
    const filesUnder = (root: string): Map<string, string> => {
      const files = new Map<string, string>();
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir).sort()) {
          const path = join(dir, name);
          if (name === '__pycache__' || name.endsWith('.pyc')) continue;
          if (statSync(path).isDirectory()) walk(path);
          else files.set(relative(root, path), readFileSync(path).toString('base64'));
        }
      };
      walk(root);
      return files;
    };

    // Act
    const staged = folders.map((folder) => filesUnder(folder));
    const shipped = staged.find((files) => [...files.keys()].some((path) => path.startsWith('cur_model/')));
    const ignore = staged.find((files) => files.has('.airflowignore'));

    // Assess: the DAG, the package byte for byte (publish.py, which the score task imports, among it), the ignore file
    expect(folders).toHaveLength(3);
    expect(shipped).toEqual(filesUnder(join(WORKSPACE_ROOT, 'libs', 'model-training', 'src')));
    expect(shipped?.has('cur_model/publish.py')).toBe(true);
    expect(Buffer.from(ignore?.get('.airflowignore') ?? '', 'base64').toString('utf8')).toBe('cur_model/\n');
    expect(readFileSync(join(PIPELINE_DAG_FOLDER, 'cur_pipeline.py'), 'utf8')).toContain('from cur_model.publish import layer_published, publish_scored_partition');
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
