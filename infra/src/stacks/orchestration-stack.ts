import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { DataHubNames, dataHubPort } from '../config/datahub';
import { OrchestrationNames, PIPELINE_DAG_FOLDER, readPipelineDagFacts, type PipelineDagFacts } from '../config/pipeline-dag';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { DagBucket } from '../constructs/dag-bucket';
import { DataHubConnectionSecret } from '../constructs/datahub-connection-secret';
import { DataHubRoute } from '../constructs/datahub-route';
import { MODEL_CODE_EXCLUDE, MODEL_CODE_SOURCE, MODEL_PACKAGE } from '../constructs/model-scoring';
import { OrchestrationNetwork } from '../constructs/orchestration-network';
import { dataHubEndpointParameterName } from '../constructs/platform-parameters';
import { PipelineEnvironment } from '../constructs/pipeline-environment';

/** Properties of {@link OrchestrationStack}. */
export interface OrchestrationStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
  /** @default read from libs/pipeline-dag */
  readonly dag?: PipelineDagFacts;
  /** @default libs/pipeline-dag/dags */
  readonly dagFolder?: string;
  /**
   * The folder holding the DataHub token rotation's `handler.mjs`.
   * @default `dist/apps/datahub-token-rotation`
   */
  readonly tokenRotationBundleDir?: string;
}

/**
 * The pipeline's orchestration (issue 14), owned by the data platform team: the MWAA environment that runs the
 * generated DAG `cur_pipeline`, its VPC, its DAG bucket with the DAG and requirements deployed, its execution role
 * and the failed-run alarm; and DataHub's side of it: the route to DataHub (`dataHub.network`), the one DataHub secret
 * (the Airflow connection, with its rotation function) and the lineage-emitter's security group and placement in the
 * VPC (SSM parameters the emitter's stack reads). It deploys after the platform stack (it reads the lake key's ARN from SSM for the
 * failure topic) and before the pipeline-trigger's stack, which starts the DAG's runs by the environment's name.
 */
export class OrchestrationStack extends Stack {
  public readonly orchestrationNames: OrchestrationNames;
  public readonly network: OrchestrationNetwork;
  public readonly dagBucket: DagBucket;
  public readonly pipeline: PipelineEnvironment;
  public readonly dataHubRoute: DataHubRoute;
  public readonly dataHubConnection: DataHubConnectionSecret;
  /** The lineage-emitter's group: HTTPS to the VPC's endpoints and S3's prefix list, DataHub's port to DataHub. */
  public readonly lineageEmitterSecurityGroup: ec2.SecurityGroup;
  /** The token rotation's group: HTTPS to the VPC's endpoints, DataHub's port to DataHub. */
  public readonly tokenRotationSecurityGroup: ec2.SecurityGroup;
  readonly #availabilityZones: readonly string[];

  constructor(scope: Construct, id: string, props: OrchestrationStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: orchestration (MWAA environment, its VPC and DAG bucket)`, ...props });
    const { config, names } = props;
    const dag = props.dag ?? readPipelineDagFacts();
    const orchestration = new OrchestrationNames(names);
    this.orchestrationNames = orchestration;
    const [firstZone, secondZone] = config.network.availabilityZones;
    this.#availabilityZones = [firstZone as string, secondZone as string];

    this.network = new OrchestrationNetwork(this, 'Network', {
      resourcePrefix: names.resourcePrefix,
      availabilityZones: [firstZone as string, secondZone as string],
      logRetentionDays: config.retention.logRetentionDays,
    });

    const dataHub = new DataHubNames(names);
    const dataHubEndpoint = ssm.StringParameter.valueForStringParameter(this, dataHubEndpointParameterName(names));
    const vpc = this.network.vpc;
    this.dataHubRoute = new DataHubRoute(this, 'DataHubRoute', { vpc, subnets: this.network.privateSubnets, network: config.dataHub.network, port: dataHubPort(config.dataHub.endpoint) });
    this.dataHubRoute.allowFrom(this.network.environmentSecurityGroup, "MWAA (DataHub's Airflow plugin)");
    const client = (id: string, name: string, who: string): ec2.SecurityGroup => {
      const group = new ec2.SecurityGroup(this, id, { vpc, securityGroupName: `${names.resourcePrefix}-${name}`, description: `${who}: AWS APIs through the VPC endpoints and the DataHub port only`, allowAllOutbound: false });
      group.addEgressRule(this.network.endpointSecurityGroup, ec2.Port.tcp(443), `${who} to the AWS APIs' interface endpoints`);
      this.dataHubRoute.allowFrom(group, who);
      return group;
    };
    this.lineageEmitterSecurityGroup = client('LineageEmitterSecurityGroup', 'lineage-emitter', 'lineage-emitter');
    this.lineageEmitterSecurityGroup.addEgressRule(ec2.Peer.prefixList(config.network.s3PrefixListId), ec2.Port.tcp(443), 'lineage-emitter to S3 through the gateway endpoint');
    this.tokenRotationSecurityGroup = client('TokenRotationSecurityGroup', 'datahub-token-rotation', 'datahub-token-rotation');

    this.dataHubConnection = new DataHubConnectionSecret(this, 'DataHubConnection', {
      secretName: dataHub.connectionSecretName,
      functionName: dataHub.rotationFunctionName,
      stage: config.stage,
      endpoint: dataHubEndpoint,
      rotationDays: config.dataHub.tokenRotationDays,
      vpc,
      subnets: this.network.privateSubnets,
      securityGroup: this.tokenRotationSecurityGroup,
      logLevel: config.logLevel,
      logRetentionDays: config.retention.logRetentionDays,
      ...(props.tokenRotationBundleDir === undefined ? {} : { bundleDir: props.tokenRotationBundleDir }),
    });

    // Where the lineage-emitter runs: its stack reads these at deploy time (no CloudFormation export between stacks).
    const placement = dataHub.emitterNetworkParameterNames;
    new ssm.StringParameter(this, 'EmitterVpcId', { parameterName: placement.vpcId, description: 'The orchestration VPC, where the lineage-emitter runs', stringValue: vpc.vpcId });
    new ssm.StringParameter(this, 'EmitterSecurityGroupId', { parameterName: placement.securityGroupId, description: "The lineage-emitter's security group", stringValue: this.lineageEmitterSecurityGroup.securityGroupId });
    vpc.selectSubnets(this.network.privateSubnets).subnets.forEach((subnet, index) => {
      const zone = this.#availabilityZones[index] as string;
      new ssm.StringParameter(this, `EmitterSubnet${index}`, { parameterName: placement.subnetId(zone), description: `The orchestration VPC's private subnet in ${zone}`, stringValue: subnet.subnetId });
    });

    this.dagBucket = new DagBucket(this, 'DagBucket', {
      bucketName: `${names.bucketPrefix}-mwaa-dags`,
      dagFolder: props.dagFolder ?? PIPELINE_DAG_FOLDER,
      // The score task publishes its Processing job's partition with cur_model.publish (boto3 only: no new pin).
      dagPackages: [{ folder: MODEL_CODE_SOURCE, packages: [MODEL_PACKAGE], exclude: MODEL_CODE_EXCLUDE }],
      requirements: dag.requirements,
      environment: { CUR_STAGE: config.stage },
    });

    this.pipeline = new PipelineEnvironment(this, 'Pipeline', {
      environmentName: orchestration.environmentName,
      environmentArn: orchestration.environmentArn,
      executionRoleName: orchestration.executionRoleName,
      airflowVersion: dag.airflowVersion,
      dagId: dag.dagId,
      dagBucket: this.dagBucket.bucket,
      vpcSubnets: this.network.vpc.selectSubnets(this.network.privateSubnets).subnets,
      securityGroup: this.network.environmentSecurityGroup,
      glueJobNames: dag.glueJobSteps.map((step) => orchestration.glueJobName(step)),
      servingLoadFunctionName: orchestration.servingLoadFunctionName,
      failureTopicArn: names.topicArn('pipeline-failures'),
      topicKeyArn: ssm.StringParameter.valueForStringParameter(this, names.keyArnParameterName('lake')),
      variablesPrefix: orchestration.variablesPrefix,
      connectionsSecretPrefix: dataHub.airflowConnectionsPrefix,
      dataQualityRoleName: orchestration.dataQualityRoleName,
      partition: names.partition,
      region: names.region,
      account: names.account,
    });
    for (const deployment of this.dagBucket.deployments) this.pipeline.environment.node.addDependency(deployment);
  }

  /** The config's first two zones: the VPC checks its zones against the stack's, which would otherwise be looked up. */
  override get availabilityZones(): string[] {
    return [...this.#availabilityZones];
  }
}
