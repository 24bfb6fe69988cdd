import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_EVENT_SOURCE, type PlatformEventType, type Zone } from '@cur/contracts';
import { DockerImage, Duration } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { GlueJobStep, GluePlanStepAccess, GluePlanStep, ZonePrefix } from '../config/glue-jobs';
import {
  GLUE_JOB_SCRIPTS,
  GLUE_PLAN_STEPS,
  GLUE_PLANS_DIR,
  GLUE_VERSION,
  PACKAGED_PLANS_PATH,
  SPARK_RUNNER_ROOT,
  glueJobName,
  glueJobRoleName,
  readGluePlanStepAccess,
  readRunnerDependencies,
  readStepMetricNamespace,
} from '../config/glue-jobs';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { DEFAULT_GLUE_WORKERS, GLUE_JOB_STEPS } from '../config/stage-config';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import type { GlueJobSecurity } from './glue-job-security';
import { GLUE_LOGS_KEY_ACTIONS, glueLogGroupsArn } from './glue-job-security';
import { KEY_READ_ACTIONS, KEY_WRITE_ACTIONS } from './service-data-access';

/** Buckets a template-run job may name (`--bucket_<zone>`). */
const PLAN_ZONES: readonly Zone[] = ['raw', 'transformed', 'consumption', 'mart'];

/** What a job may do with objects of the folders it writes: Spark's overwrite lists, deletes and rewrites them. */
export const WRITE_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'] as const;

/** Catalog actions a job needs to add a partition to a table (`ALTER TABLE ... ADD IF NOT EXISTS PARTITION`). */
export const PARTITION_REGISTRATION_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:CreatePartition', 'glue:BatchCreatePartition'] as const;

/** What a job role gets from Lake Formation on a table whose partitions it registers. */
export const JOB_TABLE_PERMISSIONS = ['ALTER', 'INSERT', 'DESCRIBE'] as const;

/**
 * The Glue jobs that announce their datasets on the platform bus once published (`Layer Published`, as `runPipeline`
 * does locally after these steps; cur_spark.platform_events), for the oracle-replicator.
 */
export const LAYER_EVENT_STEPS: readonly GluePlanStep[] = ['consumption', 'mart'];

/** The one event the Glue jobs may put on the platform bus. */
export const LAYER_PUBLISHED_EVENT: PlatformEventType = 'Layer Published';

/** Why a job's `Resource::*` for its metrics is acceptable. */
const METRICS_WILDCARD_REASON = 'cloudwatch:PutMetricData has no resource-level permissions; the grant is conditioned on the platform namespace (cloudwatch:namespace).';

/** How many runs of one job may run at once: the DAG runs mask and transform for the four source datasets side by side. */
export const MAX_CONCURRENT_RUNS: Readonly<Record<GlueJobStep, number>> = { mask: 4, transform: 4, consumption: 1, mart: 1 };

/** Properties of {@link GluePipelineJobs}. */
export interface GluePipelineJobsProps {
  readonly names: PlatformNames;
  readonly config: StageConfig;
  readonly security: GlueJobSecurity;
  /** The lake key's ARN (SSE-KMS of every zone the jobs read and write after landing). */
  readonly lakeKeyArn: string;
  /**
   * What each template-run step reads, writes and registers.
   * @default read from the committed templates in libs/spark-runner/glue-plans
   */
  readonly planStepAccess?: Readonly<Record<GluePlanStep, GluePlanStepAccess>>;
  /**
   * The masking-key-service's IAM-authorised function URL, the mask job's `--key_service_url` (its calls are signed
   * with SigV4 as SYSTEM's role, `--key_service_region` the stage's region).
   */
  readonly keyServiceUrl: string;
}

/**
 * The pipeline's Glue 5.1 jobs `cur-<stage>-<step>`, one per step kind (the dataset and business date are run
 * arguments, as the MWAA DAG passes them). One S3 asset holds the runner (libs/spark-runner's `cur_spark`) with the
 * plan templates inside it (`cur_spark/glue_plans/`), given to every job as `--extra-py-files`; the runner's exact
 * pins go to `--additional-python-modules`; each job's script is its own asset. The mask job runs as SYSTEM and may
 * invoke the masking-key-service; the others each have a role limited to the dataset folders their templates read
 * and write, the lake key, and the partitions they register (IAM and Lake Formation). Every job: the security
 * configuration, continuous logging with Glue's log filter, bookmarks off, no retries of its own (the DAG retries),
 * worker type and count from the stage config.
 */
export class GluePipelineJobs extends Construct {
  public readonly jobs: Readonly<Record<GlueJobStep, glue.CfnJob>>;
  /** The roles created here (the mask job's role is SYSTEM's, from the platform stack). */
  public readonly roles: Readonly<Record<GluePlanStep, iam.Role>>;
  /** The policy added to SYSTEM's role for the mask job. */
  public readonly maskPolicy: iam.Policy;
  /** The runner archive (code and templates) every job imports. */
  public readonly runner: s3assets.Asset;
  public readonly scripts: Readonly<Record<GlueJobStep, s3assets.Asset>>;
  /** Every Lake Formation grant made here. */
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];

  constructor(scope: Construct, id: string, props: GluePipelineJobsProps) {
    super(scope, id);
    const { names, config, security } = props;
    const access = props.planStepAccess ?? readGluePlanStepAccess();

    this.runner = new s3assets.Asset(this, 'Runner', {
      path: join(SPARK_RUNNER_ROOT, 'src'),
      exclude: ['**/__pycache__', '**/*.pyc', '*.egg-info'],
      bundling: {
        // Local only: the package folder as it is, with the committed templates inside it. Never runs Docker.
        image: DockerImage.fromRegistry('local-bundling-only'),
        local: {
          tryBundle(outputDir: string): boolean {
            const filter = (source: string): boolean => !source.includes('__pycache__') && !source.endsWith('.pyc');
            cpSync(join(SPARK_RUNNER_ROOT, 'src', 'cur_spark'), join(outputDir, 'cur_spark'), { recursive: true, filter });
            mkdirSync(join(outputDir, PACKAGED_PLANS_PATH), { recursive: true });
            cpSync(GLUE_PLANS_DIR, join(outputDir, PACKAGED_PLANS_PATH), { recursive: true });
            return true;
          },
        },
      },
    });
    const scripts = {} as Record<GlueJobStep, s3assets.Asset>;
    const scriptAssets = new Map<string, s3assets.Asset>();
    for (const step of GLUE_JOB_STEPS) {
      const script = GLUE_JOB_SCRIPTS[step];
      let asset = scriptAssets.get(script);
      if (!asset) {
        asset = new s3assets.Asset(this, `Script-${script.replaceAll(/[^A-Za-z0-9]/g, '-')}`, { path: join(SPARK_RUNNER_ROOT, 'src', script) });
        scriptAssets.set(script, asset);
      }
      scripts[step] = asset;
    }
    this.scripts = scripts;

    const databasePrefix = names.glueDatabaseName('raw').slice(0, -'_raw'.length);
    const metricsNamespace = readStepMetricNamespace();
    const glueJobStatements = (step: GlueJobStep): iam.PolicyStatement[] => [
      new iam.PolicyStatement({
        sid: 'ReadJobCode',
        actions: ['s3:GetObject'],
        resources: [this.runner, scripts[step]].map((asset) => asset.bucket.arnForObjects(asset.s3ObjectKey)),
      }),
      new iam.PolicyStatement({
        sid: 'WriteJobLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [glueLogGroupsArn(names)],
      }),
      new iam.PolicyStatement({ sid: 'UseLogsKey', actions: [...GLUE_LOGS_KEY_ACTIONS], resources: [security.logsKey.keyArn] }),
      // Rows per step (cur_spark.step_metrics), in the platform's namespace only.
      new iam.PolicyStatement({
        sid: 'PublishStepMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': metricsNamespace } },
      }),
    ];

    const roles = {} as Record<GluePlanStep, iam.Role>;
    const grants: lakeformation.CfnPrincipalPermissions[] = [];
    for (const step of GLUE_PLAN_STEPS) {
      const role = new iam.Role(this, `${step}-role`, {
        roleName: glueJobRoleName(names, step),
        description: `CUR ${names.stage}: the Glue job ${glueJobName(names, step)}, masked zones only`,
        assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      });
      for (const statement of [...glueJobStatements(step), ...this.#dataStatements(access[step], props)]) role.addToPolicy(statement);
      if (LAYER_EVENT_STEPS.includes(step)) {
        role.addToPolicy(
          new iam.PolicyStatement({
            sid: 'PublishLayerEvents',
            actions: ['events:PutEvents'],
            resources: [names.eventBusArn],
            conditions: { StringEquals: { 'events:source': [PLATFORM_EVENT_SOURCE], 'events:detail-type': [LAYER_PUBLISHED_EVENT] } },
          }),
        );
      }
      this.#acknowledgeJobRole(role, step, access[step], props);
      grants.push(...this.#partitionGrants(role, step, access[step], names));
      roles[step] = role;
    }
    this.roles = roles;
    this.grants = grants;

    // The mask job is SYSTEM: its role, with every lake bucket and the landing key, is the platform stack's; here it
    // gets what only this job needs: its code, the key service, the logs key.
    const systemRole = iam.Role.fromRoleName(this, 'SystemRole', names.systemRoleName, { mutable: true });
    const landingIncoming = `${names.bucketArn('landing')}/incoming/*`;
    const keyServiceArn = `arn:${names.partition}:lambda:${names.region}:${names.account}:function:${names.functionName('masking-key-service')}`;
    this.maskPolicy = new iam.Policy(this, 'MaskJobPolicy', {
      policyName: `${glueJobName(names, 'mask')}-job`,
      roles: [systemRole],
      statements: [
        ...glueJobStatements('mask'),
        // The mask job signs its tokenize calls with SigV4 (service `lambda`) through the function's IAM-authorised
        // URL, its only way in: no lambda:InvokeFunction, which would let it pass any event (any claimed role).
        new iam.PolicyStatement({
          sid: 'CallKeyServiceUrl',
          actions: ['lambda:InvokeFunctionUrl'],
          resources: [keyServiceArn],
          conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
        }),
        // It ends as the local mask step: the batch's landing files deleted once the raw manifest is published, then
        // the ledger's batch item moved from ACCEPTED to MASKED (cur_spark.mask_finish): one delete, one conditional update.
        new iam.PolicyStatement({ sid: 'DeleteMaskedLandingFiles', actions: ['s3:DeleteObject'], resources: [landingIncoming] }),
        new iam.PolicyStatement({
          sid: 'MarkBatchMasked',
          actions: ['dynamodb:UpdateItem'],
          resources: [names.tableArn('batch-ledger')],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['batch#*'] } },
        }),
      ],
    });
    acknowledgeNagFindings(this.maskPolicy, ['AwsSolutions-IAM5[Resource::*]'], METRICS_WILDCARD_REASON);
    acknowledgeNagFindings(
      this.maskPolicy,
      [`AwsSolutions-IAM5[Resource::${glueLogGroupsArn(names)}]`],
      'Glue names a job run’s log groups and streams under /aws-glue/ at run time; the grant covers that prefix of this account and region only.',
    );
    acknowledgeNagFindings(
      this.maskPolicy,
      [`AwsSolutions-IAM5[Resource::${landingIncoming}]`],
      'The mask job deletes the landing files of the batch it masked (incoming/<dataset>/<file>, named by its control file at run time), and only under incoming/.',
    );

    const jobs = {} as Record<GlueJobStep, glue.CfnJob>;
    const dependencies = readRunnerDependencies();
    for (const step of GLUE_JOB_STEPS) {
      const planStep = (GLUE_PLAN_STEPS as readonly string[]).includes(step);
      const job = new glue.CfnJob(this, `${step}-job`, {
        name: glueJobName(names, step),
        description: `CUR ${names.stage}: the ${step} step on Spark (libs/spark-runner ${GLUE_JOB_SCRIPTS[step]})`,
        role: planStep ? roles[step as GluePlanStep].roleArn : names.roleArn(names.systemRoleName),
        command: { name: 'glueetl', pythonVersion: '3', scriptLocation: scripts[step].s3ObjectUrl },
        glueVersion: GLUE_VERSION,
        workerType: config.glue.workerType,
        numberOfWorkers: config.glue.workers[step] ?? DEFAULT_GLUE_WORKERS,
        timeout: Duration.minutes(config.glue.timeoutMinutes).toMinutes(),
        maxRetries: 0,
        executionProperty: { maxConcurrentRuns: MAX_CONCURRENT_RUNS[step] },
        securityConfiguration: security.name,
        defaultArguments: {
          '--job-language': 'python',
          '--extra-py-files': this.runner.s3ObjectUrl,
          '--additional-python-modules': dependencies.join(','),
          '--job-bookmark-option': 'job-bookmark-disable',
          '--enable-continuous-cloudwatch-log': 'true',
          '--enable-continuous-log-filter': 'true',
          '--enable-metrics': 'true',
          '--enable-spark-ui': 'false',
          // Where the job puts its rows per step (cur_spark.step_metrics); without it nothing is published.
          '--metrics_region': names.region,
          ...(planStep
            ? {
                '--step': step,
                '--enable-glue-datacatalog': 'true',
                '--database_prefix': databasePrefix,
                ...Object.fromEntries(PLAN_ZONES.map((zone) => [`--bucket_${zone}`, `s3://${names.bucketName(zone)}`])),
                // Where the job publishes each output's manifest, as the local steps do (readers follow manifests only).
                '--bucket_system': `s3://${names.bucketName('system')}`,
                // Where a consumption or mart job announces its published datasets (Layer Published), as runPipeline does.
                ...((LAYER_EVENT_STEPS as readonly string[]).includes(step) ? { '--event_bus': names.eventBusName } : {}),
              }
            : {
                // The mask job builds its request from the DAG's --dataset and --business-date (cur_spark.jobs.mask).
                '--bucket_landing': `s3://${names.bucketName('landing')}`,
                '--bucket_raw': `s3://${names.bucketName('raw')}`,
                // Where it publishes the raw partition's manifest, which the transform job accounts from.
                '--bucket_system': `s3://${names.bucketName('system')}`,
                '--key_service_url': props.keyServiceUrl,
                '--key_service_region': names.region,
                // The ingestion ledger, whose batch it marks MASKED once the batch's landing files are deleted.
                '--ledger_table': names.tableName('batch-ledger'),
              }),
        },
      });
      job.addResourceDependency(security.configuration);
      if (planStep) job.node.addDependency(roles[step as GluePlanStep]);
      else job.node.addDependency(this.maskPolicy);
      jobs[step] = job;
    }
    this.jobs = jobs;
  }

  /** S3 and KMS of the folders a step's templates read and write, and the catalog of the tables it registers. */
  #dataStatements(access: GluePlanStepAccess, props: GluePipelineJobsProps): iam.PolicyStatement[] {
    const { names } = props;
    const objects = (prefixes: readonly ZonePrefix[]): string[] => prefixes.map(({ zone, prefix }) => `${names.bucketArn(zone)}/${prefix}*`);
    const listed = [...new Set([...access.reads, ...access.writes].map(({ zone }) => zone))];
    const statements = [
      new iam.PolicyStatement({
        sid: 'ListZoneFolders',
        actions: ['s3:ListBucket'],
        resources: listed.map((zone) => names.bucketArn(zone)),
        conditions: { StringLike: { 's3:prefix': [...new Set([...access.reads, ...access.writes].map(({ prefix }) => `${prefix}*`))] } },
      }),
      new iam.PolicyStatement({ sid: 'ReadSourceFolders', actions: ['s3:GetObject'], resources: objects(access.reads) }),
      new iam.PolicyStatement({ sid: 'WriteOutputFolders', actions: [...WRITE_OBJECT_ACTIONS], resources: objects(access.writes) }),
      new iam.PolicyStatement({ sid: 'UseLakeKey', actions: [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS], resources: [props.lakeKeyArn] }),
      // The system bucket (under the lake key too): only the manifest folders of its inputs and outputs.
      new iam.PolicyStatement({
        sid: 'ListManifestFolders',
        actions: ['s3:ListBucket'],
        resources: [names.bucketArn('system')],
        conditions: { StringLike: { 's3:prefix': [...new Set([...access.manifests.reads, ...access.manifests.writes])].map((prefix) => `${prefix}*`) } },
      }),
      new iam.PolicyStatement({ sid: 'ReadInputManifests', actions: ['s3:GetObject'], resources: access.manifests.reads.map((prefix) => `${names.bucketArn('system')}/${prefix}*`) }),
      new iam.PolicyStatement({ sid: 'PublishManifests', actions: ['s3:GetObject', 's3:PutObject'], resources: access.manifests.writes.map((prefix) => `${names.bucketArn('system')}/${prefix}*`) }),
    ];
    if (access.partitions.length > 0) {
      const zones = [...new Set(access.partitions.map(({ zone }) => zone))];
      statements.push(
        new iam.PolicyStatement({
          sid: 'RegisterPartitions',
          actions: [...PARTITION_REGISTRATION_ACTIONS],
          resources: [
            names.glueCatalogArn,
            ...zones.map((zone) => names.glueDatabaseArn(zone)),
            ...access.partitions.map(({ zone, table }) => `arn:${names.partition}:glue:${names.region}:${names.account}:table/${names.glueDatabaseName(zone)}/${table}`),
          ],
        }),
        new iam.PolicyStatement({ sid: 'LakeFormationCredentialVending', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
      );
    }
    return statements;
  }

  #acknowledgeJobRole(role: iam.Role, step: GluePlanStep, access: GluePlanStepAccess, props: GluePipelineJobsProps): void {
    const { names } = props;
    const folders = [...access.reads, ...access.writes].map(({ zone, prefix }) => `AwsSolutions-IAM5[Resource::${names.bucketArn(zone)}/${prefix}*]`);
    acknowledgeNagFindings(role, folders, `The ${step} job reads and writes partitions (business_date=...) of the dataset folders its plan templates name, and nothing else.`);
    const manifestFolders = [...new Set([...access.manifests.reads, ...access.manifests.writes])].map((prefix) => `AwsSolutions-IAM5[Resource::${names.bucketArn('system')}/${prefix}*]`);
    acknowledgeNagFindings(role, manifestFolders, `The ${step} job reads its inputs' manifests and publishes its outputs' (one file per business date) in the manifest folders its plan templates name, and nothing else of the system bucket.`);
    acknowledgeNagFindings(
      role,
      [`AwsSolutions-IAM5[Resource::${glueLogGroupsArn(names)}]`],
      'Glue names a job run’s log groups and streams under /aws-glue/ at run time; the grant covers that prefix of this account and region only.',
    );
    const vending = access.partitions.length > 0 ? ' lakeformation:GetDataAccess has none either; Lake Formation grants decide which data is vended.' : '';
    acknowledgeNagFindings(role, ['AwsSolutions-IAM5[Resource::*]'], `${METRICS_WILDCARD_REASON}${vending}`);
  }

  #partitionGrants(role: iam.Role, step: GluePlanStep, access: GluePlanStepAccess, names: PlatformNames): lakeformation.CfnPrincipalPermissions[] {
    return access.partitions.map(({ zone, table }) => {
      const grant = new lakeformation.CfnPrincipalPermissions(this, `${step}-${zone}-${table}-grant`, {
        catalog: names.account,
        principal: { dataLakePrincipalIdentifier: role.roleArn },
        resource: { table: { catalogId: names.account, databaseName: names.glueDatabaseName(zone), name: table } },
        permissions: [...JOB_TABLE_PERMISSIONS],
        permissionsWithGrantOption: [],
      });
      grant.node.addDependency(role);
      return grant;
    });
  }
}
