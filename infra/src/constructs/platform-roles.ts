import { HUMAN_READABLE_ZONES, HUMAN_ROLES, ROLE_DESCRIPTIONS, ZONES } from '@cur/contracts';
import type { HumanRole } from '@cur/contracts';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyPurpose, PlatformNames } from '../config/platform-names';
import { BUCKET_KEYS, BUCKET_NAMES, KEY_PURPOSES, SYSTEM_ONLY_KEY_PURPOSES } from '../config/platform-names';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import { KEY_USE_ACTIONS } from './lake-keys';

/** How long a human role session lasts. */
export const HUMAN_SESSION_DURATION = Duration.hours(4);

/** Read-only Glue Data Catalog actions a human role needs to see databases and tables it has LF grants on. */
export const CATALOG_READ_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
] as const;

/** Catalog actions the pipeline needs to maintain partitions and table metadata. */
export const CATALOG_WRITE_ACTIONS = [
  'glue:CreatePartition',
  'glue:BatchCreatePartition',
  'glue:UpdatePartition',
  'glue:DeletePartition',
  'glue:BatchDeletePartition',
  'glue:UpdateTable',
] as const;

/** Buckets holding plaintext: a human role is denied them outright, whatever else an account policy says. */
export const PLAINTEXT_BUCKETS = BUCKET_NAMES.filter((bucket) => SYSTEM_ONLY_KEY_PURPOSES.includes(BUCKET_KEYS[bucket]));

/** Properties of {@link PlatformRoles}. */
export interface PlatformRolesProps {
  readonly names: PlatformNames;
  readonly keys: Readonly<Record<KeyPurpose, kms.IKey>>;
  /** Who may assume each human role (SSO permission-set roles, or account roots for a sandbox). */
  readonly humanRolePrincipals: Readonly<Record<HumanRole, readonly string[]>>;
}

/**
 * The IAM roles of the five human roles and of SYSTEM (the pipeline's jobs). Human roles reach data only through
 * Lake Formation (credential vending): they hold no S3 or KMS permission, and are explicitly denied the plaintext
 * buckets and the SYSTEM-only keys. SYSTEM is named `cur-<stage>-system-pipeline`, whose exact ARN the SYSTEM-only
 * key policies list.
 */
export class PlatformRoles extends Construct {
  /** One role per human role. */
  public readonly humanRoles: Readonly<Record<HumanRole, iam.Role>>;
  /** The pipeline's SYSTEM role (Glue jobs: masking, ETL). */
  public readonly systemRole: iam.Role;

  constructor(scope: Construct, id: string, props: PlatformRolesProps) {
    super(scope, id);
    const { names, keys } = props;

    const humanRoles = {} as Record<HumanRole, iam.Role>;
    for (const role of HUMAN_ROLES) {
      humanRoles[role] = this.#humanRole(role, props);
    }
    this.humanRoles = humanRoles;

    this.systemRole = new iam.Role(this, 'SystemRole', {
      roleName: names.systemRoleName,
      description: `CUR ${names.stage} SYSTEM: ${ROLE_DESCRIPTIONS.SYSTEM}`,
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
    });
    const system = this.systemRole;
    system.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListLakeBuckets',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: BUCKET_NAMES.map((bucket) => names.bucketArn(bucket)),
      }),
    );
    system.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteLakeObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: BUCKET_NAMES.map((bucket) => `${names.bucketArn(bucket)}/*`),
      }),
    );
    system.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UseLakeKeys',
        actions: [...KEY_USE_ACTIONS],
        resources: KEY_PURPOSES.map((purpose) => keys[purpose].keyArn),
      }),
    );
    system.addToPolicy(
      new iam.PolicyStatement({
        sid: 'MaintainCatalog',
        actions: [...CATALOG_READ_ACTIONS, ...CATALOG_WRITE_ACTIONS],
        resources: [names.glueCatalogArn, ...ZONES.flatMap((zone) => [names.glueDatabaseArn(zone), names.glueTablesArn(zone)])],
      }),
    );
    system.addToPolicy(
      new iam.PolicyStatement({ sid: 'LakeFormationCredentialVending', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
    );
    system.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteGlueJobLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`arn:${names.partition}:logs:${names.region}:${names.account}:log-group:/aws-glue/*`],
      }),
    );
    acknowledgeNagFindings(
      system,
      BUCKET_NAMES.map((bucket) => `AwsSolutions-IAM5[Resource::${names.bucketArn(bucket)}/*]`),
      'SYSTEM masks and transforms every object of its own stage buckets; object keys are per batch and not known in advance.',
    );
    acknowledgeNagFindings(
      system,
      ZONES.map((zone) => `AwsSolutions-IAM5[Resource::${names.glueTablesArn(zone)}]`),
      'The pipeline maintains partitions of every table of its own zone databases; tables are derived from the contracts lib.',
    );
    acknowledgeNagFindings(
      system,
      ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]'],
      'Envelope encryption needs every GenerateDataKey and ReEncrypt variant, and only on the three stage keys named in the statement.',
    );
    acknowledgeNagFindings(
      system,
      ['AwsSolutions-IAM5[Resource::*]'],
      'lakeformation:GetDataAccess has no resource-level permissions; Lake Formation grants decide which data is vended.',
    );
    acknowledgeNagFindings(
      system,
      [`AwsSolutions-IAM5[Resource::arn:${names.partition}:logs:${names.region}:${names.account}:log-group:/aws-glue/*]`],
      'Glue names its job log groups under /aws-glue/ at run time; the grant covers only that prefix in this account and region.',
    );
  }

  #humanRole(role: HumanRole, props: PlatformRolesProps): iam.Role {
    const { names, keys } = props;
    const principals = props.humanRolePrincipals[role].map((arn) => new iam.ArnPrincipal(arn));
    const humanRole = new iam.Role(this, `${role}Role`, {
      roleName: names.humanRoleName(role),
      description: `CUR ${names.stage} ${role}: ${ROLE_DESCRIPTIONS[role]}; masked data only, through Lake Formation`,
      assumedBy: new iam.CompositePrincipal(...principals),
      maxSessionDuration: HUMAN_SESSION_DURATION,
    });
    humanRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCatalogOfReadableZones',
        actions: [...CATALOG_READ_ACTIONS],
        resources: [
          names.glueCatalogArn,
          ...HUMAN_READABLE_ZONES.flatMap((zone) => [names.glueDatabaseArn(zone), names.glueTablesArn(zone)]),
        ],
      }),
    );
    humanRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'LakeFormationCredentialVending', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
    );
    humanRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DenyPlaintextBuckets',
        effect: iam.Effect.DENY,
        actions: ['s3:*'],
        resources: PLAINTEXT_BUCKETS.flatMap((bucket) => [names.bucketArn(bucket), `${names.bucketArn(bucket)}/*`]),
      }),
    );
    humanRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DenySystemOnlyKeys',
        effect: iam.Effect.DENY,
        actions: ['kms:*'],
        resources: SYSTEM_ONLY_KEY_PURPOSES.map((purpose) => keys[purpose].keyArn),
      }),
    );
    acknowledgeNagFindings(
      humanRole,
      HUMAN_READABLE_ZONES.map((zone) => `AwsSolutions-IAM5[Resource::${names.glueTablesArn(zone)}]`),
      'Catalog metadata of every table in the human-readable zones; Lake Formation grants decide which tables and columns are visible.',
    );
    acknowledgeNagFindings(
      humanRole,
      ['AwsSolutions-IAM5[Resource::*]'],
      'lakeformation:GetDataAccess has no resource-level permissions; Lake Formation grants decide which data is vended.',
    );
    return humanRole;
  }
}
