import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';

/** Properties of {@link PlatformParameters}. */
export interface PlatformParametersProps {
  readonly names: PlatformNames;
  readonly dataHub: StageConfig['dataHub'];
}

/**
 * The stage's non-secret settings in SSM Parameter Store, for the jobs and DAGs that a later issue adds (DataHub
 * lineage emitters): `/cur-<stage>/datahub/endpoint`. The Oracle connection is written by the oracle stack, which
 * creates the database (`OracleReplicaStack`).
 */
export class PlatformParameters extends Construct {
  public readonly dataHubEndpoint: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: PlatformParametersProps) {
    super(scope, id);
    const prefix = props.names.parameterPrefix;
    this.dataHubEndpoint = new ssm.StringParameter(this, 'DataHubEndpoint', {
      parameterName: `${prefix}/datahub/endpoint`,
      description: 'DataHub GMS endpoint that lineage and schema metadata are sent to',
      stringValue: props.dataHub.endpoint,
    });
  }
}
