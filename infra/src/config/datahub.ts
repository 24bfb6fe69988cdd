import type { PlatformNames } from './platform-names';

/**
 * Where a stage keeps what the lineage emitter needs of DataHub: the GMS endpoint in SSM (written by the platform
 * stack from the stage config's `dataHub.endpoint`) and the access token in Secrets Manager (created by hand).
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

  /** `cur-<stage>/datahub/token`: a DataHub personal access token, as the secret's plain string. */
  get tokenSecretName(): string {
    return `${this.#names.resourcePrefix}/datahub/token`;
  }

  get tokenSecretArnPattern(): string {
    return this.#names.secretArnPattern(this.tokenSecretName);
  }
}
