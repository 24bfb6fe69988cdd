import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { OrchestrationNames, PIPELINE_DAG_FOLDER, readPipelineDagFacts, type PipelineDagFacts } from '../config/pipeline-dag';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { DagBucket } from '../constructs/dag-bucket';
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
}

/**
 * The pipeline's orchestration (issue 14), owned by the data platform team: the MWAA environment that runs the
 * generated DAG `cur_pipeline`, its VPC, its DAG bucket with the DAG and requirements deployed, its execution role
 * and the failed-run alarm. It deploys after the platform stack (it reads the lake key's ARN from SSM for the
 * failure topic) and before the pipeline-trigger's stack, which starts the DAG's runs by the environment's name.
 */
export class OrchestrationStack extends Stack {
  public readonly orchestrationNames: OrchestrationNames;
  public readonly network: OrchestrationNetwork;
  public readonly dagBucket: DagBucket;
  public readonly pipeline: PipelineEnvironment;
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

    this.dagBucket = new DagBucket(this, 'DagBucket', {
      bucketName: `${names.bucketPrefix}-mwaa-dags`,
      dagFolder: props.dagFolder ?? PIPELINE_DAG_FOLDER,
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
      connectionsPrefix: orchestration.connectionsPrefix,
      dataQualityRoleName: orchestration.dataQualityRoleName,
      dataHubEndpoint: ssm.StringParameter.valueForStringParameter(this, dataHubEndpointParameterName(names)),
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
