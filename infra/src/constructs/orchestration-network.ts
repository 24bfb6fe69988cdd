import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The orchestration VPC's range, apart from the replica's (`10.60.0.0/22`). @default */
export const DEFAULT_ORCHESTRATION_CIDR = '10.61.0.0/22';

/**
 * The AWS APIs MWAA and the DAG's tasks call, each through an interface endpoint with private DNS so those calls
 * stay in the VPC: MWAA's own (API, environment, operations), CloudWatch Logs and metrics, SQS (Celery), Glue (jobs
 * and DQ evaluations), Lambda (the serving load), SNS (failure notices), SSM (the Airflow variables and
 * connections, DataHub's endpoint), Secrets Manager (the DataHub connection, read by MWAA's secrets backend through
 * SSM, by the lineage-emitter and by its rotation function), X-Ray (the lineage-emitter's active tracing, sent from
 * inside the VPC), STS. S3 goes through a gateway endpoint.
 */
export const ORCHESTRATION_INTERFACE_ENDPOINTS = {
  AirflowApi: ec2.InterfaceVpcEndpointAwsService.AIRFLOW_API,
  AirflowEnv: ec2.InterfaceVpcEndpointAwsService.AIRFLOW_ENV,
  AirflowOps: ec2.InterfaceVpcEndpointAwsService.AIRFLOW_OPS,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  Glue: ec2.InterfaceVpcEndpointAwsService.GLUE,
  Lambda: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  Sns: ec2.InterfaceVpcEndpointAwsService.SNS,
  Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  XRay: ec2.InterfaceVpcEndpointAwsService.XRAY,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
} as const;

/** Properties of {@link OrchestrationNetwork}. */
export interface OrchestrationNetworkProps {
  /** `cur-<stage>`: names the VPC and its flow log group. */
  readonly resourcePrefix: string;
  /** @default DEFAULT_ORCHESTRATION_CIDR */
  readonly cidr?: string;
  /** Exactly two zones: MWAA takes two private subnets in different zones. */
  readonly availabilityZones: readonly [string, string];
  readonly logRetentionDays: number;
}

/**
 * The MWAA environment's VPC: two private subnets (MWAA's scheduler, workers and private web server) in two zones,
 * each with a NAT gateway's route out only so that MWAA can install `requirements.txt` from PyPI (nothing in the VPC
 * is reachable from the internet), AWS APIs through VPC endpoints, all traffic in a flow log, the default security
 * group stripped. The environment's own group admits only itself, as MWAA requires, and lets out only traffic to
 * itself and HTTPS (PyPI through the NAT gateway, the AWS endpoints); the route to DataHub is added by
 * `DataHubRoute`.
 */
export class OrchestrationNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly privateSubnets: ec2.SubnetSelection;
  public readonly flowLogGroup: logs.LogGroup;
  /** The MWAA environment's group: all traffic from and to itself, HTTPS out, nothing else. */
  public readonly environmentSecurityGroup: ec2.SecurityGroup;
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  public readonly endpoints: Readonly<Record<keyof typeof ORCHESTRATION_INTERFACE_ENDPOINTS, ec2.InterfaceVpcEndpoint>>;

  constructor(scope: Construct, id: string, props: OrchestrationNetworkProps) {
    super(scope, id);
    const cidr = props.cidr ?? DEFAULT_ORCHESTRATION_CIDR;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: `${props.resourcePrefix}-orchestration`,
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: 1,
      subnetConfiguration: [
        { name: 'nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      restrictDefaultSecurityGroup: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    this.privateSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/cur/${props.resourcePrefix}/orchestration-vpc-flow-logs`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL });

    this.environmentSecurityGroup = new ec2.SecurityGroup(this, 'EnvironmentSecurityGroup', {
      vpc: this.vpc,
      securityGroupName: `${props.resourcePrefix}-mwaa`,
      description: 'MWAA environment: its own members only (scheduler, workers, web server, metadata database)',
      allowAllOutbound: false,
    });
    this.environmentSecurityGroup.addIngressRule(this.environmentSecurityGroup, ec2.Port.allTraffic(), 'MWAA components talk to each other (MWAA requires a self-referencing rule)');
    this.environmentSecurityGroup.addEgressRule(this.environmentSecurityGroup, ec2.Port.allTraffic(), 'MWAA components talk to each other (self-referencing, as MWAA requires)');
    this.environmentSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS: PyPI through the NAT gateway for requirements.txt, and the AWS APIs through their endpoints');

    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [this.privateSubnets] });
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints of the orchestration VPC: HTTPS from the VPC',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS to AWS APIs from the orchestration VPC');
    const endpoints = {} as Record<keyof typeof ORCHESTRATION_INTERFACE_ENDPOINTS, ec2.InterfaceVpcEndpoint>;
    for (const [name, service] of Object.entries(ORCHESTRATION_INTERFACE_ENDPOINTS) as [keyof typeof ORCHESTRATION_INTERFACE_ENDPOINTS, ec2.InterfaceVpcEndpointAwsService][]) {
      endpoints[name] = this.vpc.addInterfaceEndpoint(name, { service, subnets: this.privateSubnets, privateDnsEnabled: true, open: false, securityGroups: [this.endpointSecurityGroup] });
    }
    this.endpoints = endpoints;
  }
}
