import { ZONES } from '@cur/contracts';
import type { HumanRole, TableName, TopicName, Zone } from '@cur/contracts';
import type { AppName, PrincipalClass } from './apps';
import { APP_NAMES, APP_SPECS } from './apps';
import type { StageConfig } from './stage-config';

/**
 * Buckets beside the zones: bad batches, and the platform's own records (manifests, run logs). The same list as
 * `EXTRA_BUCKETS` in libs/runtime `create-runtime.ts`, which infra may not import (type:runtime); a unit test
 * compares the two.
 */
export const EXTRA_BUCKETS = ['quarantine', 'system'] as const;

/** A zone or an extra bucket: every bucket the runtime addresses as `<bucketPrefix>-<name>`. */
export type BucketName = Zone | (typeof EXTRA_BUCKETS)[number];

/** Every bucket the runtime uses, zones first. */
export const BUCKET_NAMES: readonly BucketName[] = [...ZONES, ...EXTRA_BUCKETS];

/** The suffix of the server access log bucket (not used by the runtime). */
export const ACCESS_LOG_BUCKET_SUFFIX = 'access-logs';

/**
 * The customer-managed KMS keys, one per sensitivity: `landing` (plaintext extracts and quarantined batches),
 * `lake` (masked zones, ledger, serving store, topics), `keys` (masking key material and the detokenization audit).
 */
export const KEY_PURPOSES = ['landing', 'lake', 'keys'] as const;

/** One key purpose. */
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** Keys only SYSTEM principals may use for cryptography. */
export const SYSTEM_ONLY_KEY_PURPOSES: readonly KeyPurpose[] = ['landing', 'keys'];

/** Which key encrypts each bucket: plaintext lives only under the landing key. */
export const BUCKET_KEYS: Readonly<Record<BucketName, KeyPurpose>> = {
  landing: 'landing',
  quarantine: 'landing',
  raw: 'lake',
  transformed: 'lake',
  consumption: 'lake',
  mart: 'lake',
  system: 'lake',
};

/** Which key encrypts each table. */
export const TABLE_KEYS: Readonly<Record<TableName, KeyPurpose>> = {
  'batch-ledger': 'lake',
  serving: 'lake',
  'masking-keys': 'keys',
  'audit-log': 'keys',
  'dq-alerts': 'lake',
  'pipeline-triggers': 'lake',
  'model-history': 'lake',
};

/** SNS topics carry masked messages only. */
export const TOPIC_KEY: KeyPurpose = 'lake';

/** The AWS partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Every physical name of one stage, derived from its config by the runtime's conventions (libs/platform
 * `platform-config.ts`): buckets `<bucketPrefix>-<bucket>`, tables `<tablePrefix>-<logical>`, topics
 * `<topicArnPrefix>-<logical>`, each prefix `cur-<stage>` by default. Stacks share names, not CloudFormation
 * exports, so each stack deploys on its own; the only run-time lookups are the key ARNs, read from SSM.
 */
export class PlatformNames {
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** `CUR_BUCKET_PREFIX`. */
  readonly bucketPrefix: string;
  /** `CUR_TABLE_PREFIX`. */
  readonly tablePrefix: string;
  readonly topicPrefix: string;
  /** `CUR_TOPIC_ARN_PREFIX`, e.g. `arn:aws:sns:ap-northeast-1:123456789012:cur-dev`. */
  readonly topicArnPrefix: string;
  /** Prefix of every IAM role, function, stack and alias of the stage. */
  readonly resourcePrefix: string;
  /** `CUR_EVENT_BUS`: the EventBridge bus of platform events (`cur.platform`), the runtime's default `cur-<stage>`. */
  readonly eventBusName: string;

  constructor(config: StageConfig) {
    this.stage = config.stage;
    this.account = config.account;
    this.region = config.region;
    this.partition = partitionOf(config.region);
    this.resourcePrefix = `cur-${config.stage}`;
    this.bucketPrefix = config.naming.bucketPrefix ?? this.resourcePrefix;
    this.tablePrefix = config.naming.tablePrefix ?? this.resourcePrefix;
    this.topicPrefix = config.naming.topicPrefix ?? this.resourcePrefix;
    this.topicArnPrefix = `arn:${this.partition}:sns:${this.region}:${this.account}:${this.topicPrefix}`;
    this.eventBusName = this.resourcePrefix;
  }

  bucketName(bucket: BucketName): string {
    return `${this.bucketPrefix}-${bucket}`;
  }

  bucketArn(bucket: BucketName): string {
    return `arn:${this.partition}:s3:::${this.bucketName(bucket)}`;
  }

  get accessLogBucketName(): string {
    return `${this.bucketPrefix}-${ACCESS_LOG_BUCKET_SUFFIX}`;
  }

  tableName(table: TableName): string {
    return `${this.tablePrefix}-${table}`;
  }

  tableArn(table: TableName): string {
    return `arn:${this.partition}:dynamodb:${this.region}:${this.account}:table/${this.tableName(table)}`;
  }

  topicName(topic: TopicName): string {
    return `${this.topicPrefix}-${topic}`;
  }

  topicArn(topic: TopicName): string {
    return `${this.topicArnPrefix}-${topic}`;
  }

  get eventBusArn(): string {
    return `arn:${this.partition}:events:${this.region}:${this.account}:event-bus/${this.eventBusName}`;
  }

  /** Glue database of a zone, e.g. `cur_dev_raw` (underscores: Athena and Spark SQL dislike dashes). */
  glueDatabaseName(zone: Zone): string {
    return `cur_${this.stage.replaceAll('-', '_')}_${zone}`;
  }

  /** Glue database of the model history's exports, e.g. `cur_dev_model_history` (the system bucket is no zone). */
  get modelHistoryDatabaseName(): string {
    return `cur_${this.stage.replaceAll('-', '_')}_model_history`;
  }

  get glueCatalogArn(): string {
    return `arn:${this.partition}:glue:${this.region}:${this.account}:catalog`;
  }

  glueDatabaseArn(zone: Zone): string {
    return `arn:${this.partition}:glue:${this.region}:${this.account}:database/${this.glueDatabaseName(zone)}`;
  }

  /** Every table of a zone's database. */
  glueTablesArn(zone: Zone): string {
    return `arn:${this.partition}:glue:${this.region}:${this.account}:table/${this.glueDatabaseName(zone)}/*`;
  }

  keyAlias(purpose: KeyPurpose): string {
    return `alias/${this.resourcePrefix}/${purpose}`;
  }

  /** The SSM parameter holding a key's ARN, written by the platform stack and read by app stacks at deploy time. */
  keyArnParameterName(purpose: KeyPurpose): string {
    return `/${this.resourcePrefix}/kms/${purpose}-key-arn`;
  }

  /** The SSM parameter prefix for non-secret settings (DataHub endpoint, Oracle connection). */
  /** The SSM parameter holding the base URL of an app's HTTP API, for the apps that call it. */
  apiUrlParameterName(app: AppName): string {
    return `/${this.resourcePrefix}/apis/${app}/url`;
  }

  /** The SSM parameter holding an app's IAM-authorised function URL (see `AppSpec.iamFunctionUrl`). */
  functionUrlParameterName(app: AppName): string {
    return `/${this.resourcePrefix}/function-urls/${app}/url`;
  }

  get parameterPrefix(): string {
    return `/${this.resourcePrefix}`;
  }

  /**
   * `cur-<stage>-system-`: the name prefix of the SYSTEM roles the stage creates. A naming convention only: the
   * SYSTEM-only key policies trust the exact ARNs of {@link systemPrincipalArns}, never this prefix, because anyone
   * with `iam:CreateRole` can name a role `cur-<stage>-system-anything`.
   */
  get systemRoleNamePrefix(): string {
    return `${this.resourcePrefix}-system-`;
  }

  /**
   * The names of every SYSTEM role the stage creates: the pipeline's role (platform stack) and the role of each app
   * whose principal class is `system` (its app stack).
   */
  get systemRoleNames(): readonly string[] {
    return [this.systemRoleName, ...APP_NAMES.filter((app) => APP_SPECS[app].principalClass === 'system').map((app) => this.appRoleName(app, 'system'))];
  }

  /**
   * The exact ARNs of {@link systemRoleNames}: the only principals the SYSTEM-only key policies let use the keys,
   * matched with `StringEquals` on `aws:PrincipalArn` (no wildcard).
   */
  get systemPrincipalArns(): readonly string[] {
    return this.systemRoleNames.map((roleName) => this.roleArn(roleName));
  }

  /** The platform's own SYSTEM role (pipeline jobs: masking, ETL). */
  get systemRoleName(): string {
    return `${this.systemRoleNamePrefix}pipeline`;
  }

  humanRoleName(role: HumanRole): string {
    return `${this.resourcePrefix}-${role.toLowerCase()}`;
  }

  /** The role Lake Formation assumes to read and write registered locations. */
  get lakeFormationDataAccessRoleName(): string {
    return `${this.resourcePrefix}-lf-data-access`;
  }

  appRoleName(app: AppName, principalClass: PrincipalClass): string {
    return principalClass === 'system' ? `${this.systemRoleNamePrefix}${app}` : `${this.resourcePrefix}-svc-${app}`;
  }

  roleArn(roleName: string): string {
    return `arn:${this.partition}:iam::${this.account}:role/${roleName}`;
  }

  functionName(app: AppName): string {
    return `${this.resourcePrefix}-${app}`;
  }

  platformStackName(): string {
    return `${this.resourcePrefix}-platform`;
  }

  /** The stack of the Oracle replica: VPC, RDS for Oracle, its secrets, DMS. */
  oracleStackName(): string {
    return `${this.resourcePrefix}-oracle`;
  }

  /** The DMS full-load task's resource identifier, which DMS puts at the end of its ARN. */
  get dmsTaskIdentifier(): string {
    return `${this.resourcePrefix}-oracle-full-load`;
  }

  /** The DMS task's ARN, known before deployment because the task's resource identifier is set (`CUR_DMS_TASK_ARN`). */
  get dmsTaskArn(): string {
    return `arn:${this.partition}:dms:${this.region}:${this.account}:task:${this.dmsTaskIdentifier}`;
  }

  /** The Secrets Manager secret of the replica owner (`CUR_REPLICA`), read by the replicator and the DMS target. */
  get oracleReplicaOwnerSecretName(): string {
    return `${this.resourcePrefix}/oracle/replica-owner`;
  }

  /** The Secrets Manager secret of RDS's master user: for the DBA's one-off DDL, never for a service. */
  get oracleAdminSecretName(): string {
    return `${this.resourcePrefix}/oracle/admin`;
  }

  /** A secret's ARN pattern for IAM: Secrets Manager appends `-` and six random characters to the name. */
  secretArnPattern(secretName: string): string {
    return `arn:${this.partition}:secretsmanager:${this.region}:${this.account}:secret:${secretName}-??????`;
  }

  /** SSM parameters the oracle stack writes and the oracle-replicator's stack reads at deploy time. */
  get oracleParameterNames() {
    const prefix = `${this.parameterPrefix}/oracle`;
    return {
      /** JSON: host, port, service name, secret names (for people and jobs). */
      connection: `${prefix}/connection`,
      /** `host:port/service` (`CUR_ORACLE_CONNECT_STRING`). */
      connectString: `${prefix}/connect-string`,
      vpcId: `${prefix}/vpc-id`,
      /** The security group the database admits the replicator from. */
      replicatorSecurityGroupId: `${prefix}/replicator-security-group-id`,
      /** One isolated subnet per availability zone. */
      subnetId: (availabilityZone: string) => `${prefix}/subnet-ids/${availabilityZone}`,
    } as const;
  }

  appStackName(app: AppName): string {
    return `${this.resourcePrefix}-${app}`;
  }

  /** The role `cdk bootstrap` made for CloudFormation; it must be a Lake Formation admin to create LF resources. */
  cloudFormationExecutionRoleArn(qualifier: string): string {
    return this.roleArn(`cdk-${qualifier}-cfn-exec-role-${this.account}-${this.region}`);
  }

  /** The environment every Lambda gets, read by libs/platform `loadPlatformConfig`. */
  platformEnvironment(): Readonly<Record<string, string>> {
    return {
      CUR_MODE: 'aws',
      CUR_STAGE: this.stage,
      CUR_BUCKET_PREFIX: this.bucketPrefix,
      CUR_TABLE_PREFIX: this.tablePrefix,
      CUR_TOPIC_ARN_PREFIX: this.topicArnPrefix,
      CUR_EVENT_BUS: this.eventBusName,
    };
  }
}
