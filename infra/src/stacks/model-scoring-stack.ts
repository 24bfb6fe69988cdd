import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { OrchestrationNames } from '../config/pipeline-dag';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { ModelScoring } from '../constructs/model-scoring';

/** Properties of {@link ModelScoringStack}. */
export interface ModelScoringStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
}

/**
 * `cur-<stage>-model-scoring` (issue 15): what the MWAA DAG's `score` task needs to run the scoring step as a
 * SageMaker Processing job ({@link ModelScoring}). Deployed after the platform stack (the lake key's ARN from SSM,
 * the buckets, tables and catalog) and the orchestration stack (whose execution role it grants the launch to).
 */
export class ModelScoringStack extends Stack {
  public readonly scoring: ModelScoring;

  constructor(scope: Construct, id: string, props: ModelScoringStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: the SageMaker Processing role of the pipeline's scoring step and its launch from MWAA`, ...props });
    const { names } = props;
    const orchestration = new OrchestrationNames(names);
    this.scoring = new ModelScoring(this, 'Scoring', {
      names,
      lakeKeyArn: ssm.StringParameter.valueForStringParameter(this, names.keyArnParameterName('lake')),
      executionRoleName: orchestration.executionRoleName,
      variablesPrefix: orchestration.variablesPrefix,
    });
  }
}
