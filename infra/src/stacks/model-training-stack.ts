import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { SageMakerTraining } from '../constructs/sagemaker-training';

/** Properties of {@link ModelTrainingStack}. */
export interface ModelTrainingStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
}

/**
 * `cur-<stage>-model-training` (issue 15): the SageMaker training jobs' execution role, and SSM parameters that tell
 * a launcher which role and scikit-learn image to start a job with (`/cur-<stage>/model-training/role-arn`,
 * `/image-uri`). The jobs' state changes reach the model-history app's rule; no job is defined here yet.
 */
export class ModelTrainingStack extends Stack {
  public readonly training: SageMakerTraining;

  constructor(scope: Construct, id: string, props: ModelTrainingStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: the SageMaker training role and where launchers find it`, ...props });
    const { names } = props;
    const lakeKeyArn = ssm.StringParameter.valueForStringParameter(this, names.keyArnParameterName('lake'));
    this.training = new SageMakerTraining(this, 'Training', { names, lakeKeyArn });
    new ssm.StringParameter(this, 'RoleArnParameter', {
      parameterName: `/${names.resourcePrefix}/model-training/role-arn`,
      description: 'The execution role of SageMaker training jobs',
      stringValue: this.training.role.roleArn,
    });
    new ssm.StringParameter(this, 'ImageUriParameter', {
      parameterName: `/${names.resourcePrefix}/model-training/image-uri`,
      description: 'The scikit-learn image SageMaker training jobs run',
      stringValue: this.training.trainingImage,
    });
  }
}
