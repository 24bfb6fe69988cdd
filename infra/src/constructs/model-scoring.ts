import { join } from 'node:path';
import { PLATFORM_EVENT_SOURCE } from '@cur/contracts';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { readStepMetricNamespace } from '../config/glue-jobs';
import { MODEL_TRAINING_ROOT } from '../config/model-training';
import type { PlatformNames } from '../config/platform-names';
import { acknowledgeBucketDeploymentHandler } from '../core/bucket-deployment-handler';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import { JOB_TABLE_PERMISSIONS, LAYER_PUBLISHED_EVENT, WRITE_OBJECT_ACTIONS } from './glue-pipeline-jobs';
import { MODEL_ARTEFACT_PREFIX, sklearnTrainingImage } from './sagemaker-training';
import { KEY_READ_ACTIONS, KEY_WRITE_ACTIONS } from './service-data-access';

/** Where the scoring code (`cur_model`) is staged in the system bucket: the Processing job's `code` input. */
export const MODEL_CODE_PREFIX = 'model-history/code/';

/**
 * The folder deployed under {@link MODEL_CODE_PREFIX}: libs/model-training's `src`, so the prefix holds `cur_model/`
 * exactly as pytest imports it (the job puts the folder on `PYTHONPATH` and runs `python3 -m cur_model.score`).
 */
export const MODEL_CODE_SOURCE = join(MODEL_TRAINING_ROOT, 'src');

/** The package {@link MODEL_CODE_SOURCE} holds, as the scoring job and the DAG import it. */
export const MODEL_PACKAGE = 'cur_model';

/** What is not code in {@link MODEL_CODE_SOURCE}: Python's byte-code caches. */
export const MODEL_CODE_EXCLUDE = ['__pycache__', '*.pyc'] as const;

/** The dataset the scoring job reads (its `ProcessingInput`) and the one it writes (its `ProcessingOutput`). */
export const SCORING_INPUT = { zone: 'consumption', table: 'customer_features' } as const;
export const SCORING_OUTPUT = { zone: 'consumption', table: 'model_tags' } as const;

/** Where a dataset's manifests are in the system bucket (libs/lake's `manifestKey`: `<prefix><business_date=...>.json`). */
export function manifestsPrefix(dataset: { readonly zone: string; readonly table: string }): string {
  return `manifests/${dataset.zone}/${dataset.table}/`;
}

/** The DAG's score task's Processing jobs: `cur-<stage>-score-<yyyymmdd>` (a timestamp appended on a rerun). */
export const SCORING_JOB_PREFIX = 'score-';

/** The Airflow variable (JSON) the DAG's score task is configured from (libs/lineage's `SCORING_JOB_VARIABLE`). */
export const SCORING_JOB_VARIABLE = 'cur_scoring_job';

/** The instance type the DAG asks for; the execution role may start no other. */
export const SCORING_INSTANCE_TYPE = 'ml.m5.large';

/** Properties of {@link ModelScoring}. */
export interface ModelScoringProps {
  readonly names: PlatformNames;
  /** The lake key's ARN: the zone and system buckets, the model-history table and the job's volume are under it. */
  readonly lakeKeyArn: string;
  /** The MWAA execution role's name (`cur-<stage>-mwaa-execution`), which starts the jobs from the DAG. */
  readonly executionRoleName: string;
  /** SSM prefix of the Airflow variables (MWAA's secrets backend). */
  readonly variablesPrefix: string;
}

/**
 * The scoring step in AWS (issue 15): the execution role of the DAG's `score` Processing jobs,
 * `cur-<stage>-model-scoring`, which reads only the features' partitions, the model artefacts and the scoring code,
 * and writes only model_tags' partitions (with Lake Formation grants on the two tables as the Glue jobs have); the
 * MWAA execution role's right to start exactly those jobs (network-isolated, on the lake key, passing only this role)
 * and to read the model history's scoring pointer and empty model_tags' partition of the run before the job writes it,
 * then to publish that partition after it (`cur_model.publish` in the task's post_execute: read its files and the
 * features' manifest, write model_tags' manifest, add the catalog partition, with Lake Formation DESCRIBE and INSERT on
 * model_tags);
 * the Airflow variable `cur_scoring_job` the task reads; and the scoring code itself, deployed by `cdk deploy` to
 * `system/model-history/code/` ({@link MODEL_CODE_PREFIX}) under the lake key, the old files pruned.
 */
export class ModelScoring extends Construct {
  public readonly role: iam.Role;
  /** Deploys `cur_model` ({@link MODEL_CODE_SOURCE}) to {@link MODEL_CODE_PREFIX} of the system bucket. */
  public readonly code: s3deploy.BucketDeployment;
  public readonly launchPolicy: iam.Policy;
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];
  /** The MWAA execution role's Lake Formation grant on model_tags: read its definition, add its partitions. */
  public readonly publishGrant: lakeformation.CfnPrincipalPermissions;
  public readonly variable: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: ModelScoringProps) {
    super(scope, id);
    const { names, lakeKeyArn } = props;
    const system = names.bucketArn('system');
    const consumption = names.bucketArn(SCORING_INPUT.zone);
    const features = `${consumption}/${SCORING_INPUT.table}/*`;
    const modelTags = `${names.bucketArn(SCORING_OUTPUT.zone)}/${SCORING_OUTPUT.table}/*`;
    const featuresManifests = `${system}/${manifestsPrefix(SCORING_INPUT)}*`;
    const modelTagsManifests = `${system}/${manifestsPrefix(SCORING_OUTPUT)}*`;
    const modelTagsTable = `arn:${names.partition}:glue:${names.region}:${names.account}:table/${names.glueDatabaseName(SCORING_OUTPUT.zone)}/${SCORING_OUTPUT.table}`;
    this.role = new iam.Role(this, 'Role', {
      roleName: `${names.resourcePrefix}-model-scoring`,
      description: `CUR ${names.stage}: SageMaker Processing jobs of the DAG's score task read features and the promoted model, write model_tags`,
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': names.account } } }),
    });
    const statements = [
      new iam.PolicyStatement({ sid: 'ListZoneFolders', actions: ['s3:ListBucket'], resources: [consumption], conditions: { StringLike: { 's3:prefix': [`${SCORING_INPUT.table}/*`, `${SCORING_OUTPUT.table}/*`] } } }),
      new iam.PolicyStatement({ sid: 'ReadFeatures', actions: ['s3:GetObject'], resources: [features] }),
      new iam.PolicyStatement({ sid: 'WriteModelTags', actions: [...WRITE_OBJECT_ACTIONS], resources: [modelTags] }),
      new iam.PolicyStatement({ sid: 'ListModelFolders', actions: ['s3:ListBucket'], resources: [system], conditions: { StringLike: { 's3:prefix': [`${MODEL_ARTEFACT_PREFIX}*`, `${MODEL_CODE_PREFIX}*`] } } }),
      new iam.PolicyStatement({ sid: 'ReadModelsAndCode', actions: ['s3:GetObject'], resources: [`${system}/${MODEL_ARTEFACT_PREFIX}*`, `${system}/${MODEL_CODE_PREFIX}*`] }),
      new iam.PolicyStatement({ sid: 'UseLakeKey', actions: [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS], resources: [lakeKeyArn] }),
      new iam.PolicyStatement({ sid: 'LakeFormationCredentialVending', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
    ];
    const logGroup = `arn:${names.partition}:logs:${names.region}:${names.account}:log-group:/aws/sagemaker/ProcessingJobs`;
    statements.push(
      new iam.PolicyStatement({ sid: 'ProcessingJobLogs', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroup, `${logGroup}:log-stream:*`] }),
    );
    for (const statement of statements) this.role.addToPolicy(statement);
    acknowledgeNagFindings(
      this.role,
      [
        `AwsSolutions-IAM5[Resource::${features}]`,
        `AwsSolutions-IAM5[Resource::${modelTags}]`,
        `AwsSolutions-IAM5[Resource::${system}/${MODEL_ARTEFACT_PREFIX}*]`,
        `AwsSolutions-IAM5[Resource::${system}/${MODEL_CODE_PREFIX}*]`,
        `AwsSolutions-IAM5[Resource::${logGroup}:log-stream:*]`,
        'AwsSolutions-IAM5[Resource::*]',
      ],
      "A job reads one business_date partition of customer_features and one model version's artefacts, and writes one partition of model_tags, under these fixed prefixes; its log stream is named by SageMaker; lakeformation:GetDataAccess has no resource-level permissions, the grants decide.",
    );
    this.grants = [
      this.#tableGrant(names, 'FeaturesGrant', SCORING_INPUT.table, ['SELECT', 'DESCRIBE']),
      this.#tableGrant(names, 'ModelTagsGrant', SCORING_OUTPUT.table, [...JOB_TABLE_PERMISSIONS]),
    ];

    const processingJobs = `arn:${names.partition}:sagemaker:${names.region}:${names.account}:processing-job/${names.resourcePrefix}-${SCORING_JOB_PREFIX}*`;
    const executionRole = iam.Role.fromRoleName(this, 'ExecutionRole', props.executionRoleName, { mutable: true });
    this.launchPolicy = new iam.Policy(this, 'LaunchPolicy', {
      policyName: `${names.resourcePrefix}-start-model-scoring`,
      roles: [executionRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'StartScoringJobs',
          actions: ['sagemaker:CreateProcessingJob'],
          resources: [processingJobs],
          conditions: {
            Bool: { 'sagemaker:NetworkIsolation': 'true' },
            StringEquals: { 'sagemaker:VolumeKmsKey': lakeKeyArn },
            'ForAllValues:StringEquals': { 'sagemaker:InstanceTypes': [SCORING_INSTANCE_TYPE] },
          },
        }),
        new iam.PolicyStatement({ sid: 'FollowScoringJobs', actions: ['sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob', 'sagemaker:ListProcessingJobs'], resources: [processingJobs] }),
        // The task empties the partition before the job writes it: a job only adds files, and old versions' tags would stay.
        new iam.PolicyStatement({ sid: 'ListModelTagsPartitions', actions: ['s3:ListBucket'], resources: [consumption], conditions: { StringLike: { 's3:prefix': [`${SCORING_OUTPUT.table}/*`] } } }),
        new iam.PolicyStatement({ sid: 'EmptyModelTagsPartitions', actions: ['s3:DeleteObject'], resources: [modelTags] }),
        new iam.PolicyStatement({ sid: 'PassScoringRole', actions: ['iam:PassRole'], resources: [this.role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } }),
        new iam.PolicyStatement({ sid: 'ReadScoringPointer', actions: ['dynamodb:GetItem'], resources: [names.tableArn('model-history')], conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['scoring'] } } }),
        new iam.PolicyStatement({ sid: 'DecryptScoringPointer', actions: ['kms:Decrypt'], resources: [lakeKeyArn], conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${names.region}.amazonaws.com` } } }),
        // After the job, the task publishes its partition (cur_model.publish): it hashes and counts the job's files,
        // reads the features' manifest, writes model_tags' manifest and adds the partition to the catalog.
        new iam.PolicyStatement({ sid: 'ReadScoredPartitions', actions: ['s3:GetObject'], resources: [modelTags] }),
        new iam.PolicyStatement({ sid: 'ReadFeaturesManifests', actions: ['s3:GetObject'], resources: [featuresManifests] }),
        new iam.PolicyStatement({ sid: 'PublishModelTagsManifests', actions: ['s3:PutObject'], resources: [modelTagsManifests] }),
        new iam.PolicyStatement({ sid: 'ManifestsUnderLakeKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [lakeKeyArn], conditions: { StringEquals: { 'kms:ViaService': `s3.${names.region}.amazonaws.com` } } }),
        new iam.PolicyStatement({ sid: 'RegisterModelTagsPartitions', actions: ['glue:GetTable', 'glue:CreatePartition'], resources: [names.glueCatalogArn, names.glueDatabaseArn(SCORING_OUTPUT.zone), modelTagsTable] }),
        // Then Layer Published on the platform bus (cur_model.platform_events), as the Glue jobs announce theirs.
        new iam.PolicyStatement({
          sid: 'PublishModelTagsLayer',
          actions: ['events:PutEvents'],
          resources: [names.eventBusArn],
          conditions: { StringEquals: { 'events:source': [PLATFORM_EVENT_SOURCE], 'events:detail-type': [LAYER_PUBLISHED_EVENT] } },
        }),
        // A failed put is counted (LayerEventsNotPublished), in the platform's namespace only.
        new iam.PolicyStatement({ sid: 'CountUnpublishedLayers', actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': readStepMetricNamespace() } } }),
      ],
    });
    acknowledgeNagFindings(
      this.launchPolicy,
      [`AwsSolutions-IAM5[Resource::${processingJobs}]`, `AwsSolutions-IAM5[Resource::${modelTags}]`, `AwsSolutions-IAM5[Resource::${featuresManifests}]`, `AwsSolutions-IAM5[Resource::${modelTagsManifests}]`, 'AwsSolutions-IAM5[Resource::*]'],
      "The score task names each job cur-<stage>-score-<business date> (a timestamp appended on a rerun) and may start only those, network-isolated, on the lake key, on the DAG's instance type; it deletes only model_tags' partition files, before the job rewrites the partition, then reads them and the features' manifests and writes model_tags' manifests, one per business date, under these fixed prefixes; cloudwatch:PutMetricData has no resource-level permissions and is conditioned on the platform's namespace.",
    );

    this.publishGrant = new lakeformation.CfnPrincipalPermissions(this, 'PublishModelTagsGrant', {
      catalog: names.account,
      principal: { dataLakePrincipalIdentifier: `arn:${names.partition}:iam::${names.account}:role/${props.executionRoleName}` },
      resource: { table: { catalogId: names.account, databaseName: names.glueDatabaseName(SCORING_OUTPUT.zone), name: SCORING_OUTPUT.table } },
      permissions: ['DESCRIBE', 'INSERT'],
      permissionsWithGrantOption: [],
    });

    this.code = this.#deployCode(names, lakeKeyArn);

    this.variable = new ssm.StringParameter(this, 'ScoringJobVariable', {
      parameterName: `${props.variablesPrefix}/${SCORING_JOB_VARIABLE}`,
      description: "Airflow variable cur_scoring_job: the score task's Processing job (role, image, key, buckets, model history table)",
      stringValue: JSON.stringify({
        roleArn: this.role.roleArn,
        imageUri: sklearnTrainingImage(names.region),
        kmsKeyArn: lakeKeyArn,
        consumptionBucket: names.bucketName('consumption'),
        systemBucket: names.bucketName('system'),
        modelHistoryTable: names.tableName('model-history'),
        eventBus: names.eventBusName,
      }),
    });
  }

  /**
   * `cur_model` to the Processing job's `code` input, encrypted with the lake key as the bucket requires; `prune`
   * removes what an earlier deployment put there and this one does not hold, so the prefix is exactly this code.
   */
  #deployCode(names: PlatformNames, lakeKeyArn: string): s3deploy.BucketDeployment {
    const system = names.bucketArn('system');
    const deployment = new s3deploy.BucketDeployment(this, 'ScoringCode', {
      destinationBucket: s3.Bucket.fromBucketArn(this, 'SystemBucket', system),
      destinationKeyPrefix: MODEL_CODE_PREFIX,
      sources: [s3deploy.Source.asset(MODEL_CODE_SOURCE, { exclude: [...MODEL_CODE_EXCLUDE] })],
      prune: true,
      retainOnDelete: true,
      serverSideEncryption: s3deploy.ServerSideEncryption.AWS_KMS,
      serverSideEncryptionAwsKmsKeyId: lakeKeyArn,
    });
    deployment.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'EncryptScoringCode', actions: [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS], resources: [lakeKeyArn] }));
    acknowledgeBucketDeploymentHandler(this, `${system}/*`, "the scoring code from the CDK asset bucket into the system bucket's model-history/code/");
    return deployment;
  }

  #tableGrant(names: PlatformNames, id: string, table: string, permissions: readonly string[]): lakeformation.CfnPrincipalPermissions {
    const grant = new lakeformation.CfnPrincipalPermissions(this, id, {
      catalog: names.account,
      principal: { dataLakePrincipalIdentifier: this.role.roleArn },
      resource: { table: { catalogId: names.account, databaseName: names.glueDatabaseName('consumption'), name: table } },
      permissions: [...permissions],
      permissionsWithGrantOption: [],
    });
    grant.node.addDependency(this.role);
    return grant;
  }
}
