import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link DataHubEmitterAccess}. */
export interface DataHubEmitterAccessProps {
  readonly role: iam.IRole;
  /** The one SSM parameter holding DataHub's endpoint. */
  readonly endpointParameterArn: string;
  /**
   * The one DataHub secret, the Airflow connection holding the access token (a `-??????` pattern: Secrets Manager
   * suffixes the name).
   */
  readonly connectionSecretArn: string;
}

/**
 * Lets a function read DataHub's endpoint and token, nothing else: `ssm:GetParameter` on the one parameter and
 * `secretsmanager:GetSecretValue` on the one DataHub secret, the Airflow connection `datahub_rest_default` (read
 * through the Parameters and Secrets extension, which calls both APIs with the function's role). Both are encrypted
 * with AWS managed keys, so no KMS grant is needed.
 */
export class DataHubEmitterAccess extends Construct {
  public readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: DataHubEmitterAccessProps) {
    super(scope, id);
    this.policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({ sid: 'ReadDataHubEndpoint', actions: ['ssm:GetParameter'], resources: [props.endpointParameterArn] }),
        new iam.PolicyStatement({ sid: 'ReadDataHubConnection', actions: ['secretsmanager:GetSecretValue'], resources: [props.connectionSecretArn] }),
      ],
    });
    this.policy.attachToRole(props.role);
  }
}
