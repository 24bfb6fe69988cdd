import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The AWS APIs called from inside the replica VPC, each through an interface endpoint with private DNS: DMS (the
 * replicator modifies, starts and follows its task), Secrets Manager (the Lambda extension, the DMS target endpoint
 * and the rotation functions read the Oracle secrets), SNS (mismatch notices on `pipeline-failures`) and X-Ray (the
 * Lambda's active tracing). S3 goes through a gateway endpoint.
 */
export const REPLICA_INTERFACE_ENDPOINTS = {
  Dms: ec2.InterfaceVpcEndpointAwsService.DATABASE_MIGRATION_SERVICE,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Sns: ec2.InterfaceVpcEndpointAwsService.SNS,
  XRay: ec2.InterfaceVpcEndpointAwsService.XRAY,
} as const;

/** The size of each isolated subnet. @default */
export const REPLICA_SUBNET_CIDR_MASK = 26;

/** Properties of {@link ReplicaNetwork}. */
export interface ReplicaNetworkProps {
  /** `cur-<stage>`: names the VPC and its flow log group. */
  readonly resourcePrefix: string;
  /** The VPC's address range. */
  readonly cidr: string;
  /** One isolated subnet per zone, named explicitly so synthesis does no lookup. */
  readonly availabilityZones: readonly string[];
  readonly logRetentionDays: number;
}

/**
 * The VPC of the Oracle replica: isolated subnets only (no internet gateway, no NAT, so nothing in it can reach the
 * internet or be reached from it), the AWS APIs its members call through VPC endpoints, all traffic recorded in a
 * flow log. The default security group is stripped of its rules; every member gets its own group.
 */
export class ReplicaNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly isolatedSubnets: ec2.SubnetSelection;
  public readonly flowLogGroup: logs.LogGroup;
  public readonly endpoints: Readonly<Record<keyof typeof REPLICA_INTERFACE_ENDPOINTS, ec2.InterfaceVpcEndpoint>>;
  /** The interface endpoints' group: HTTPS from the VPC's range (isolated subnets: only the replica's members). */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ReplicaNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: `${props.resourcePrefix}-replica`,
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: REPLICA_SUBNET_CIDR_MASK }],
      restrictDefaultSecurityGroup: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    this.isolatedSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/cur/${props.resourcePrefix}/replica-vpc-flow-logs`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL });

    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [this.isolatedSubnets] });
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints of the replica VPC: HTTPS from the VPC',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(props.cidr), ec2.Port.tcp(443), 'HTTPS to AWS APIs from the replica VPC');
    const endpoints = {} as Record<keyof typeof REPLICA_INTERFACE_ENDPOINTS, ec2.InterfaceVpcEndpoint>;
    for (const [name, service] of Object.entries(REPLICA_INTERFACE_ENDPOINTS) as [keyof typeof REPLICA_INTERFACE_ENDPOINTS, ec2.InterfaceVpcEndpointAwsService][]) {
      endpoints[name] = this.vpc.addInterfaceEndpoint(name, {
        service,
        subnets: this.isolatedSubnets,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [this.endpointSecurityGroup],
      });
    }
    this.endpoints = endpoints;
  }
}
