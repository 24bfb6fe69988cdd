import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScheduledEventSchema, trainingJobNamePrefix } from '@cur/contracts';
import { App, FileSystem, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppName } from '../../src/config/apps';
import { APP_NAMES, APP_SPECS } from '../../src/config/apps';
import { WORKSPACE_ROOT } from '../../src/config/paths';
import { PlatformNames } from '../../src/config/platform-names';
import { loadStageConfig, parseStageConfig } from '../../src/config/stage-config';
import { CONTROL_FILE_SUFFIX } from '../../src/constructs/landing-control-file-trigger';
import { LINEAGE_NOT_DELIVERED_METRICS } from '../../src/constructs/lineage-emission-alarm';
import { ServiceDataAccess } from '../../src/constructs/service-data-access';
import { SERVICE_HANDLER, appBundleDir } from '../../src/constructs/service-function';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';
import { props, resourcesOfType } from '../helpers/template-queries';

const ASYNC_APPS = APP_NAMES.filter((app) => APP_SPECS[app].triggers.some((trigger) => trigger.kind !== 'http-api' && trigger.kind !== 'dag-task'));
const HTTP_APPS = APP_NAMES.filter((app) => APP_SPECS[app].triggers.some((trigger) => trigger.kind === 'http-api'));
const contractsEvent = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'libs/contracts/tests/events', file), 'utf8')) as Record<string, unknown>;

describe('Stack: AppStack', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  });
  afterAll(() => synth.dispose());

  describe.each(APP_NAMES)('%s', (app: AppName) => {
    it('runs the app bundle from dist/apps/<app> on Node.js 22, arm64 unless its spec says otherwise, with active tracing', () => {
      const template = synth.template(app);
      const bundleHash = FileSystem.fingerprint(appBundleDir(app));

      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `cur-dev-${app}`,
        Runtime: 'nodejs22.x',
        Architectures: [APP_SPECS[app].architecture ?? 'arm64'],
        Handler: SERVICE_HANDLER,
        TracingConfig: { Mode: 'Active' },
        Code: { S3Bucket: Match.anyValue(), S3Key: `${bundleHash}.zip` },
      });
      expect(synth.stage.apps[app].service.bundleDir).toBe(join(WORKSPACE_ROOT, 'dist', 'apps', app));
    });

    it('passes the platform environment and the Powertools settings', () => {
      synth.template(app).hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `cur-dev-${app}`,
        Environment: {
          Variables: {
            ...synth.stage.names.platformEnvironment(),
            POWERTOOLS_SERVICE_NAME: app,
            POWERTOOLS_LOG_LEVEL: 'INFO',
            POWERTOOLS_METRICS_NAMESPACE: 'CUR',
            POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
            POWERTOOLS_LOGGER_LOG_EVENT: 'false',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    });

    it('names the keys-service key (by alias) only to the apps that wrap masking keys', () => {
      const json = JSON.stringify(synth.template(app).findResources('AWS::Lambda::Function'));

      expect(json.includes('"CUR_MASKING_KEY_ID":"alias/cur-dev/keys"'), app).toBe(APP_SPECS[app].access.useKeysServiceKey === true);
    });

    it('gets the URL of each API it calls from SSM at deploy time, and publishes its own API URL if it has one', () => {
      const template = synth.template(app);
      const service = Object.values(resourcesOfType(template, 'AWS::Lambda::Function')).find((resource) => props(resource)['FunctionName'] === `cur-dev-${app}`);
      if (!service) throw new Error(`no function cur-dev-${app}`);
      const variables = props(service)['Environment'] as { Variables: Record<string, unknown> };
      for (const call of APP_SPECS[app].callsApis ?? []) {
        const reference = JSON.stringify(variables.Variables[call.environmentVariable]);
        const parameter = Object.entries(template.toJSON()['Parameters'] as Record<string, { Default?: string; Type: string }>).find(([id]) => reference.includes(id));
        expect(parameter?.[1], `${app} ${call.environmentVariable}`).toMatchObject({ Type: 'AWS::SSM::Parameter::Value<String>', Default: `/cur-dev/apis/${call.app}/url` });
        expect(synth.stage.apps[app].dependencies).toContain(synth.stage.apps[call.app]);
      }
      const published = template.findResources('AWS::SSM::Parameter', { Properties: { Name: `/cur-dev/apis/${app}/url` } });
      expect(Object.keys(published), app).toHaveLength(HTTP_APPS.includes(app) ? 1 : 0);
    });

    it('has its own execution role, named for its principal class, with no AWS managed policy but VPC access in the replica or orchestration VPC', () => {
      const principalClass = APP_SPECS[app].principalClass;
      synth.template(app).hasResourceProperties('AWS::IAM::Role', {
        RoleName: synth.stage.names.appRoleName(app, principalClass),
        ManagedPolicyArns:
          APP_SPECS[app].oracleReplica === true || APP_SPECS[app].emitsLineage === true
            ? [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] }]
            : Match.absent(),
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        }),
      });
    });

    it('writes its logs to its own retained log group, and nowhere else', () => {
      const template = synth.template(app);
      const logGroupId = logicalIdOf(synth.stage.apps[app].service.logGroup);

      template.hasResource('AWS::Logs::LogGroup', {
        DeletionPolicy: 'Retain',
        Properties: { LogGroupName: `/aws/lambda/cur-dev-${app}`, RetentionInDays: synth.config.retention.logRetentionDays },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } }),
          ]),
        }),
      });
    });

    it('reserves the concurrency its spec asks for', () => {
      const reserved = APP_SPECS[app].reservedConcurrency;
      synth.template(app).hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `cur-dev-${app}`,
        ReservedConcurrentExecutions: reserved === undefined ? Match.absent() : reserved,
      });
    });

    it('alarms on errors and throttles (and dead letters) into the pipeline-failures topic', () => {
      const alarms = Object.values(resourcesOfType(synth.template(app), 'AWS::CloudWatch::Alarm')).map((alarm) => props(alarm));
      const topicArn = synth.stage.names.topicArn('pipeline-failures');

      // A metric-math alarm (the lineage-emitter's lineage not delivered) has no MetricName of its own.
      expect(alarms.map((alarm) => alarm['MetricName'] ?? 'expression').sort()).toEqual(
        [...(ASYNC_APPS.includes(app) ? ['ApproximateNumberOfMessagesVisible', 'Errors', 'Throttles'] : ['Errors', 'Throttles']), ...(APP_SPECS[app].emitsLineage === true ? ['expression'] : [])].sort(),
      );
      for (const alarm of alarms) {
        expect(alarm['AlarmActions']).toEqual([topicArn]);
        expect(alarm['OKActions']).toEqual([topicArn]);
        expect(alarm['Threshold']).toBe(1);
      }
    });
  });

  it.each(ASYNC_APPS)('%s sends failed asynchronous invocations to an SSE-encrypted, TLS-only dead-letter queue', (app) => {
    const template = synth.template(app);
    const queue = synth.stage.apps[app].service.deadLetterQueue;
    if (!queue) throw new Error(`${app} has no dead-letter queue`);
    const queueId = logicalIdOf(queue);

    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: `cur-dev-${app}-dlq`, SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
  });

  it.each(HTTP_APPS)('%s is invoked synchronously by its API and has no dead-letter queue', (app) => {
    synth.template(app).resourceCountIs('AWS::SQS::Queue', 0);
  });

  it('invokes ingestion-controller for control files created in the landing bucket', () => {
    const template = synth.template('ingestion-controller');
    const functionId = logicalIdOf(synth.stage.apps['ingestion-controller'].service.function);

    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: 'cur-dev-landing',
      Managed: false,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: CONTROL_FILE_SUFFIX }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceAccount: synth.config.account,
      SourceArn: 'arn:aws:s3:::cur-dev-landing',
    });
  });

  it('sweeps the landing zone on the configured schedule with the Scheduled Event envelope the handler validates', () => {
    const [schedule] = Object.values(resourcesOfType(synth.template('ingestion-controller'), 'AWS::Scheduler::Schedule')).map((resource) =>
      props<{ ScheduleExpression: string; ScheduleExpressionTimezone: string; Target: { Input: string; DeadLetterConfig: unknown } }>(resource),
    );
    // What the scheduler substitutes for its context attributes at run time.
    const delivered = (schedule?.Target.Input ?? '')
      .replace('<aws.scheduler.execution-id>', 'e2f0c9a1-0000-4000-8000-000000000001')
      .replace('<aws.scheduler.scheduled-time>', '2026-11-26T01:15:00Z')
      .replace('<aws.scheduler.schedule-arn>', `arn:aws:scheduler:ap-northeast-1:${synth.config.account}:schedule/default/cur-dev-ingestion-controller-sweep`);

    expect(schedule?.ScheduleExpression).toBe(synth.config.ingestion.schedule);
    expect(schedule?.ScheduleExpressionTimezone).toBe('Asia/Taipei');
    expect(schedule?.Target.DeadLetterConfig).toBeDefined();
    expect(ScheduledEventSchema.safeParse(JSON.parse(delivered)).success).toBe(true);
  });

  it.each([
    ['dq-notifier', { source: ['aws.glue-dataquality'], 'detail-type': ['Data Quality Evaluation Results Available'] }, 'ENABLED'],
    // Live since the model history is built (issue 15): each state change of a job the stage's training workflow
    // started (named cur-dev-train-...) becomes a model version; any other job in the account does not reach it.
    ['model-history', { source: ['aws.sagemaker'], 'detail-type': ['SageMaker Training Job State Change'], detail: { TrainingJobName: [{ prefix: 'cur-dev-train-' }] } }, 'ENABLED'],
    // Live since the oracle stack gives it a database, a DMS task and its settings (issue 16, point 6).
    ['oracle-replicator', { source: ['cur.platform'], 'detail-type': ['Layer Published'], detail: { zone: ['consumption', 'mart'] } }, 'ENABLED'],
    // Live with lineage past transform (issue 14, point 4): every pipeline Glue job that ends, the handler picks the run's end.
    ['lineage-emitter', { source: ['aws.glue'], 'detail-type': ['Glue Job State Change'], detail: { state: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] } }, 'ENABLED'],
  ] as const)('routes the %s events to the function, with retries and a dead-letter queue (rule %s)', (app, pattern, state) => {
    synth.template(app).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: pattern,
      State: state,
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(synth.stage.apps[app].service.function), 'Arn'] },
          DeadLetterConfig: Match.objectLike({}),
          RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 4 },
        }),
      ],
    });
  });

  it("takes only the stage's own training jobs into the model history: the exact pattern, TrainingJobName by the contracts' prefix", () => {
    const rules = Object.values(synth.template('model-history').findResources('AWS::Events::Rule')) as { Properties: { EventPattern: unknown } }[];
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual([
      { source: ['aws.sagemaker'], 'detail-type': ['SageMaker Training Job State Change'], detail: { TrainingJobName: [{ prefix: trainingJobNamePrefix(synth.config.stage) }] } },
    ]);
    expect(trainingJobNamePrefix(synth.config.stage)).toBe('cur-dev-train-');
  });

  it('routes platform events from the platform bus, AWS service events from the default bus', () => {
    synth.template('oracle-replicator').hasResourceProperties('AWS::Events::Rule', { EventBusName: 'cur-dev' });
    synth.template('dq-notifier').hasResourceProperties('AWS::Events::Rule', { EventBusName: Match.absent() });
    synth.template('model-history').hasResourceProperties('AWS::Events::Rule', { EventBusName: Match.absent() });
  });

  it('lets lineage-emitter read DataHub\'s endpoint parameter and the DataHub connection secret, each the one resource, through the extension', () => {
    const template = synth.template('lineage-emitter');

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CUR_DATAHUB_ENDPOINT_PARAMETER: '/cur-dev/datahub/endpoint', CUR_DATAHUB_CONNECTION_SECRET_ID: 'cur-dev/airflow/connections/datahub_rest_default', PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true' }) },
      Layers: [Match.stringLikeRegexp('AWS-Parameters-and-Secrets-Lambda-Extension')],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'ReadDataHubEndpoint', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:ap-northeast-1:${synth.config.account}:parameter/cur-dev/datahub/endpoint` },
          { Sid: 'ReadDataHubConnection', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:ap-northeast-1:${synth.config.account}:secret:cur-dev/airflow/connections/datahub_rest_default-??????` },
        ],
        Version: '2012-10-17',
      },
    });
    // The parameter it reads is the one the platform stack writes.
    synth.template('platform').hasResourceProperties('AWS::SSM::Parameter', { Name: '/cur-dev/datahub/endpoint' });
    // Lineage that did not reach DataHub alarms, on the metrics the app publishes.
    const published = [...readFileSync(join(WORKSPACE_ROOT, 'apps/lineage-emitter/src/constants.ts'), 'utf8').matchAll(/: '(Lineage[A-Za-z]+)'/g)].map((match) => match[1]);
    expect(published).toEqual(expect.arrayContaining([...LINEAGE_NOT_DELIVERED_METRICS]));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(m0, 0) + FILL(m1, 0)' }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: { Namespace: 'CUR', MetricName: 'LineageProposalsFailed', Dimensions: [{ Name: 'service', Value: 'lineage-emitter' }] } }) }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: { Namespace: 'CUR', MetricName: 'LineageEmissionsNotSent', Dimensions: [{ Name: 'service', Value: 'lineage-emitter' }] } }) }),
      ]),
      AlarmActions: [`arn:aws:sns:ap-northeast-1:${synth.config.account}:cur-dev-pipeline-failures`],
    });
    // No other app may read DataHub's settings.
    for (const app of APP_NAMES.filter((name) => name !== 'lineage-emitter')) expect(JSON.stringify(synth.template(app).toJSON()), app).not.toContain('datahub');
  });

  it('lets ingestion-controller put cur.platform events on the platform bus only', () => {
    synth.template('ingestion-controller').hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'events:PutEvents',
            Resource: `arn:aws:events:ap-northeast-1:${synth.config.account}:event-bus/cur-dev`,
            Condition: { StringEquals: { 'events:source': 'cur.platform' } },
          }),
        ]),
      }),
    });
  });

  it('routes the Glue Data Quality result event the contracts lib records', () => {
    const event = contractsEvent('glue-dq-result.json');
    const pattern = APP_SPECS['dq-notifier'].triggers[0];

    expect(pattern).toMatchObject({ kind: 'event-rule', source: event['source'], detailType: event['detail-type'] });
  });

  it.each(HTTP_APPS)('%s sits behind an HTTP API whose every route requires a JWT from the configured issuer', (app) => {
    const template = synth.template(app);
    const routes = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route')).map((route) => props(route));
    const spec = APP_SPECS[app].triggers.find((trigger) => trigger.kind === 'http-api');

    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: synth.config.api.jwtIssuer, Audience: synth.config.api.jwtAudience },
    });
    expect(routes.map((route) => route['RouteKey']).sort()).toEqual([...(spec?.kind === 'http-api' ? spec.routes : [])].sort());
    for (const route of routes) expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: expect.anything() });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: synth.config.api.throttleRateLimit, ThrottlingBurstLimit: synth.config.api.throttleBurstLimit },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.routeKey') },
    });
  });

  it('gives only SYSTEM apps the SYSTEM-only keys', () => {
    const used = new Map<AppName, string[]>();
    for (const app of APP_NAMES) {
      const parameters = Object.values((synth.template(app).toJSON() as { Parameters?: Record<string, { Default?: string }> }).Parameters ?? {})
        .map((parameter) => parameter.Default)
        .filter((name): name is string => name?.startsWith('/cur-dev/kms/') ?? false);
      const systemOnly = parameters.filter((name) => name.includes('/landing-key-arn') || name.includes('/keys-key-arn'));
      if (APP_SPECS[app].principalClass !== 'system') expect(systemOnly, app).toEqual([]);
      used.set(app, systemOnly);
    }
    expect(used.get('ingestion-controller')).toEqual(['/cur-dev/kms/landing-key-arn']);
    expect(used.get('masking-key-service')).toEqual(['/cur-dev/kms/keys-key-arn']);
  });

  it('gives the masking-key-service alone an IAM-authorised function URL, published in SSM, no resource policy, and names the mask job’s role as its one IAM SYSTEM caller', () => {
    const template = synth.template('masking-key-service');
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: Match.anyValue() });
    // Only the mask job's identity policy grants the call: no permission for any principal on the function
    expect(JSON.stringify(template.findResources('AWS::Lambda::Permission'))).not.toContain('InvokeFunctionUrl');
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cur-dev/function-urls/masking-key-service/url', Value: { 'Fn::GetAtt': [Match.anyValue(), 'FunctionUrl'] } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cur-dev-masking-key-service',
      Environment: { Variables: Match.objectLike({ CUR_KEY_SERVICE_SYSTEM_ROLE_ARNS: 'arn:aws:iam::123456789012:role/cur-dev-system-pipeline' }) },
    });
    for (const app of APP_NAMES.filter((name) => name !== 'masking-key-service')) synth.template(app).resourceCountIs('AWS::Lambda::Url', 0);
  });
});

describe('Stack: AppStack with stage overrides', () => {
  it('takes reserved concurrency and memory from the stage config, null meaning unreserved', () => {
    // Prepare
    const config = parseStageConfig({
      ...loadStageConfig('dev'),
      functions: { 'oracle-replicator': { reservedConcurrency: null }, 'retrieval-api': { reservedConcurrency: 7, memorySize: 1024 } },
    });
    const synth = synthStage({ config });

    try {
      // Act and Assess
      synth.template('oracle-replicator').hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
      synth.template('retrieval-api').hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 7, MemorySize: 1024 });
    } finally {
      synth.dispose();
    }
  });
});

describe('Construct: ServiceDataAccess', () => {
  it('refuses to let a service principal use data under a SYSTEM-only key', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // Act and Assess
    expect(
      () =>
        new ServiceDataAccess(stack, 'Access', {
          names: new PlatformNames(loadStageConfig('dev')),
          role,
          principalClass: 'service',
          access: { readBuckets: [{ bucket: 'quarantine' }] },
          keyArn: () => 'arn:aws:kms:ap-northeast-1:123456789012:key/test',
        }),
    ).toThrow(/cannot use the SYSTEM-only landing key/);
  });

  it('adds no policy for an app that declares no data access (a generated one), which IAM would refuse as empty', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // Act
    const access = new ServiceDataAccess(stack, 'Access', {
      names: new PlatformNames(loadStageConfig('dev')),
      role,
      principalClass: 'service',
      access: {},
      keyArn: () => 'arn:aws:kms:ap-northeast-1:123456789012:key/test',
    });

    // Assess: synthesis succeeds, and the role has no inline policy
    expect(access.policy).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });
});
