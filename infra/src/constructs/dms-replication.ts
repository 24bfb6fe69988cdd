import { Stack } from 'aws-cdk-lib';
import * as dms from 'aws-cdk-lib/aws-dms';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DMS_STAGING_FOLDER, INITIAL_PARTITION_BOUND, REPLICA_TABLES, dmsFullLoadTask, dmsS3SourceSettings } from '@cur/replication';
import { Construct } from 'constructs';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';

/** The DMS engine version: reading Parquet from an S3 source needs 3.5.3 or later. @default */
export const DMS_ENGINE_VERSION = '3.5.4';

/** The replication instance's storage (task logs and cached changes only: a full load streams). @default */
export const DMS_ALLOCATED_STORAGE_GIB = 50;

/** Properties of {@link DmsReplication}. */
export interface DmsReplicationProps {
  /** `cur-<stage>`: names the instance, endpoints, subnet group and roles. */
  readonly resourcePrefix: string;
  /** The task's resource identifier, so its ARN is known before deployment (`PlatformNames.dmsTaskIdentifier`). */
  readonly taskIdentifier: string;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly instanceClass: string;
  readonly multiAz: boolean;
  /** The lake key: the instance's storage, and the staged Parquet files and the secret DMS decrypts. */
  readonly key: kms.IKey;
  /** The system bucket, where the replicator stages each date's files under {@link DMS_STAGING_FOLDER}. */
  readonly stagingBucketName: string;
  readonly stagingBucketArn: string;
  /** The Oracle replica. */
  readonly oracleSecret: secretsmanager.ISecret;
  readonly databaseName: string;
}

/**
 * AWS DMS between the lake and the Oracle replica, everything generated from the contracts by libs/replication:
 *
 * - a replication instance (not DMS Serverless: the replicator drives one task with ModifyReplicationTask and
 *   StartReplicationTask, which serverless replication configs do not have) in the isolated subnets, not public,
 *   its storage under the lake key;
 * - the S3 source endpoint: Parquet under the system bucket's staging folder, described by the external table
 *   definition `dmsS3SourceSettings` generates, read through a role that may read only that folder;
 * - the Oracle target endpoint, whose credentials DMS reads from the replica owner's secret through a role that may
 *   read only that secret;
 * - the full-load task with the generated settings and a date's table mappings. As created it selects the day
 *   before the first partition (nothing): each run sets its own date's mappings before it starts the task.
 */
export class DmsReplication extends Construct {
  public readonly instance: dms.CfnReplicationInstance;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly sourceEndpoint: dms.CfnEndpoint;
  public readonly targetEndpoint: dms.CfnEndpoint;
  public readonly task: dms.CfnReplicationTask;
  /** The role the S3 source endpoint reads the staged files with. */
  public readonly sourceAccessRole: iam.Role;
  /** The role the Oracle target endpoint reads its secret with. */
  public readonly secretAccessRole: iam.Role;

  constructor(scope: Construct, id: string, props: DmsReplicationProps) {
    super(scope, id);
    const { resourcePrefix } = props;
    const region = Stack.of(this).region;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'DMS replication instance of the Oracle replica',
      // Isolated subnets: outbound traffic can only reach the VPC's endpoints (S3, Secrets Manager) and the database.
      allowAllOutbound: true,
    });
    const subnetGroup = new dms.CfnReplicationSubnetGroup(this, 'SubnetGroup', {
      replicationSubnetGroupIdentifier: `${resourcePrefix}-replica`,
      replicationSubnetGroupDescription: `CUR ${resourcePrefix} Oracle replica: isolated subnets`,
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
    });
    this.instance = new dms.CfnReplicationInstance(this, 'Instance', {
      replicationInstanceIdentifier: `${resourcePrefix}-replica`,
      replicationInstanceClass: props.instanceClass,
      engineVersion: DMS_ENGINE_VERSION,
      allocatedStorage: DMS_ALLOCATED_STORAGE_GIB,
      multiAz: props.multiAz,
      publiclyAccessible: false,
      kmsKeyId: props.key.keyArn,
      replicationSubnetGroupIdentifier: subnetGroup.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      autoMinorVersionUpgrade: true,
    });

    const stagedObjects = `${props.stagingBucketArn}/${DMS_STAGING_FOLDER}/*`;
    this.sourceAccessRole = new iam.Role(this, 'SourceAccessRole', {
      roleName: `${resourcePrefix}-dms-source-access`,
      description: 'DMS reads the staged Parquet files of the Oracle replica',
      assumedBy: new iam.ServicePrincipal('dms.amazonaws.com'),
      inlinePolicies: {
        ReadStagedFiles: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'ReadStagedObjects', actions: ['s3:GetObject'], resources: [stagedObjects] }),
            new iam.PolicyStatement({
              sid: 'ListStagingFolder',
              actions: ['s3:ListBucket'],
              resources: [props.stagingBucketArn],
              conditions: { StringLike: { 's3:prefix': [`${DMS_STAGING_FOLDER}/*`] } },
            }),
            new iam.PolicyStatement({ sid: 'DecryptUnderLakeKey', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [props.key.keyArn] }),
          ],
        }),
      },
    });
    acknowledgeNagFinding(
      this.sourceAccessRole,
      `AwsSolutions-IAM5[Resource::${stagedObjects}]`,
      'The replicator stages each business date under new object keys; the grant is limited to the DMS staging folder of the system bucket.',
    );

    this.secretAccessRole = new iam.Role(this, 'SecretAccessRole', {
      roleName: `${resourcePrefix}-dms-secret-access`,
      description: 'DMS reads the Oracle replica owner secret',
      assumedBy: new iam.ServicePrincipal(`dms.${region}.amazonaws.com`),
    });
    props.oracleSecret.grantRead(this.secretAccessRole);

    const source = dmsS3SourceSettings(REPLICA_TABLES, {
      bucketName: props.stagingBucketName,
      serviceAccessRoleArn: this.sourceAccessRole.roleArn,
    });
    this.sourceEndpoint = new dms.CfnEndpoint(this, 'S3Source', {
      endpointIdentifier: `${resourcePrefix}-lake-source`,
      endpointType: 'source',
      engineName: 's3',
      s3Settings: {
        bucketName: source.BucketName,
        bucketFolder: source.BucketFolder,
        serviceAccessRoleArn: source.ServiceAccessRoleArn,
        dataFormat: source.DataFormat,
        externalTableDefinition: source.ExternalTableDefinition,
      },
    });
    this.targetEndpoint = new dms.CfnEndpoint(this, 'OracleTarget', {
      endpointIdentifier: `${resourcePrefix}-oracle-target`,
      endpointType: 'target',
      engineName: 'oracle',
      databaseName: props.databaseName,
      oracleSettings: {
        secretsManagerSecretId: props.oracleSecret.secretArn,
        secretsManagerAccessRoleArn: this.secretAccessRole.roleArn,
      },
    });
    this.targetEndpoint.node.addDependency(this.secretAccessRole);

    // The day before the first partition: the task as created selects no row; each run sets its date.
    const initial = dmsFullLoadTask(REPLICA_TABLES, dayBefore(INITIAL_PARTITION_BOUND));
    this.task = new dms.CfnReplicationTask(this, 'FullLoadTask', {
      resourceIdentifier: props.taskIdentifier,
      replicationTaskIdentifier: props.taskIdentifier,
      replicationInstanceArn: this.instance.ref,
      sourceEndpointArn: this.sourceEndpoint.ref,
      targetEndpointArn: this.targetEndpoint.ref,
      migrationType: initial.MigrationType,
      tableMappings: JSON.stringify(initial.TableMappings),
      replicationTaskSettings: JSON.stringify(initial.ReplicationTaskSettings),
    });
  }
}

/** `YYYY-MM-DD` minus one day. */
function dayBefore(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}
