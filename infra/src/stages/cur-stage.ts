import { Stage } from 'aws-cdk-lib';
import type { StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppName } from '../config/apps';
import { APP_NAMES, APP_SPECS } from '../config/apps';
import { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { OrchestrationNames } from '../config/pipeline-dag';
import { AppStack } from '../stacks/app-stack';
import { ModelScoringStack } from '../stacks/model-scoring-stack';
import { ModelTrainingStack } from '../stacks/model-training-stack';
import { OrchestrationStack } from '../stacks/orchestration-stack';
import { OracleReplicaStack } from '../stacks/oracle-replica-stack';
import { PipelineStack } from '../stacks/pipeline-stack';
import { PlatformStack } from '../stacks/platform-stack';

/** Properties of {@link CurStage}. */
export interface CurStageProps extends StageProps {
  readonly config: StageConfig;
  /**
   * The folder holding every app's bundle folder.
   * @default `dist/apps`
   */
  readonly appDistDir?: string;
}

/**
 * One deployment of the platform (dev, uat, prod): the platform stack, the Oracle replica's stack, the orchestration
 * stack (MWAA), the pipeline's Glue jobs, the SageMaker training role and one stack per app, all in the account and
 * region of the stage config. Stack names are `cur-<stage>-platform`, `cur-<stage>-oracle`, `cur-<stage>-orchestration`,
 * `cur-<stage>-pipeline`, `cur-<stage>-model-training`, `cur-<stage>-model-scoring` and `cur-<stage>-<app>`.
 */
export class CurStage extends Stage {
  public readonly names: PlatformNames;
  public readonly platform: PlatformStack;
  public readonly oracle: OracleReplicaStack;
  public readonly orchestration: OrchestrationStack;
  public readonly pipeline: PipelineStack;
  public readonly modelTraining: ModelTrainingStack;
  public readonly modelScoring: ModelScoringStack;
  public readonly apps: Readonly<Record<AppName, AppStack>>;

  constructor(scope: Construct, id: string, props: CurStageProps) {
    const { config } = props;
    super(scope, id, { env: { account: config.account, region: config.region }, ...props });
    this.names = new PlatformNames(config);
    this.platform = new PlatformStack(this, 'platform', { stackName: this.names.platformStackName(), config, names: this.names });
    this.oracle = new OracleReplicaStack(this, 'oracle', { stackName: this.names.oracleStackName(), config, names: this.names });
    this.oracle.addStackDependency(this.platform, 'the Oracle replica reads the lake key ARN from SSM and DMS reads the system bucket');
    this.orchestration = new OrchestrationStack(this, 'orchestration', { stackName: new OrchestrationNames(this.names).stackName, config, names: this.names });
    this.orchestration.addStackDependency(this.platform, 'the MWAA environment reads the lake key ARN from SSM and its DAG notifies the platform topics');
    this.pipeline = new PipelineStack(this, 'pipeline', { stackName: `${this.names.resourcePrefix}-pipeline`, config, names: this.names });
    this.pipeline.addStackDependency(this.platform, 'the Glue jobs use the SYSTEM role, buckets and catalog tables of the platform stack and read the lake key ARN from SSM');
    this.modelTraining = new ModelTrainingStack(this, 'model-training', { stackName: `${this.names.resourcePrefix}-model-training`, config, names: this.names });
    this.modelTraining.addStackDependency(this.platform, 'the SageMaker training role reads the lake key ARN from SSM and uses the system bucket');
    this.modelScoring = new ModelScoringStack(this, 'model-scoring', { stackName: `${this.names.resourcePrefix}-model-scoring`, config, names: this.names });
    this.modelScoring.addStackDependency(this.platform, 'the scoring role reads the lake key ARN from SSM and uses the buckets, tables and catalog of the platform stack');
    this.modelScoring.addStackDependency(this.orchestration, "the scoring launch policy attaches to the MWAA execution role of the orchestration stack");
    const apps = {} as Record<AppName, AppStack>;
    for (const app of APP_NAMES) {
      const stack = new AppStack(this, app, {
        stackName: this.names.appStackName(app),
        config,
        names: this.names,
        app,
        spec: APP_SPECS[app],
        ...(props.appDistDir === undefined ? {} : { bundleDir: `${props.appDistDir}/${app}` }),
      });
      // No CloudFormation references between the stacks; the order only makes `cdk deploy --all` deploy the
      // platform first.
      stack.addStackDependency(this.platform, `${app} uses the keys, buckets, tables and topics of the platform stack`);
      apps[app] = stack;
    }
    for (const app of APP_NAMES) {
      if (APP_SPECS[app].oracleReplica === true) {
        apps[app].addStackDependency(this.oracle, `${app} reads the replica's subnets, security group and connect string from SSM when it deploys`);
      }
      if (APP_SPECS[app].startsDagRuns === true) {
        apps[app].addStackDependency(this.orchestration, `${app} starts runs of the DAG in the orchestration stack's MWAA environment`);
      }
      if (APP_SPECS[app].emitsLineage === true) {
        apps[app].addStackDependency(this.orchestration, `${app} runs in the orchestration VPC with the security group and DataHub connection secret of the orchestration stack`);
      }
      for (const call of APP_SPECS[app].callsApis ?? []) {
        apps[app].addStackDependency(apps[call.app], `${app} reads the URL of the ${call.app} API from SSM when it deploys`);
      }
    }
    this.pipeline.addStackDependency(apps['masking-key-service'], 'the Glue mask job reads the masking-key-service function URL from SSM when it deploys');
    this.apps = apps;
  }
}
