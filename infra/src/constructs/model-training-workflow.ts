import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AssetHashType, BundlingOutput, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { modelTrainingStateMachineName, trainingJobNamePrefix } from '@cur/contracts';
import { readRunnerDependencies } from '../config/glue-jobs';
import type { ChannelTemplate, MetricDefinition } from '../config/model-training';
import { MODEL_TRAINING_ROOT, readChannelTemplate, readMetricDefinitions } from '../config/model-training';
import type { PlatformNames } from '../config/platform-names';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import { HUMAN_READABLE_SENSITIVITIES, HUMAN_DATABASE_PERMISSIONS, HUMAN_TABLE_PERMISSIONS, SENSITIVITY_TAG_KEY, ZONE_TAG_KEY } from './lake-governance';
import { KEY_USE_ACTIONS } from './lake-keys';
import type { SageMakerTraining } from './sagemaker-training';
import { MODEL_ARTEFACT_PREFIX, MODEL_CHANNEL_PREFIX } from './sagemaker-training';

/** Where Athena writes the staging queries' own result files (UNLOAD's manifest and metadata), launcher-only. */
export const STAGING_RESULTS_PREFIX = 'model-history/staging-results/';

/** The script SageMaker's scikit-learn container runs from the code archive: `cur_model.train.main`. */
export const TRAINING_ENTRY_POINT = 'cur_model_train.py';

/** The instance a training job runs on: 4 vCPU, 16 GiB, EBS-backed so the volume key applies. */
export const DEFAULT_TRAINING_INSTANCE_TYPE = 'ml.m5.xlarge';

/** SageMaker stops a job that runs longer (seconds). */
export const DEFAULT_TRAINING_MAX_RUNTIME_SECONDS = 2 * 60 * 60;

/** The tag learnt when the execution's hyperparameters name none (the training job's own default). */
export const DEFAULT_TARGET_TAG = 'digital_native';

/** The consumption datasets staged into the channel, by the channel folder they fill. */
export const STAGED_TABLES = ['features', 'labels'] as const;

/** Properties of {@link ModelTrainingWorkflow}. */
export interface ModelTrainingWorkflowProps {
  readonly names: PlatformNames;
  /** The training jobs' execution role and image. */
  readonly training: SageMakerTraining;
  /** The lake key's ARN: the system bucket's objects, the job's volume and outputs, the staging results. */
  readonly lakeKeyArn: string;
  /** @default DEFAULT_TRAINING_INSTANCE_TYPE (`ml.m5.xlarge`) */
  readonly instanceType?: string;
  /** @default DEFAULT_TRAINING_MAX_RUNTIME_SECONDS (2 hours) */
  readonly maxRuntimeSeconds?: number;
  /** @default readChannelTemplate() (libs/model-training/channel-template.json) */
  readonly channelTemplate?: ChannelTemplate;
  /** @default readMetricDefinitions() (libs/model-training/metric-definitions.json) */
  readonly metricDefinitions?: readonly MetricDefinition[];
}

/**
 * How a DS trains a model in AWS: one Step Functions execution, `cur-<stage>-model-training`, named after the
 * training job it starts, with `{"businessDate", "hyperparameters", "startedBy"}` as input.
 *
 * 1. It reads the published manifests of `consumption.customer_features` and `customer_tags` for the date (a date
 *    with none fails here, before any query; the SQL below takes the date from the manifest, never from the input).
 * 2. It stages the channel: Athena UNLOADs each table's DS-view columns (libs/model-training/channel-template.json,
 *    generated from the masking policy's view) into `system/model-history/channels/<job>/<folder>/`, under Lake
 *    Formation as the launcher role, which holds on consumption exactly the human roles' LF-tag grant (no `secret`
 *    column; a column the grant hides fails the query instead of being left out), then writes `dataset.json`: the
 *    template with the date and the manifests' content hashes as lineage.
 * 3. It runs the SageMaker training job (`.sync`): the scikit-learn 1.4-2 image, `cur_model` from the code archive,
 *    the channel as `train`, the artefacts under `system/model-history/artefacts/`, the metric definitions the
 *    script's lines match, and the `cur:*` tags the model history reads (data lineage and code version set here,
 *    not by the caller). The job's state changes reach the model-history app's rule.
 * 4. It deletes the channel, whatever the job's end (and after a failed staging), then succeeds or fails as the job did.
 */
export class ModelTrainingWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** `cur-<stage>-model-training`. */
  public readonly stateMachineName: string;
  /** The launcher: the state machine's role, Lake Formation principal of the staging queries. */
  public readonly launcherRole: iam.Role;
  public readonly workGroup: athena.CfnWorkGroup;
  /** `cur_model` packaged as SageMaker's `sourcedir.tar.gz` (the entry script, the package, `requirements.txt`). */
  public readonly code: s3assets.Asset;
  /** The Lake Formation grants of the launcher role. */
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];
  /** The ASL definition, as deployed (with tokens for the role, bucket and asset). */
  public readonly definition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ModelTrainingWorkflowProps) {
    super(scope, id);
    const { names, training, lakeKeyArn } = props;
    const template = props.channelTemplate ?? readChannelTemplate();
    const metricDefinitions = props.metricDefinitions ?? readMetricDefinitions();
    const systemBucket = names.bucketName('system');
    const system = names.bucketArn('system');
    const stateMachineName = modelTrainingStateMachineName(names.stage);
    this.stateMachineName = stateMachineName;

    this.code = packageTrainingCode(this);
    training.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ReadTrainingCode', actions: ['s3:GetObject'], resources: [this.code.bucket.arnForObjects(this.code.s3ObjectKey)] }),
    );

    this.workGroup = new athena.CfnWorkGroup(this, 'StagingWorkGroup', {
      name: `${names.resourcePrefix}-model-staging`,
      description: 'Unloads the DS view of consumption into SageMaker training channels',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${systemBucket}/${STAGING_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: lakeKeyArn },
          expectedBucketOwner: names.account,
        },
      },
    });

    this.launcherRole = new iam.Role(this, 'LauncherRole', {
      roleName: `${names.resourcePrefix}-model-launcher`,
      description: `CUR ${names.stage}: stages the DS view of consumption for SageMaker training and starts the job`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': names.account } } }),
    });
    this.grants = this.grantDsViewOfConsumption(names);
    // Only jobs named as the platform's (the state machine also refuses an execution named otherwise): the model
    // history's rule matches this prefix, so a job the workflow started is never missed and nothing else is recorded.
    const trainingJobArn = `arn:${names.partition}:sagemaker:${names.region}:${names.account}:training-job/${trainingJobNamePrefix(names.stage)}*`;
    const workGroupArn = `arn:${names.partition}:athena:${names.region}:${names.account}:workgroup/${this.workGroup.name}`;
    const manifestArns = [template.features.dataset, template.labels.dataset].map((dataset) => `${system}/manifests/consumption/${dataset}/*`);
    const statements = [
      new iam.PolicyStatement({ sid: 'ReadConsumptionManifests', actions: ['s3:GetObject'], resources: manifestArns }),
      new iam.PolicyStatement({ sid: 'RunStagingQueries', actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'], resources: [workGroupArn] }),
      new iam.PolicyStatement({
        sid: 'ReadConsumptionCatalog',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [names.glueCatalogArn, names.glueDatabaseArn('consumption'), names.glueTablesArn('consumption')],
      }),
      // Lake Formation vends the data; its grants below, not IAM, decide which columns.
      new iam.PolicyStatement({ sid: 'LakeFormationData', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'LocateSystemBucket', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [system] }),
      new iam.PolicyStatement({
        sid: 'ListChannelsAndResults',
        actions: ['s3:ListBucket'],
        resources: [system],
        conditions: { StringLike: { 's3:prefix': [`${MODEL_CHANNEL_PREFIX}*`, `${STAGING_RESULTS_PREFIX}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'WriteChannelsAndResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [`${system}/${MODEL_CHANNEL_PREFIX}*`, `${system}/${STAGING_RESULTS_PREFIX}*`],
      }),
      new iam.PolicyStatement({ sid: 'UseLakeKey', actions: [...KEY_USE_ACTIONS], resources: [lakeKeyArn] }),
      new iam.PolicyStatement({
        sid: 'RunTrainingJobs',
        actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags'],
        resources: [trainingJobArn],
      }),
      new iam.PolicyStatement({
        sid: 'PassTrainingRole',
        actions: ['iam:PassRole'],
        resources: [training.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
      // The `.sync` integration learns of the job's end through this Step Functions-managed rule.
      new iam.PolicyStatement({
        sid: 'FollowTrainingJobs',
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [`arn:${names.partition}:events:${names.region}:${names.account}:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule`],
      }),
    ];
    for (const statement of statements) this.launcherRole.addToPolicy(statement);

    this.definition = trainingDefinition({
      names,
      template,
      metricDefinitions,
      workGroup: this.workGroup.name,
      trainingRoleArn: training.role.roleArn,
      trainingImage: training.trainingImage,
      lakeKeyArn,
      codeUri: this.code.s3ObjectUrl,
      codeVersion: this.code.assetHash,
      instanceType: props.instanceType ?? DEFAULT_TRAINING_INSTANCE_TYPE,
      maxRuntimeSeconds: props.maxRuntimeSeconds ?? DEFAULT_TRAINING_MAX_RUNTIME_SECONDS,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      role: this.launcherRole,
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(this.definition)),
      timeout: Duration.seconds((props.maxRuntimeSeconds ?? DEFAULT_TRAINING_MAX_RUNTIME_SECONDS) + 60 * 60),
      tracingEnabled: true,
      // Execution data is left out of the logs: the input is the caller's free text.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    acknowledgeNagFindings(
      this.launcherRole,
      [
        ...manifestArns.map((arn) => `AwsSolutions-IAM5[Resource::${arn}]`),
        `AwsSolutions-IAM5[Resource::${names.glueTablesArn('consumption')}]`,
        'AwsSolutions-IAM5[Resource::*]',
        `AwsSolutions-IAM5[Resource::${system}/${MODEL_CHANNEL_PREFIX}*]`,
        `AwsSolutions-IAM5[Resource::${system}/${STAGING_RESULTS_PREFIX}*]`,
        `AwsSolutions-IAM5[Resource::${trainingJobArn}]`,
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      ],
      'Each execution reads the manifest of its date and writes under its own job name; the consumption tables are narrowed per column by the Lake Formation grant; GetDataAccess has no resource; training jobs are named per execution; the KMS variants are for SSE-KMS objects on the lake key only. The X-Ray and log delivery statements Step Functions needs are CDK-generated.',
    );
  }

  /** On consumption, exactly the LF-tag grant every human role (DS included) has: DESCRIBE, SELECT on non-secret columns. */
  private grantDsViewOfConsumption(names: PlatformNames): lakeformation.CfnPrincipalPermissions[] {
    const catalogId = names.account;
    const principal = { dataLakePrincipalIdentifier: this.launcherRole.roleArn };
    const zone = { tagKey: ZONE_TAG_KEY, tagValues: ['consumption'] };
    return [
      new lakeformation.CfnPrincipalPermissions(this, 'ConsumptionDatabaseGrant', {
        catalog: catalogId,
        principal,
        resource: { lfTagPolicy: { catalogId, resourceType: 'DATABASE', expression: [zone] } },
        permissions: [...HUMAN_DATABASE_PERMISSIONS],
        permissionsWithGrantOption: [],
      }),
      new lakeformation.CfnPrincipalPermissions(this, 'ConsumptionTablesGrant', {
        catalog: catalogId,
        principal,
        resource: {
          lfTagPolicy: { catalogId, resourceType: 'TABLE', expression: [zone, { tagKey: SENSITIVITY_TAG_KEY, tagValues: [...HUMAN_READABLE_SENSITIVITIES] }] },
        },
        permissions: [...HUMAN_TABLE_PERMISSIONS],
        permissionsWithGrantOption: [],
      }),
    ];
  }
}

/** What {@link trainingDefinition} needs to render the state machine. */
interface TrainingDefinitionInput {
  readonly names: PlatformNames;
  readonly template: ChannelTemplate;
  readonly metricDefinitions: readonly MetricDefinition[];
  readonly workGroup: string;
  readonly trainingRoleArn: string;
  readonly trainingImage: string;
  readonly lakeKeyArn: string;
  readonly codeUri: string;
  readonly codeVersion: string;
  readonly instanceType: string;
  readonly maxRuntimeSeconds: number;
}

/** `'` and `{}` are special in `States.Format`; backslash-escaped they are literal. */
const formatLiteral = (text: string): string => text.replaceAll(/(['{}\\])/g, '\\$1');

/**
 * The state machine's ASL: read the two manifests, unload the DS view of each table, write `dataset.json`, then run
 * the training job. Every value the caller gives is used only as a JSON value (the job name is the execution's
 * name, validated by Step Functions and again by SageMaker); the SQL's only variable is the manifest's own date.
 */
export function trainingDefinition(input: TrainingDefinitionInput): Record<string, unknown> {
  const { names, template } = input;
  const systemBucket = names.bucketName('system');
  const database = names.glueDatabaseName('consumption');
  const channelOf = (rest: string): string => `States.Format('${formatLiteral(`${MODEL_CHANNEL_PREFIX}`)}{}/${formatLiteral(rest)}', $$.Execution.Name)`;
  const tables = { features: template.features, labels: template.labels } as const;
  const states: Record<string, unknown> = {};
  const readManifest = (folder: (typeof STAGED_TABLES)[number], next: string): void => {
    states[`ReadManifest-${folder}`] = {
      Type: 'Task',
      Comment: `The published manifest of consumption.${tables[folder].dataset} for the date: no manifest, no training`,
      Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
      Parameters: { Bucket: systemBucket, 'Key.$': `States.Format('manifests/consumption/${tables[folder].dataset}/business_date={}.json', $.businessDate)` },
      ResultSelector: { 'manifest.$': 'States.StringToJson($.Body)' },
      ResultPath: `$.manifests.${folder}`,
      Next: next,
    };
  };
  const unload = (folder: (typeof STAGED_TABLES)[number], next: string): void => {
    const columns = tables[folder].columns.map((column) => `"${column.name}"`).join(', ');
    const sql =
      `UNLOAD (SELECT ${columns} FROM "${database}"."${tables[folder].dataset}" WHERE business_date = DATE '{}') ` +
      `TO 's3://${systemBucket}/${MODEL_CHANNEL_PREFIX}{}/${folder}/' WITH (format = 'PARQUET', compression = 'SNAPPY')`;
    states[`Unload-${folder}`] = {
      Type: 'Task',
      Comment: `The DS view of consumption.${tables[folder].dataset} for the manifest's date, under Lake Formation`,
      Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
      Parameters: {
        'QueryString.$': `States.Format('${sql.replaceAll(/(['\\])/g, '\\$1')}', $.manifests.${folder}.manifest.businessDate, $$.Execution.Name)`,
        WorkGroup: input.workGroup,
        QueryExecutionContext: { Database: database },
      },
      ResultPath: null,
      Next: next,
    };
  };
  const lineageOf = (folder: (typeof STAGED_TABLES)[number]): Record<string, unknown> => ({
    zone: 'consumption',
    dataset: tables[folder].dataset,
    'business_date.$': `$.manifests.${folder}.manifest.businessDate`,
    'content_sha256.$': `$.manifests.${folder}.manifest.contentSha256`,
    'rows.$': `$.manifests.${folder}.manifest.rowCount`,
  });
  const dataTag = (n: number, folder: (typeof STAGED_TABLES)[number]): Record<string, unknown> => ({
    Key: `cur:data:${n}`,
    'Value.$': `States.Format('consumption/${tables[folder].dataset}/{}/{}', $.manifests.${folder}.manifest.businessDate, $.manifests.${folder}.manifest.contentSha256)`,
  });

  // The execution's name is the training job's, so it must be one the model history's rule matches.
  const prefix = trainingJobNamePrefix(names.stage);
  states['JobName'] = {
    Type: 'Pass',
    Parameters: { 'name.$': '$$.Execution.Name' },
    ResultPath: '$.execution',
    Next: 'PlatformJobName',
  };
  states['PlatformJobName'] = {
    Type: 'Choice',
    Choices: [{ Variable: '$.execution.name', StringMatches: `${prefix}*`, Next: 'ReadManifest-features' }],
    Default: 'JobNameRefused',
  };
  states['JobNameRefused'] = {
    Type: 'Fail',
    Error: 'TrainingJobNameRefused',
    Cause: `The execution names the training job: its name must start with ${prefix} (cur model train --aws names it so)`,
  };
  readManifest('features', 'ReadManifest-labels');
  readManifest('labels', 'Unload-features');
  unload('features', 'Unload-labels');
  unload('labels', 'DescribeLineage');
  states['DescribeLineage'] = {
    Type: 'Pass',
    Parameters: { features: lineageOf('features'), labels: lineageOf('labels') },
    ResultPath: '$.lineage',
    Next: 'DescribeChannel',
  };
  const { format, role, features, labels, tags } = template;
  states['DescribeChannel'] = {
    Type: 'Pass',
    Comment: 'dataset.json: the template generated from the contracts, the date and the manifests read',
    Parameters: { format, role, 'business_date.$': '$.manifests.features.manifest.businessDate', features, labels, tags, 'lineage.$': 'States.Array($.lineage.features, $.lineage.labels)' },
    ResultPath: '$.description',
    Next: 'WriteDescription',
  };
  states['WriteDescription'] = {
    Type: 'Task',
    Resource: 'arn:aws:states:::aws-sdk:s3:putObject',
    Parameters: { Bucket: systemBucket, 'Key.$': channelOf('dataset.json'), 'Body.$': 'States.JsonToString($.description)', ContentType: 'application/json' },
    ResultPath: null,
    Next: 'LaunchDefaults',
  };
  states['LaunchDefaults'] = {
    Type: 'Pass',
    Result: { defaults: { target_tag: DEFAULT_TARGET_TAG }, code: { sagemaker_program: TRAINING_ENTRY_POINT, sagemaker_submit_directory: input.codeUri } },
    ResultPath: '$.launch',
    Next: 'Hyperparameters',
  };
  states['Hyperparameters'] = {
    Type: 'Pass',
    Comment: "The caller's hyperparameters over the defaults; the code's entries over the caller's",
    Parameters: { 'merged.$': 'States.JsonMerge(States.JsonMerge($.launch.defaults, $.hyperparameters, false), $.launch.code, false)' },
    ResultPath: '$.job',
    Next: 'Train',
  };
  states['Train'] = {
    Type: 'Task',
    Comment: 'The training job, named after the execution; its state changes reach the model history',
    Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
    Parameters: {
      'TrainingJobName.$': '$$.Execution.Name',
      RoleArn: input.trainingRoleArn,
      AlgorithmSpecification: { TrainingImage: input.trainingImage, TrainingInputMode: 'File', MetricDefinitions: input.metricDefinitions },
      'HyperParameters.$': '$.job.merged',
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': `States.Format('s3://${systemBucket}/${formatLiteral(MODEL_CHANNEL_PREFIX)}{}/', $$.Execution.Name)`, S3DataDistributionType: 'FullyReplicated' } },
        },
      ],
      OutputDataConfig: { S3OutputPath: `s3://${systemBucket}/${MODEL_ARTEFACT_PREFIX}`, KmsKeyId: input.lakeKeyArn },
      ResourceConfig: { InstanceCount: 1, InstanceType: input.instanceType, VolumeSizeInGB: 30, VolumeKmsKeyId: input.lakeKeyArn },
      StoppingCondition: { MaxRuntimeInSeconds: input.maxRuntimeSeconds },
      Tags: [
        { Key: 'cur:role', Value: 'DS' },
        { Key: 'cur:started-by', 'Value.$': '$.startedBy' },
        { Key: 'cur:code-version', Value: input.codeVersion },
        { Key: 'cur:target-tag', 'Value.$': '$.job.merged.target_tag' },
        dataTag(1, 'features'),
        dataTag(2, 'labels'),
      ],
    },
    ResultSelector: { 'TrainingJobStatus.$': '$.TrainingJobStatus', 'ModelArtifacts.$': '$.ModelArtifacts' },
    ResultPath: '$.training',
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ListChannel' }],
    Next: 'ListChannel',
  };
  // The channel (the DS view, customer tokens included) is needed only while the job downloads it: removed after
  // the job whatever its end, and after a failed staging.
  for (const name of ['Unload-features', 'Unload-labels', 'WriteDescription']) {
    (states[name] as Record<string, unknown>)['Catch'] = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ListChannel' }];
  }
  states['ListChannel'] = {
    Type: 'Task',
    Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2',
    Parameters: { Bucket: systemBucket, 'Prefix.$': channelOf('') },
    ResultPath: '$.channel',
    Next: 'ChannelLeft',
  };
  states['ChannelLeft'] = {
    Type: 'Choice',
    Choices: [{ Variable: '$.channel.KeyCount', NumericGreaterThan: 0, Next: 'DeleteChannel' }],
    Default: 'Outcome',
  };
  states['DeleteChannel'] = {
    Type: 'Map',
    ItemsPath: '$.channel.Contents',
    MaxConcurrency: 10,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: 'DeleteObject',
      States: { DeleteObject: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:deleteObject', Parameters: { Bucket: systemBucket, 'Key.$': '$.Key' }, End: true } },
    },
    ResultPath: null,
    // Listed again: a listing holds at most 1,000 keys.
    Next: 'ListChannel',
  };
  states['Outcome'] = {
    Type: 'Choice',
    Choices: [{ Variable: '$.failure', IsPresent: true, Next: 'Failed' }],
    Default: 'Trained',
  };
  states['Failed'] = { Type: 'Fail', Error: 'TrainingFailed', CausePath: '$.failure.Error' };
  states['Trained'] = { Type: 'Succeed' };
  return { Comment: 'Stage the DS view of consumption and train a propensity model on it (issue 15)', StartAt: 'JobName', States: states };
}

/**
 * `cur_model` as the scikit-learn container wants its code: a `sourcedir.tar.gz` holding the entry script, the
 * package and `requirements.txt` (the pins of libs/model-training; the image has scikit-learn 1.4.2 itself). Built
 * locally with tar and gzip, never in Docker; the asset's hash is the archive's, which the job records as its code version.
 */
function packageTrainingCode(scope: Construct): s3assets.Asset {
  return new s3assets.Asset(scope, 'TrainingCode', {
    path: join(MODEL_TRAINING_ROOT, 'src'),
    // The archive's own hash: the code version the job is tagged with changes exactly when what SageMaker runs does.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('local-bundling-only'),
      outputType: BundlingOutput.ARCHIVED,
      local: {
        tryBundle(outputDir: string): boolean {
          const staging = mkdtempSync(join(tmpdir(), 'cur-model-code-'));
          try {
            const filter = (source: string): boolean => !source.includes('__pycache__') && !source.endsWith('.pyc');
            cpSync(join(MODEL_TRAINING_ROOT, 'src', 'cur_model'), join(staging, 'cur_model'), { recursive: true, filter });
            writeFileSync(join(staging, TRAINING_ENTRY_POINT), 'from cur_model.train import main\n\nraise SystemExit(main())\n');
            writeFileSync(join(staging, 'requirements.txt'), `${readRunnerDependencies(MODEL_TRAINING_ROOT).join('\n')}\n`);
            const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', staging, '.'], { maxBuffer: 64 * 1024 * 1024 });
            writeFileSync(join(outputDir, 'sourcedir.tar.gz'), gzipSync(tar));
          } finally {
            rmSync(staging, { recursive: true, force: true });
          }
          return true;
        },
      },
    },
  });
}
