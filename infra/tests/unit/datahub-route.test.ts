import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { dataHubPort } from '../../src/config/datahub';
import type { StageConfig } from '../../src/config/stage-config';
import { DataHubRoute } from '../../src/constructs/datahub-route';

/** One route in a stack of its own, with one client group let out to DataHub. */
function routeFor(network: StageConfig['dataHub']['network'], port: number): Template {
  const stack = new Stack(new App(), 'Route', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc, allowAllOutbound: false });
  new DataHubRoute(stack, 'DataHubRoute', { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, network, port }).allowFrom(client, 'client');
  return Template.fromStack(stack);
}

describe('Construct: DataHubRoute', () => {
  it("lets a client out to DataHub's security group on DataHub's port only, with no endpoint", () => {
    const template = routeFor({ securityGroupId: 'sg-0123456789abcdef0' }, 8080);

    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const [client] = Object.values(template.findResources('AWS::EC2::SecurityGroup')) as { Properties: { SecurityGroupEgress: unknown[] } }[];
    expect(client?.Properties.SecurityGroupEgress).toEqual([{ DestinationSecurityGroupId: 'sg-0123456789abcdef0', Description: 'client to DataHub\'s GMS', FromPort: 8080, IpProtocol: 'tcp', ToPort: 8080 }]);
  });

  it("lets a client out to DataHub's range on DataHub's port only", () => {
    const template = routeFor({ cidr: '10.70.0.0/24' }, 443);

    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const [client] = Object.values(template.findResources('AWS::EC2::SecurityGroup')) as { Properties: { SecurityGroupEgress: unknown[] } }[];
    expect(client?.Properties.SecurityGroupEgress).toEqual([{ CidrIp: '10.70.0.0/24', Description: 'client to DataHub\'s GMS', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 }]);
  });

  it('takes the port from the endpoint URL, 443 when it names none', () => {
    expect(dataHubPort('https://datahub.dev.cur.example.internal')).toBe(443);
    expect(dataHubPort('https://datahub.dev.cur.example.internal:8443/gms')).toBe(8443);
  });
});
