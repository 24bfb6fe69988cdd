import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { modelTrainingParameterName, trainingJobNamePrefix } from '@cur/contracts';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { ModelTrainingWorkflow } from '../constructs/model-training-workflow';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';
import { SageMakerTraining } from '../constructs/sagemaker-training';

/** The human role that starts trainings (and follows or stops its own executions). */
export const TRAINING_LAUNCHER_ROLE = 'DS';

/** Properties of {@link ModelTrainingStack}. */
export interface ModelTrainingStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
}

/**
 * `cur-<stage>-model-training` (issue 15): the SageMaker training jobs' execution role, the workflow a DS starts a
 * training with (stage the DS view of consumption, then the job; {@link ModelTrainingWorkflow}) and the DS role's
 * right to start, follow and stop it, and SSM parameters naming the state machine, role and image
 * (`/cur-<stage>/model-training/state-machine-arn`, `/role-arn`, `/image-uri`). The jobs' state changes reach the
 * model-history app's rule.
 */
export class ModelTrainingStack extends Stack {
  public readonly training: SageMakerTraining;
  public readonly workflow: ModelTrainingWorkflow;

  constructor(scope: Construct, id: string, props: ModelTrainingStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: the SageMaker training role and where launchers find it`, ...props });
    const { names } = props;
    const lakeKeyArn = ssm.StringParameter.valueForStringParameter(this, names.keyArnParameterName('lake'));
    this.training = new SageMakerTraining(this, 'Training', { names, lakeKeyArn });
    this.workflow = new ModelTrainingWorkflow(this, 'Workflow', { names, training: this.training, lakeKeyArn });
    const launcher = iam.Role.fromRoleName(this, 'LauncherHumanRole', names.humanRoleName(TRAINING_LAUNCHER_ROLE), { mutable: true });
    const machineName = this.workflow.stateMachineName;
    const executions = `arn:${names.partition}:states:${names.region}:${names.account}:execution:${machineName}:*`;
    const jobs = `arn:${names.partition}:sagemaker:${names.region}:${names.account}:training-job/${trainingJobNamePrefix(names.stage)}*`;
    const stateMachineArnParameter = modelTrainingParameterName(names.stage, 'state-machine-arn');
    const launch = new iam.Policy(this, 'LaunchTrainingPolicy', {
      policyName: `${names.resourcePrefix}-launch-model-training`,
      roles: [launcher],
      statements: [
        new iam.PolicyStatement({ sid: 'StartTraining', actions: ['states:StartExecution', 'states:DescribeStateMachine', 'states:ListExecutions'], resources: [this.workflow.stateMachine.stateMachineArn] }),
        new iam.PolicyStatement({ sid: 'FollowTraining', actions: ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'], resources: [executions] }),
        // `cur model train --aws` prints the job's status and secondary status transitions as it runs.
        new iam.PolicyStatement({ sid: 'FollowTrainingJobs', actions: ['sagemaker:DescribeTrainingJob'], resources: [jobs] }),
        // ... and finds the state machine by the parameter below.
        new iam.PolicyStatement({ sid: 'FindTraining', actions: ['ssm:GetParameter'], resources: [`arn:${names.partition}:ssm:${names.region}:${names.account}:parameter${stateMachineArnParameter}`] }),
      ],
    });
    acknowledgeNagFinding(launch, `AwsSolutions-IAM5[Resource::${executions}]`, 'Each training is an execution named after its job; DS follows and stops those of this state machine only.');
    acknowledgeNagFinding(launch, `AwsSolutions-IAM5[Resource::${jobs}]`, "Each training job is named after its execution with the stage's platform prefix; DS describes those only.");
    new ssm.StringParameter(this, 'StateMachineArnParameter', {
      parameterName: stateMachineArnParameter,
      description: 'The workflow a DS starts a training with: stage the DS view, then the SageMaker training job',
      stringValue: this.workflow.stateMachine.stateMachineArn,
    });
    new ssm.StringParameter(this, 'RoleArnParameter', {
      parameterName: modelTrainingParameterName(names.stage, 'role-arn'),
      description: 'The execution role of SageMaker training jobs',
      stringValue: this.training.role.roleArn,
    });
    new ssm.StringParameter(this, 'ImageUriParameter', {
      parameterName: modelTrainingParameterName(names.stage, 'image-uri'),
      description: 'The scikit-learn image SageMaker training jobs run',
      stringValue: this.training.trainingImage,
    });
  }
}
