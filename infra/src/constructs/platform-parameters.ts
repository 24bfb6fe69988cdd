import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';

/** Properties of {@link PlatformParameters}. */
export interface PlatformParametersProps {
  readonly names: PlatformNames;
  readonly dataHub: StageConfig['dataHub'];
  readonly oracle: StageConfig['oracle'];
}

/**
 * The stage's non-secret settings in SSM Parameter Store, for the jobs and DAGs that a later issue adds (DataHub
 * lineage emitters, the Oracle replication task): `/cur-<stage>/datahub/endpoint` and `/cur-<stage>/oracle/connection`.
 * Credentials are never here; the Oracle connection names the Secrets Manager secret that holds them.
 */
export class PlatformParameters extends Construct {
  public readonly dataHubEndpoint: ssm.StringParameter;
  public readonly oracleConnection: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: PlatformParametersProps) {
    super(scope, id);
    const prefix = props.names.parameterPrefix;
    this.dataHubEndpoint = new ssm.StringParameter(this, 'DataHubEndpoint', {
      parameterName: `${prefix}/datahub/endpoint`,
      description: 'DataHub GMS endpoint that lineage and schema metadata are sent to',
      stringValue: props.dataHub.endpoint,
    });
    this.oracleConnection = new ssm.StringParameter(this, 'OracleConnection', {
      parameterName: `${prefix}/oracle/connection`,
      description: 'RDS Oracle replication target: host, port, service name and the name of the credentials secret',
      stringValue: JSON.stringify(props.oracle),
    });
  }
}
