import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';

/** Properties of {@link PlatformParameters}. */
export interface PlatformParametersProps {
  readonly names: PlatformNames;
  readonly dataHub: StageConfig['dataHub'];
}

/** The SSM parameter holding the stage's DataHub GMS endpoint: `/cur-<stage>/datahub/endpoint`. */
export function dataHubEndpointParameterName(names: PlatformNames): string {
  return `${names.parameterPrefix}/datahub/endpoint`;
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
    this.dataHubEndpoint = new ssm.StringParameter(this, 'DataHubEndpoint', {
      parameterName: dataHubEndpointParameterName(props.names),
      description: 'DataHub GMS endpoint that lineage and schema metadata are sent to',
      stringValue: props.dataHub.endpoint,
    });
  }
}
