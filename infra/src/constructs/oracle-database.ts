import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';

/** Oracle's plain TCP listener port: DMS's target endpoint only (see {@link ORACLE_TLS_PORT}). @default */
export const ORACLE_PORT = 1521;

/** The TLS listener of RDS's `SSL` option: the replicator connects here with `tcps://`. @default */
export const ORACLE_TLS_PORT = 2484;

/** The CA that signs the instance's server certificate; Lambda trusts it through `/var/runtime/ca-cert.pem`. @default */
export const ORACLE_CA_CERTIFICATE = rds.CaCertificate.RDS_CA_RSA2048_G1;

/**
 * RDS's `SSL` option: TLS 1.2 only, with forward-secret AES-GCM suites (RDS's `SQLNET.CIPHER_SUITE` setting takes
 * one suite name).
 */
export const ORACLE_SSL_OPTION_SETTINGS = {
  'SQLNET.SSL_VERSION': '1.2',
  'SQLNET.CIPHER_SUITE': 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'FIPS.SSLFIPS_140': 'FALSE',
} as const;

/** RDS's master user: the DBA's, for the one-off DDL (`cur replicate --ddl`), never a service's. */
export const ORACLE_ADMIN_USERNAME = 'CUR_ADMIN';

/**
 * The user that owns the replica's tables (libs/replication `DEFAULT_ORACLE_SCHEMA`) and that DMS and the
 * replicator log in as. Its secret is generated here; the DBA creates the user with that password.
 */
export const ORACLE_REPLICA_OWNER = 'CUR_REPLICA';

/** The database's log files published to CloudWatch Logs. */
export const ORACLE_LOG_EXPORTS = ['alert', 'audit', 'listener', 'trace'] as const;

/** Properties of {@link OracleDatabase}. */
export interface OracleDatabaseProps {
  readonly instanceIdentifier: string;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** The platform's lake key: storage, Performance Insights, both secrets. */
  readonly key: kms.IKey;
  readonly databaseName: string;
  readonly instanceType: string;
  readonly multiAz: boolean;
  readonly allocatedStorageGiB: number;
  readonly backupRetentionDays: number;
  readonly secretRotationDays: number;
  readonly adminSecretName: string;
  readonly replicaOwnerSecretName: string;
  readonly logRetentionDays: number;
}

/**
 * RDS for Oracle Standard Edition 2, license included, holding the replica (user stories 5.2.1 and 5.2.2):
 * AL32UTF8 (Chinese text in `VARCHAR2(n CHAR)`), storage encrypted with the lake key, no public access, in the
 * isolated subnets behind its own security group (nothing is admitted until {@link admit}), deletion-protected and
 * retained, logs in CloudWatch. Two secrets, both encrypted with the lake key and rotated by Secrets Manager's hosted
 * Oracle single-user rotation inside the VPC: the master user's, and the replica owner's.
 */
export class OracleDatabase extends Construct {
  public readonly instance: rds.DatabaseInstance;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly adminSecret: secretsmanager.ISecret;
  public readonly replicaOwnerSecret: rds.DatabaseSecret;
  /** The option group carrying the `SSL` option (the TLS listener on {@link ORACLE_TLS_PORT}). */
  public readonly optionGroup: rds.OptionGroup;
  /** The group of the rotation functions, admitted to the listener. */
  public readonly rotationSecurityGroup: ec2.SecurityGroup;
  /** The CloudWatch log groups of {@link ORACLE_LOG_EXPORTS}, retained. */
  public readonly logGroups: readonly logs.LogGroup[];

  constructor(scope: Construct, id: string, props: OracleDatabaseProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'RDS for Oracle replica: the listener, for the members admitted one by one',
      allowAllOutbound: false,
    });
    this.rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: props.vpc,
      description: 'Secrets Manager rotation functions of the Oracle secrets',
      // Isolated subnets: outbound traffic can only reach the VPC's endpoints and the database.
      allowAllOutbound: true,
    });

    const engine = rds.DatabaseInstanceEngine.oracleSe2({ version: rds.OracleEngineVersion.VER_19 });
    this.optionGroup = new rds.OptionGroup(this, 'Options', {
      engine,
      description: `${props.instanceIdentifier}: TLS listener (SSL option) on port ${ORACLE_TLS_PORT}`,
      configurations: [{ name: 'SSL', port: ORACLE_TLS_PORT, vpc: props.vpc, securityGroups: [this.securityGroup], settings: { ...ORACLE_SSL_OPTION_SETTINGS } }],
    });
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      instanceIdentifier: props.instanceIdentifier,
      engine,
      optionGroup: this.optionGroup,
      caCertificate: ORACLE_CA_CERTIFICATE,
      licenseModel: rds.LicenseModel.LICENSE_INCLUDED,
      instanceType: new ec2.InstanceType(props.instanceType),
      databaseName: props.databaseName,
      characterSetName: 'AL32UTF8',
      port: ORACLE_PORT,
      credentials: rds.Credentials.fromGeneratedSecret(ORACLE_ADMIN_USERNAME, { secretName: props.adminSecretName, encryptionKey: props.key }),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      publiclyAccessible: false,
      multiAz: props.multiAz,
      storageEncrypted: true,
      storageEncryptionKey: props.key,
      allocatedStorage: props.allocatedStorageGiB,
      storageType: rds.StorageType.GP3,
      backupRetention: Duration.days(props.backupRetentionDays),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      cloudwatchLogsExports: [...ORACLE_LOG_EXPORTS],
    });
    // The log groups RDS writes to, made here with retention (instead of CDK's log-retention function).
    this.logGroups = ORACLE_LOG_EXPORTS.map(
      (log) =>
        new logs.LogGroup(this, `${log.charAt(0).toUpperCase()}${log.slice(1)}Log`, {
          logGroupName: `/aws/rds/instance/${props.instanceIdentifier}/${log}`,
          retention: props.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );
    for (const group of this.logGroups) this.instance.node.addDependency(group);
    this.adminSecret = this.instance.secret as secretsmanager.ISecret;

    this.replicaOwnerSecret = new rds.DatabaseSecret(this, 'ReplicaOwnerSecret', {
      username: ORACLE_REPLICA_OWNER,
      secretName: props.replicaOwnerSecretName,
      encryptionKey: props.key,
      // Oracle passwords: no quotes, no characters a connect descriptor or SQL*Plus would misread.
      excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
    });
    // Adds host, port, engine and database name, as DMS's Oracle endpoint and the replicator read them.
    const replicaOwnerAttached = this.replicaOwnerSecret.attach(this.instance);

    const rotation = (secret: secretsmanager.ISecret, name: string): void => {
      secret.addRotationSchedule(`${name}Rotation`, {
        hostedRotation: secretsmanager.HostedRotation.oracleSingleUser({
          functionName: `${props.instanceIdentifier}-${name.toLowerCase()}-rotation`,
          vpc: props.vpc,
          vpcSubnets: props.subnets,
          securityGroups: [this.rotationSecurityGroup],
        }),
        automaticallyAfter: Duration.days(props.secretRotationDays),
        // The replica owner exists once the DBA has run the DDL; the first rotation waits for its schedule.
        rotateImmediatelyOnUpdate: false,
      });
    };
    rotation(this.adminSecret, 'Admin');
    rotation(replicaOwnerAttached, 'ReplicaOwner');
    this.admit(this.rotationSecurityGroup, 'the secrets rotation functions');

    acknowledgeNagFinding(
      this.instance,
      'AwsSolutions-RDS11',
      'Oracle listens on its default ports (1521, and 2484 for TLS): the database is in isolated subnets and its security group admits only the replicator (TLS), DMS and the rotation functions, so other ports would hide nothing.',
    );
    if (!props.multiAz) {
      acknowledgeNagFinding(
        this.instance,
        'AwsSolutions-RDS3',
        'Multi-AZ comes from the stage config (oracle.multiAz): off in dev, where the replica can be reloaded from the lake; uat and prod set it.',
      );
    }
  }

  /** Lets one security group reach the plain listener (DMS, the rotation functions: see infra/README.md). */
  admit(peer: ec2.ISecurityGroup, who: string): void {
    this.securityGroup.addIngressRule(peer, ec2.Port.tcp(ORACLE_PORT), `Oracle listener from ${who}`);
  }

  /** Lets one security group reach the TLS listener only. */
  admitTls(peer: ec2.ISecurityGroup, who: string): void {
    this.securityGroup.addIngressRule(peer, ec2.Port.tcp(ORACLE_TLS_PORT), `Oracle TLS listener from ${who}`);
  }
}
