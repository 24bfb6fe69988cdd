import { DMS_STAGING_FOLDER, INITIAL_PARTITION_BOUND, REPLICA_TABLES, dmsExternalTableDefinition, dmsTableMappings, DMS_TASK_SETTINGS } from '@cur/replication';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformNames } from '../../src/config/platform-names';
import { loadStageConfig } from '../../src/config/stage-config';
import { ORACLE_PORT, ORACLE_SSL_OPTION_SETTINGS, ORACLE_TLS_PORT } from '../../src/constructs/oracle-database';
import { REPLICA_INTERFACE_ENDPOINTS } from '../../src/constructs/replica-network';
import { SECRETS_EXTENSION_TTL_SECONDS } from '../../src/stacks/app-stack';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';

const dev = loadStageConfig('dev');
const names = new PlatformNames(dev);
const LAKE_KEY_PARAMETER = /^SsmParameterValuecurdevkmslakekeyarn/;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }>;
const resourcesOf = (template: Template, type: string): Resources => template.findResources(type) as Resources;
const only = <T>(values: Record<string, T>): T => {
  const list = Object.values(values);
  expect(list).toHaveLength(1);
  return list[0] as T;
};
const refName = (value: unknown): string => (value as { Ref?: string }).Ref ?? '';

describe('Stack: OracleReplicaStack', () => {
  let synth: SynthesizedStage;
  let template: Template;
  beforeAll(() => {
    synth = synthStage();
    template = synth.template('oracle');
  });
  afterAll(() => synth.dispose());

  describe('Construct: ReplicaNetwork', () => {
    it('has isolated subnets only, in the configured zones: no internet gateway, no NAT, no public IP', () => {
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      const subnets = Object.values(resourcesOf(template, 'AWS::EC2::Subnet'));
      expect(subnets.map((subnet) => subnet.Properties['AvailabilityZone'])).toEqual(dev.network.availabilityZones);
      for (const subnet of subnets) expect(subnet.Properties['MapPublicIpOnLaunch']).toBe(false);
    });

    it('records all traffic in a flow log', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC' });
    });

    it('reaches S3 through a gateway endpoint and DMS, Secrets Manager, SNS and X-Ray through private-DNS interface endpoints open to the VPC only', () => {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({}) });
      const interfaces = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint')).filter((endpoint) => endpoint.Properties['VpcEndpointType'] === 'Interface');
      expect(Object.keys(REPLICA_INTERFACE_ENDPOINTS)).toHaveLength(4);
      expect(interfaces.map((endpoint) => endpoint.Properties['ServiceName']).sort()).toEqual(
        ['dms', 'secretsmanager', 'sns', 'xray'].map((service) => `com.amazonaws.${dev.region}.${service}`),
      );
      for (const endpoint of interfaces) expect(endpoint.Properties['PrivateDnsEnabled']).toBe(true);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Interface endpoints of the replica VPC: HTTPS from the VPC',
        SecurityGroupIngress: [Match.objectLike({ CidrIp: dev.network.cidr, FromPort: 443, ToPort: 443 })],
      });
    });
  });

  describe('Construct: OracleDatabase', () => {
    it('is license-included SE2 19c in AL32UTF8, encrypted with the lake key, private, protected and retained', () => {
      const instances = resourcesOf(template, 'AWS::RDS::DBInstance');
      const [id, db] = Object.entries(instances)[0] as [string, Resources[string]];
      expect(Object.keys(instances)).toHaveLength(1);
      expect(db.Properties).toMatchObject({
        Engine: 'oracle-se2',
        EngineVersion: '19',
        LicenseModel: 'license-included',
        CharacterSetName: 'AL32UTF8',
        DBName: dev.oracle.databaseName,
        DBInstanceClass: `db.${dev.oracle.instanceType}`,
        StorageEncrypted: true,
        PubliclyAccessible: false,
        MultiAZ: dev.oracle.multiAz,
        DeletionProtection: true,
        BackupRetentionPeriod: dev.oracle.backupRetentionDays,
        Port: String(ORACLE_PORT),
      });
      expect(refName(db.Properties['KmsKeyId'])).toMatch(LAKE_KEY_PARAMETER);
      expect(db.DeletionPolicy).toBe('Retain');
      expect(id).toMatch(/^Database/);
    });

    it('takes Multi-AZ from the stage config', () => {
      const multi = synthStage({ config: { ...dev, oracle: { ...dev.oracle, multiAz: true } } });
      try {
        multi.template('oracle').hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true });
        multi.template('oracle').hasResourceProperties('AWS::DMS::ReplicationInstance', { MultiAZ: true });
      } finally {
        multi.dispose();
      }
    });

    it('admits DMS and the rotation functions to the plain listener and the replicator to the TLS listener only, never an address range', () => {
      const rules = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'));
      const plain = rules.filter((rule) => rule.Properties['FromPort'] === ORACLE_PORT);
      const tls = rules.filter((rule) => rule.Properties['FromPort'] === ORACLE_TLS_PORT);
      expect(plain).toHaveLength(2);
      expect(tls).toHaveLength(1);
      for (const rule of [...plain, ...tls]) {
        expect(rule.Properties['ToPort']).toBe(rule.Properties['FromPort']);
        expect(rule.Properties['SourceSecurityGroupId']).toBeDefined();
        expect(rule.Properties['CidrIp']).toBeUndefined();
      }
      expect(JSON.stringify(tls[0]?.Properties['SourceSecurityGroupId'])).toContain('ReplicatorSecurityGroup');
      expect(JSON.stringify(plain.map((rule) => rule.Properties['SourceSecurityGroupId']))).not.toContain('ReplicatorSecurityGroup');
    });

    it('serves TLS 1.2 on 2484 through the SSL option, with the RDS CA that Lambda trusts', () => {
      template.hasResourceProperties('AWS::RDS::OptionGroup', {
        EngineName: 'oracle-se2',
        MajorEngineVersion: '19',
        OptionConfigurations: [
          {
            OptionName: 'SSL',
            Port: ORACLE_TLS_PORT,
            VpcSecurityGroupMemberships: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseSecurityGroup'), 'GroupId'] }],
            OptionSettings: Object.entries(ORACLE_SSL_OPTION_SETTINGS).map(([Name, Value]) => ({ Name, Value })),
          },
        ],
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', { CACertificateIdentifier: 'rds-ca-rsa2048-g1', OptionGroupName: { Ref: Match.stringLikeRegexp('^DatabaseOptions') } });
    });

    it('keeps the admin and replica-owner credentials in secrets under the lake key, each rotated inside the VPC', () => {
      const secrets = Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret'));
      expect(secrets.map((secret) => secret.Properties['Name']).sort()).toEqual([names.oracleAdminSecretName, names.oracleReplicaOwnerSecretName].sort());
      for (const secret of secrets) expect(refName(secret.Properties['KmsKeyId'])).toMatch(LAKE_KEY_PARAMETER);
      const rotations = Object.values(resourcesOf(template, 'AWS::SecretsManager::RotationSchedule'));
      expect(rotations).toHaveLength(2);
      for (const rotation of rotations) {
        expect(rotation.Properties).toMatchObject({
          RotateImmediatelyOnUpdate: false,
          RotationRules: { ScheduleExpression: `rate(${dev.oracle.secretRotationDays} days)` },
        });
        expect((rotation.Properties['HostedRotationLambda'] as Record<string, unknown>)).toMatchObject({ RotationType: 'OracleSingleUser' });
        expect((rotation.Properties['HostedRotationLambda'] as Record<string, unknown>)['VpcSubnetIds']).toBeDefined();
      }
    });
  });

  describe('Construct: DmsReplication', () => {
    it('runs a private replication instance under the lake key in the isolated subnets', () => {
      const instance = only(resourcesOf(template, 'AWS::DMS::ReplicationInstance'));
      expect(instance.Properties).toMatchObject({ PubliclyAccessible: false, MultiAZ: dev.oracle.multiAz, ReplicationInstanceClass: dev.oracle.dmsInstanceClass });
      expect(refName(instance.Properties['KmsKeyId'])).toMatch(LAKE_KEY_PARAMETER);
      expect((only(resourcesOf(template, 'AWS::DMS::ReplicationSubnetGroup')).Properties['SubnetIds'] as unknown[]).length).toBe(dev.network.availabilityZones.length);
    });

    it('reads the staged Parquet files with the external table definition generated from the contracts', () => {
      const source = Object.values(resourcesOf(template, 'AWS::DMS::Endpoint')).find((endpoint) => endpoint.Properties['EngineName'] === 's3');
      const settings = source?.Properties['S3Settings'] as Record<string, unknown>;
      expect(source?.Properties['EndpointType']).toBe('source');
      expect(settings).toMatchObject({ BucketName: names.bucketName('system'), BucketFolder: DMS_STAGING_FOLDER, DataFormat: 'parquet' });
      expect(JSON.parse(settings['ExternalTableDefinition'] as string)).toEqual(dmsExternalTableDefinition(REPLICA_TABLES));
    });

    it('lets DMS read only the staging folder of the system bucket', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'cur-dev-dms-source-access',
        Policies: [
          {
            PolicyName: 'ReadStagedFiles',
            PolicyDocument: Match.objectLike({
              Statement: Match.arrayWith([
                Match.objectLike({ Action: 's3:GetObject', Resource: `${names.bucketArn('system')}/${DMS_STAGING_FOLDER}/*` }),
                Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': [`${DMS_STAGING_FOLDER}/*`] } } }),
              ]),
            }),
          },
        ],
      });
    });

    it('loads Oracle as the replica owner, whose credentials DMS reads from its secret', () => {
      const target = Object.values(resourcesOf(template, 'AWS::DMS::Endpoint')).find((endpoint) => endpoint.Properties['EngineName'] === 'oracle');
      expect(target?.Properties).toMatchObject({ EndpointType: 'target', DatabaseName: dev.oracle.databaseName });
      expect((target?.Properties['OracleSettings'] as Record<string, unknown>)['SecretsManagerSecretId']).toBeDefined();
      expect(target?.Properties['Password']).toBeUndefined();
    });

    it('creates the full-load task at the ARN the replicator is given, with the generated settings, selecting nothing until a run sets its date', () => {
      const task = only(resourcesOf(template, 'AWS::DMS::ReplicationTask'));
      expect(task.Properties).toMatchObject({ ResourceIdentifier: names.dmsTaskIdentifier, MigrationType: 'full-load' });
      expect(JSON.parse(task.Properties['ReplicationTaskSettings'] as string)).toEqual(DMS_TASK_SETTINGS);
      const mappings = JSON.parse(task.Properties['TableMappings'] as string) as ReturnType<typeof dmsTableMappings>;
      const dayBefore = new Date(Date.parse(`${INITIAL_PARTITION_BOUND}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(mappings).toEqual(dmsTableMappings(REPLICA_TABLES, dayBefore));
      // The shape apps/oracle-replicator's config accepts for CUR_DMS_TASK_ARN.
      expect(names.dmsTaskArn).toMatch(/^arn:aws[a-z-]*:dms:[a-z0-9-]+:\d{12}:task:[A-Za-z0-9-]+$/);
      expect(names.dmsTaskArn.endsWith(`:task:${names.dmsTaskIdentifier}`)).toBe(true);
    });
  });

  it('publishes the connect string, the VPC, one subnet per zone and the replicator group in SSM', () => {
    const parameters = names.oracleParameterNames;
    // tcps://host:2484/service, the only shape apps/oracle-replicator's config accepts for CUR_ORACLE_CONNECT_STRING in AWS.
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: parameters.connectString,
      Value: { 'Fn::Join': ['', ['tcps://', { 'Fn::GetAtt': [logicalIdOf(synth.stage.oracle.database.instance), 'Endpoint.Address'] }, `:${ORACLE_TLS_PORT}/${dev.oracle.databaseName}`]] },
    });
    const written = Object.values(resourcesOf(template, 'AWS::SSM::Parameter')).map((parameter) => parameter.Properties['Name']);
    expect(written.sort()).toEqual(
      [parameters.connection, parameters.connectString, parameters.vpcId, parameters.replicatorSecurityGroupId, ...dev.network.availabilityZones.map((zone) => parameters.subnetId(zone))].sort(),
    );
  });
});

describe('Stack: AppStack of oracle-replicator, in the replica VPC', () => {
  let synth: SynthesizedStage;
  let template: Template;
  beforeAll(() => {
    synth = synthStage();
    template = synth.template('oracle-replicator');
  });
  afterAll(() => synth.dispose());

  it('runs in the isolated subnets with the security group the database admits, read from SSM at deploy time', () => {
    const fn = template.findResources('AWS::Lambda::Function') as Resources;
    const vpcConfig = only(fn).Properties['VpcConfig'] as { SubnetIds: unknown[]; SecurityGroupIds: unknown[] };
    expect(vpcConfig.SubnetIds.map(refName)).toEqual(dev.network.availabilityZones.map(() => expect.stringMatching(/^SsmParameterValuecurdevoraclesubnetids/)));
    expect(vpcConfig.SecurityGroupIds.map(refName)).toEqual([expect.stringMatching(/^SsmParameterValuecurdevoraclereplicatorsecuritygroupid/)]);
  });

  it('gets the settings its wiring reads and the Parameters and Secrets extension', () => {
    const fn = only(template.findResources('AWS::Lambda::Function') as Resources);
    const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(variables['CUR_DMS_TASK_ARN']).toBe(names.dmsTaskArn);
    expect(variables['CUR_ORACLE_SECRET_ID']).toBe(names.oracleReplicaOwnerSecretName);
    expect(refName(variables['CUR_ORACLE_CONNECT_STRING'])).toMatch(/^SsmParameterValuecurdevoracleconnectstring/);
    // The RDS CA bundle the Node 22 runtime ships, which node-oracledb's TLS checks the certificate against.
    expect(variables['NODE_EXTRA_CA_CERTS']).toBe('/var/runtime/ca-cert.pem');
    expect(variables['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT']).toBe('2773');
    expect(variables['SECRETS_MANAGER_TTL']).toBe(String(SECRETS_EXTENSION_TTL_SECONDS));
    expect(JSON.stringify(fn.Properties['Layers'])).toMatch(/AWS-Parameters-and-Secrets-Lambda-Extension-Arm64/);
  });

  it('may drive only its DMS task, follow tasks, and read only the replica owner secret', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'DriveReplicationTask', Effect: 'Allow', Action: ['dms:DescribeTableStatistics', 'dms:ModifyReplicationTask', 'dms:StartReplicationTask'], Resource: names.dmsTaskArn },
          { Sid: 'FollowReplicationTasks', Effect: 'Allow', Action: 'dms:DescribeReplicationTasks', Resource: '*' },
          { Sid: 'ReadReplicaOwnerSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: names.secretArnPattern(names.oracleReplicaOwnerSecretName) },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('reads the published consumption and mart files and the manifests, and writes only under replication/ of the system bucket', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadObjects', Resource: [`${names.bucketArn('consumption')}/*`, `${names.bucketArn('mart')}/*`, `${names.bucketArn('system')}/manifests/*`] }),
          Match.objectLike({ Sid: 'WriteObjects', Resource: `${names.bucketArn('system')}/replication/*` }),
          Match.objectLike({ Sid: 'PublishTopics', Resource: names.topicArn('pipeline-failures') }),
        ]),
      }),
    });
  });

  it('deploys after the oracle stack, which deploys after the platform stack', () => {
    expect(synth.stage.apps['oracle-replicator'].dependencies).toContain(synth.stage.oracle);
    expect(synth.stage.oracle.dependencies).toContain(synth.stage.platform);
    expect(logicalIdOf(synth.stage.apps['oracle-replicator'].service.function)).toBeTruthy();
  });
});
