import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config';

/** Properties of {@link DataHubRoute}. */
export interface DataHubRouteProps {
  readonly vpc: ec2.IVpc;
  /** Where a PrivateLink endpoint to DataHub goes: the orchestration VPC's private subnets. */
  readonly subnets: ec2.SubnetSelection;
  /** How DataHub is reached (the stage config's `dataHub.network`). */
  readonly network: StageConfig['dataHub']['network'];
  /** DataHub's port (the endpoint URL's). */
  readonly port: number;
}

/**
 * DataHub's reachability from the orchestration VPC, made explicit: DataHub's security group, its address range, or
 * an interface endpoint to its PrivateLink endpoint service (with its own group, which admits the clients only). A
 * client's security group is let out to DataHub's port only, by {@link allowFrom}; what DataHub's side admits is
 * DataHub's owner's to configure (its group, its endpoint service's allowed principals).
 */
export class DataHubRoute extends Construct {
  /** Where DataHub's traffic goes: its group, its range, or the endpoint's group. */
  public readonly peer: ec2.IPeer;
  public readonly port: ec2.Port;
  /** The interface endpoint to DataHub's endpoint service, when the stage reaches DataHub by PrivateLink. */
  public readonly endpoint: ec2.InterfaceVpcEndpoint | undefined;
  readonly #endpointSecurityGroup: ec2.SecurityGroup | undefined;

  constructor(scope: Construct, id: string, props: DataHubRouteProps) {
    super(scope, id);
    this.port = ec2.Port.tcp(props.port);
    const network = props.network;
    if ('endpointServiceName' in network) {
      this.#endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: props.vpc,
        description: 'DataHub PrivateLink endpoint: the DataHub port from its client groups only',
        allowAllOutbound: false,
      });
      this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Endpoint', {
        vpc: props.vpc,
        service: new ec2.InterfaceVpcEndpointService(network.endpointServiceName, props.port),
        subnets: props.subnets,
        securityGroups: [this.#endpointSecurityGroup],
        open: false,
        privateDnsEnabled: true,
      });
      this.peer = this.#endpointSecurityGroup;
    } else {
      this.endpoint = undefined;
      this.#endpointSecurityGroup = undefined;
      this.peer = 'securityGroupId' in network ? ec2.Peer.securityGroupId(network.securityGroupId) : ec2.Peer.ipv4(network.cidr);
    }
  }

  /** Lets a client's group out to DataHub's port (and, with PrivateLink, into the endpoint on it), nothing else. */
  allowFrom(client: ec2.SecurityGroup, who: string): void {
    client.addEgressRule(this.peer, this.port, `${who} to DataHub's GMS`);
    this.#endpointSecurityGroup?.addIngressRule(client, this.port, `${who} to DataHub's GMS`);
  }
}
