import type { PlatformNames } from './platform-names';

/** The Airflow connection DataHub's Airflow plugin sends through (its default id). */
export const DATAHUB_CONNECTION_ID = 'datahub_rest_default';

/**
 * Where a stage keeps what reaches DataHub: the GMS endpoint in SSM (written by the platform stack from the stage
 * config's `dataHub.endpoint`), the one DataHub secret (the Airflow connection `datahub_rest_default`, with the
 * token, which the orchestration stack creates and rotates), and the orchestration VPC's placement of the
 * lineage-emitter (SSM parameters the orchestration stack writes and the emitter's stack reads at deploy time).
 */
export class DataHubNames {
  readonly #names: PlatformNames;

  constructor(names: PlatformNames) {
    this.#names = names;
  }

  /** `/cur-<stage>/datahub/endpoint`, as `PlatformParameters` writes it. */
  get endpointParameterName(): string {
    return `${this.#names.parameterPrefix}/datahub/endpoint`;
  }

  get endpointParameterArn(): string {
    const { partition, region, account } = this.#names;
    return `arn:${partition}:ssm:${region}:${account}:parameter${this.endpointParameterName}`;
  }

  /** Secrets Manager prefix of Airflow connections (MWAA's secrets backend): `cur-<stage>/airflow/connections`. */
  get airflowConnectionsPrefix(): string {
    return `${this.#names.resourcePrefix}/airflow/connections`;
  }

  /** Secrets Manager prefix of Airflow variables (MWAA's secrets backend): `cur-<stage>/airflow/variables`. */
  get airflowVariablesPrefix(): string {
    return `${this.#names.resourcePrefix}/airflow/variables`;
  }

  /**
   * `cur-<stage>/airflow/connections/datahub_rest_default`: the one DataHub secret, the Airflow connection as JSON
   * (`conn_type`, `host`, `password` = the personal access token), read by MWAA's secrets backend and the
   * lineage-emitter, rotated by the datahub-token-rotation function.
   */
  get connectionSecretName(): string {
    return `${this.airflowConnectionsPrefix}/${DATAHUB_CONNECTION_ID}`;
  }

  get connectionSecretArnPattern(): string {
    return this.#names.secretArnPattern(this.connectionSecretName);
  }

  /** The rotation function, `cur-<stage>-datahub-token-rotation`. */
  get rotationFunctionName(): string {
    return `${this.#names.resourcePrefix}-datahub-token-rotation`;
  }

  /** SSM parameters of the orchestration VPC that the lineage-emitter's stack reads to run in it. */
  get emitterNetworkParameterNames(): { readonly vpcId: string; readonly securityGroupId: string; subnetId(zone: string): string } {
    const prefix = `${this.#names.parameterPrefix}/orchestration`;
    return {
      vpcId: `${prefix}/vpc-id`,
      securityGroupId: `${prefix}/lineage-emitter-security-group-id`,
      subnetId: (zone: string) => `${prefix}/private-subnet/${zone}`,
    };
  }
}

/** DataHub's port: the endpoint URL's, else 443 (the endpoint is https). */
export function dataHubPort(endpoint: string): number {
  const port = new URL(endpoint).port;
  return port === '' ? 443 : Number(port);
}
