import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { DmsReplication } from '../constructs/dms-replication';
import { ORACLE_PORT, ORACLE_TLS_PORT, OracleDatabase } from '../constructs/oracle-database';
import { ReplicaNetwork } from '../constructs/replica-network';

/** Properties of {@link OracleReplicaStack}. */
export interface OracleReplicaStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
}

/**
 * The Oracle replica (issue 16), owned by the data platform team: the VPC, RDS for Oracle with its secrets, and DMS.
 * It deploys after the platform stack (it reads the lake key's ARN from SSM) and before the oracle-replicator's
 * stack, which reads what this stack writes to SSM (connect string, subnets, the replicator's security group) at
 * deploy time: no CloudFormation exports between stacks.
 */
export class OracleReplicaStack extends Stack {
  public readonly network: ReplicaNetwork;
  public readonly database: OracleDatabase;
  public readonly replication: DmsReplication;
  /** The oracle-replicator Lambda's security group, admitted to the database. */
  public readonly replicatorSecurityGroup: ec2.SecurityGroup;
  readonly #availabilityZones: readonly string[];

  constructor(scope: Construct, id: string, props: OracleReplicaStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: Oracle replica (VPC, RDS for Oracle, secrets, DMS)`, ...props });
    const { config, names } = props;
    this.#availabilityZones = config.network.availabilityZones;
    const lakeKey = kms.Key.fromKeyArn(this, 'LakeKey', ssm.StringParameter.valueForStringParameter(this, names.keyArnParameterName('lake')));

    this.network = new ReplicaNetwork(this, 'Network', {
      resourcePrefix: names.resourcePrefix,
      cidr: config.network.cidr,
      availabilityZones: config.network.availabilityZones,
      logRetentionDays: config.retention.logRetentionDays,
    });
    const { vpc, isolatedSubnets } = this.network;

    this.database = new OracleDatabase(this, 'Database', {
      instanceIdentifier: `${names.resourcePrefix}-replica`,
      vpc,
      subnets: isolatedSubnets,
      key: lakeKey,
      databaseName: config.oracle.databaseName,
      instanceType: config.oracle.instanceType,
      multiAz: config.oracle.multiAz,
      allocatedStorageGiB: config.oracle.allocatedStorageGiB,
      backupRetentionDays: config.oracle.backupRetentionDays,
      secretRotationDays: config.oracle.secretRotationDays,
      adminSecretName: names.oracleAdminSecretName,
      replicaOwnerSecretName: names.oracleReplicaOwnerSecretName,
      logRetentionDays: config.retention.logRetentionDays,
    });

    this.replication = new DmsReplication(this, 'Dms', {
      resourcePrefix: names.resourcePrefix,
      taskIdentifier: names.dmsTaskIdentifier,
      vpc,
      subnets: isolatedSubnets,
      instanceClass: config.oracle.dmsInstanceClass,
      multiAz: config.oracle.multiAz,
      key: lakeKey,
      stagingBucketName: names.bucketName('system'),
      stagingBucketArn: names.bucketArn('system'),
      oracleSecret: this.database.replicaOwnerSecret,
      databaseName: config.oracle.databaseName,
    });
    this.database.admit(this.replication.securityGroup, 'the DMS replication instance');

    this.replicatorSecurityGroup = new ec2.SecurityGroup(this, 'ReplicatorSecurityGroup', {
      vpc,
      securityGroupName: `${names.resourcePrefix}-oracle-replicator`,
      description: 'The oracle-replicator Lambda: reaches the database and the VPC endpoints',
      // Isolated subnets: outbound traffic can only reach the VPC's endpoints and the database.
      allowAllOutbound: true,
    });
    this.database.admitTls(this.replicatorSecurityGroup, 'the oracle-replicator Lambda');

    const parameters = names.oracleParameterNames;
    const address = this.database.instance.dbInstanceEndpointAddress;
    const parameter = (id: string, parameterName: string, description: string, stringValue: string): void => {
      new ssm.StringParameter(this, id, { parameterName, description, stringValue });
    };
    parameter('ConnectString', parameters.connectString, 'Oracle replica over TLS as tcps://host:port/service (CUR_ORACLE_CONNECT_STRING)', `tcps://${address}:${ORACLE_TLS_PORT}/${config.oracle.databaseName}`);
    parameter(
      'Connection',
      parameters.connection,
      'Oracle replica: host, port, service name and the names of its credentials secrets (never the credentials)',
      Stack.of(this).toJsonString({
        host: address,
        port: ORACLE_PORT,
        tlsPort: ORACLE_TLS_PORT,
        serviceName: config.oracle.databaseName,
        replicaOwnerSecretName: names.oracleReplicaOwnerSecretName,
        adminSecretName: names.oracleAdminSecretName,
        dmsTaskArn: names.dmsTaskArn,
      }),
    );
    parameter('VpcId', parameters.vpcId, 'The Oracle replica VPC', vpc.vpcId);
    parameter('ReplicatorSecurityGroupId', parameters.replicatorSecurityGroupId, 'Security group of the oracle-replicator Lambda', this.replicatorSecurityGroup.securityGroupId);
    vpc.selectSubnets(isolatedSubnets).subnets.forEach((subnet, index) => {
      const zone = subnet.availabilityZone;
      parameter(`SubnetId${index}`, parameters.subnetId(zone), `Isolated subnet of the Oracle replica VPC in ${zone}`, subnet.subnetId);
    });
  }

  /** The stage config's zones: the VPC checks its zones against the stack's, which would otherwise be looked up. */
  override get availabilityZones(): string[] {
    return [...this.#availabilityZones];
  }
}
