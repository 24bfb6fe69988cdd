import { Duration, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as mwaa from 'aws-cdk-lib/aws-mwaa';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DATAHUB_CONNECTION_ID } from '../config/datahub';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import { DAG_FOLDER_KEY, REQUIREMENTS_KEY, STARTUP_SCRIPT_KEY } from './dag-bucket';

/** MWAA's smallest class: the DAG's tasks only start Glue jobs and wait deferred, so workers do little. @default */
export const DEFAULT_ENVIRONMENT_CLASS = 'mw1.small';
/** @default */
export const DEFAULT_MAX_WORKERS = 5;
/** The period of the failed-run alarm. @default */
export const DAG_RUN_ALARM_PERIOD = Duration.minutes(5);

/**
 * The plugin's cluster, the last part of its data flow URN: libs/lineage names the DAG `(airflow,cur_pipeline,PROD)`,
 * so the plugin's runs land on the same flow (the plugin's default is `prod`).
 */
export const DATAHUB_FLOW_CLUSTER = 'PROD';

/**
 * The prefix under which Parameter Store serves Secrets Manager secrets (`GetParameter` with decryption): the
 * connections prefix of MWAA's SSM secrets backend points there, so the Airflow connections are secrets (the DataHub
 * connection, rotated) while the variables stay parameters.
 */
export const SECRETS_MANAGER_REFERENCE_PREFIX = '/aws/reference/secretsmanager/';

/**
 * Airflow configuration MWAA applies: variables from SSM Parameter Store and connections from Secrets Manager (through
 * Parameter Store's reference path, one backend for both), no example DAGs, and DataHub's Airflow plugin (installed
 * by requirements.txt) on, sending every DAG's lineage and runs through the connection `datahub_rest_default`.
 */
export function airflowConfigurationOptions(variablesPrefix: string, connectionsPrefix: string): Record<string, string> {
  return {
    'secrets.backend': 'airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend',
    'secrets.backend_kwargs': JSON.stringify({ variables_prefix: variablesPrefix, connections_prefix: connectionsPrefix }),
    'core.load_examples': 'False',
    'datahub.enabled': 'True',
    'datahub.conn_id': DATAHUB_CONNECTION_ID,
    'datahub.cluster': DATAHUB_FLOW_CLUSTER,
  };
}

/** Properties of {@link PipelineEnvironment}. */
export interface PipelineEnvironmentProps {
  /** `cur-<stage>-pipeline`. */
  readonly environmentName: string;
  readonly environmentArn: string;
  readonly executionRoleName: string;
  /** The Airflow version libs/pipeline-dag pins and tests. */
  readonly airflowVersion: string;
  readonly dagId: string;
  /** @default DEFAULT_ENVIRONMENT_CLASS */
  readonly environmentClass?: string;
  /** @default DEFAULT_MAX_WORKERS */
  readonly maxWorkers?: number;
  readonly dagBucket: s3.IBucket;
  readonly vpcSubnets: readonly ec2.ISubnet[];
  readonly securityGroup: ec2.ISecurityGroup;
  /** The Glue jobs the DAG starts, by name (`cur-<stage>-<step>`). */
  readonly glueJobNames: readonly string[];
  /** The serving load's function the DAG invokes. */
  readonly servingLoadFunctionName: string;
  /** `pipeline-failures`: the DAG's failure callback publishes to it, the failed-run alarm notifies it. */
  readonly failureTopicArn: string;
  /** The key of the platform's topics (the lake key), which publishing to an encrypted topic needs. */
  readonly topicKeyArn: string;
  /** SSM prefix of Airflow variables. */
  readonly variablesPrefix: string;
  /** Secrets Manager prefix of Airflow connections (`cur-<stage>/airflow/connections`), read through Parameter Store. */
  readonly connectionsSecretPrefix: string;
  /** The role Glue Data Quality evaluations run as, which the DAG's DQ gates pass (`cur_glue_dq_role_arn`). */
  readonly dataQualityRoleName: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The MWAA environment that runs `cur_pipeline`: the Airflow version the DAG is tested on, its DAG folder,
 * requirements and startup script from the DAG bucket, a private web server (reached through MWAA's API and
 * `InvokeRestApi`, never from the internet), every Airflow log to CloudWatch, variables and connections from SSM.
 *
 * Its execution role has MWAA's own needs (its logs, metrics, Celery queues, the DAG bucket) and the DAG's: start and
 * follow exactly the DAG's Glue jobs, evaluate Glue Data Quality rulesets, invoke the serving load, publish failures,
 * read its SSM variables and its connections (secrets). An alarm notifies `pipeline-failures` when a `cur_pipeline` run fails.
 */
export class PipelineEnvironment extends Construct {
  public readonly environment: mwaa.CfnEnvironment;
  public readonly executionRole: iam.Role;
  public readonly failedRunAlarm: cloudwatch.Alarm;
  /** The Airflow variable `cur_pipeline_failures_topic_arn` the DAG's failure callback reads. */
  public readonly failureTopicVariable: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: PipelineEnvironmentProps) {
    super(scope, id);
    const { partition, region, account } = props;
    const arn = (service: string, resource: string): string => `arn:${partition}:${service}:${region}:${account}:${resource}`;

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: props.executionRoleName,
      description: `MWAA ${props.environmentName}: Airflow's components and the tasks of ${props.dagId}`,
      assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('airflow.amazonaws.com'), new iam.ServicePrincipal('airflow-env.amazonaws.com')),
    });
    const policy = new iam.Policy(this, 'ExecutionPolicy', {
      statements: [
        new iam.PolicyStatement({ sid: 'PublishEnvironmentMetrics', actions: ['airflow:PublishMetrics'], resources: [props.environmentArn] }),
        new iam.PolicyStatement({ sid: 'ReadDagBucket', actions: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], resources: [props.dagBucket.bucketArn, props.dagBucket.arnForObjects('*')] }),
        new iam.PolicyStatement({ sid: 'CheckPublicAccessBlock', actions: ['s3:GetAccountPublicAccessBlock'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'WriteAirflowLogs',
          actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:GetLogRecord', 'logs:GetLogGroupFields', 'logs:GetQueryResults'],
          resources: [arn('logs', `log-group:airflow-${props.environmentName}-*`)],
        }),
        new iam.PolicyStatement({ sid: 'DescribeLogGroups', actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
        new iam.PolicyStatement({ sid: 'PutMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'AmazonMWAA' } } }),
        new iam.PolicyStatement({
          sid: 'CeleryQueues',
          actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage'],
          resources: [`arn:${partition}:sqs:${region}:*:airflow-celery-*`],
        }),
        new iam.PolicyStatement({
          sid: 'CeleryQueueEncryption',
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
          notResources: [`arn:${partition}:kms:*:${account}:key/*`],
          conditions: { StringLike: { 'kms:ViaService': [`sqs.${region}.amazonaws.com`] } },
        }),
        new iam.PolicyStatement({
          sid: 'RunPipelineGlueJobs',
          actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
          resources: props.glueJobNames.map((job) => arn('glue', `job/${job}`)),
        }),
        new iam.PolicyStatement({
          sid: 'EvaluateDqRulesets',
          actions: ['glue:StartDataQualityRulesetEvaluationRun', 'glue:GetDataQualityRuleset'],
          resources: [arn('glue', 'dataQualityRuleset/*'), arn('glue', 'catalog'), arn('glue', 'database/*'), arn('glue', 'table/*')],
        }),
        new iam.PolicyStatement({
          sid: 'FollowDqEvaluations',
          actions: ['glue:GetDataQualityRulesetEvaluationRun', 'glue:GetDataQualityResult', 'glue:BatchGetDataQualityResult'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'PassDqRole',
          actions: ['iam:PassRole'],
          resources: [`arn:${partition}:iam::${account}:role/${props.dataQualityRoleName}`],
          conditions: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
        }),
        new iam.PolicyStatement({ sid: 'InvokeServingLoad', actions: ['lambda:InvokeFunction'], resources: [arn('lambda', `function:${props.servingLoadFunctionName}`)] }),
        new iam.PolicyStatement({ sid: 'NotifyFailures', actions: ['sns:Publish'], resources: [props.failureTopicArn] }),
        new iam.PolicyStatement({
          sid: 'EncryptFailureNotices',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.topicKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadAirflowVariablesAndConnections',
          actions: ['ssm:GetParameter', 'ssm:GetParameters'],
          resources: [arn('ssm', `parameter${props.variablesPrefix}/*`), arn('ssm', `parameter${SECRETS_MANAGER_REFERENCE_PREFIX}${props.connectionsSecretPrefix}/*`)],
        }),
        // Parameter Store honours the secret's own permissions: the reference path needs GetSecretValue too.
        new iam.PolicyStatement({
          sid: 'ReadAirflowConnectionSecrets',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [arn('secretsmanager', `secret:${props.connectionsSecretPrefix}/*`)],
        }),
      ],
    });
    policy.attachToRole(this.executionRole);
    const bucketLogicalId = Stack.of(props.dagBucket).getLogicalId(props.dagBucket.node.defaultChild as CfnElement);
    acknowledgeNagFindings(
      policy,
      ['AwsSolutions-IAM5[Action::s3:GetObject*]', 'AwsSolutions-IAM5[Action::s3:GetBucket*]', 'AwsSolutions-IAM5[Action::s3:List*]', `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`],
      "MWAA's documented execution policy: its components read the DAG bucket's objects and versions, and only that bucket",
    );
    acknowledgeNagFindings(
      policy,
      ['AwsSolutions-IAM5[Resource::*]'],
      'DescribeLogGroups, GetAccountPublicAccessBlock, PutMetricData (limited to the AmazonMWAA namespace) and the Glue DQ evaluation and result reads have no resource-level permissions',
    );
    acknowledgeNagFindings(
      policy,
      [
        `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:airflow-${props.environmentName}-*]`,
        `AwsSolutions-IAM5[Resource::arn:${partition}:sqs:${region}:*:airflow-celery-*]`,
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      ],
      "MWAA names its log groups and Celery queues itself, under these prefixes; the KMS statement is MWAA's documented one for its AWS-owned SQS key, via SQS only",
    );
    acknowledgeNagFindings(
      policy,
      [
        `AwsSolutions-IAM5[Resource::arn:${partition}:glue:${region}:${account}:dataQualityRuleset/*]`,
        `AwsSolutions-IAM5[Resource::arn:${partition}:glue:${region}:${account}:database/*]`,
        `AwsSolutions-IAM5[Resource::arn:${partition}:glue:${region}:${account}:table/*]`,
        `AwsSolutions-IAM5[Resource::arn:${partition}:ssm:${region}:${account}:parameter${props.variablesPrefix}/*]`,
        `AwsSolutions-IAM5[Resource::arn:${partition}:ssm:${region}:${account}:parameter${SECRETS_MANAGER_REFERENCE_PREFIX}${props.connectionsSecretPrefix}/*]`,
        `AwsSolutions-IAM5[Resource::arn:${partition}:secretsmanager:${region}:${account}:secret:${props.connectionsSecretPrefix}/*]`,
      ],
      "The DQ gates evaluate a ruleset per dataset and zone over the zone's tables (the rulesets are libs/dq's, created with the Glue jobs), pass only the Glue Data Quality role to Glue, and read only the environment's SSM prefix of variables and Secrets Manager prefix of connections",
    );

    this.failureTopicVariable = new ssm.StringParameter(this, 'FailureTopicVariable', {
      parameterName: `${props.variablesPrefix}/cur_pipeline_failures_topic_arn`,
      description: "Airflow variable cur_pipeline_failures_topic_arn: where the DAG's failure callback publishes",
      stringValue: props.failureTopicArn,
    });

    this.environment = new mwaa.CfnEnvironment(this, 'Environment', {
      name: props.environmentName,
      airflowVersion: props.airflowVersion,
      environmentClass: props.environmentClass ?? DEFAULT_ENVIRONMENT_CLASS,
      maxWorkers: props.maxWorkers ?? DEFAULT_MAX_WORKERS,
      executionRoleArn: this.executionRole.roleArn,
      sourceBucketArn: props.dagBucket.bucketArn,
      dagS3Path: DAG_FOLDER_KEY,
      requirementsS3Path: REQUIREMENTS_KEY,
      startupScriptS3Path: STARTUP_SCRIPT_KEY,
      webserverAccessMode: 'PRIVATE_ONLY',
      endpointManagement: 'SERVICE',
      networkConfiguration: { subnetIds: props.vpcSubnets.map((subnet) => subnet.subnetId), securityGroupIds: [props.securityGroup.securityGroupId] },
      airflowConfigurationOptions: airflowConfigurationOptions(props.variablesPrefix, `${SECRETS_MANAGER_REFERENCE_PREFIX}${props.connectionsSecretPrefix}`),
      loggingConfiguration: {
        dagProcessingLogs: { enabled: true, logLevel: 'INFO' },
        schedulerLogs: { enabled: true, logLevel: 'INFO' },
        taskLogs: { enabled: true, logLevel: 'INFO' },
        webserverLogs: { enabled: true, logLevel: 'WARNING' },
        workerLogs: { enabled: true, logLevel: 'WARNING' },
      },
    });
    this.environment.node.addDependency(policy);

    // Airflow's `dagrun.duration.failed.<dag_id>`, which MWAA publishes as DAGDurationFailed per environment and DAG.
    this.failedRunAlarm = new cloudwatch.Alarm(this, 'FailedDagRuns', {
      alarmDescription: `A ${props.dagId} run failed in ${props.environmentName}: its task ids are in pipeline-failures and in Airflow`,
      metric: new cloudwatch.Metric({
        namespace: 'AmazonMWAA',
        metricName: 'DAGDurationFailed',
        dimensionsMap: { Environment: props.environmentName, DAG: props.dagId },
        statistic: 'SampleCount',
        period: DAG_RUN_ALARM_PERIOD,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(sns.Topic.fromTopicArn(this, 'FailureTopic', props.failureTopicArn));
    this.failedRunAlarm.addAlarmAction(action);
    this.failedRunAlarm.addOkAction(action);
  }
}
