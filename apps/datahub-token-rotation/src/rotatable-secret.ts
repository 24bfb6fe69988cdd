/** A secret's rotation state as Secrets Manager describes it. */
export interface SecretRotationState {
  readonly rotationEnabled: boolean;
  /** Each version id with its staging labels. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

/**
 * The port the rotation steps use on the secret they rotate: Secrets Manager's four rotation calls. A secret text
 * passes through it unseen: an adapter never logs or quotes one.
 */
export interface RotatableSecret {
  describe(secretId: string): Promise<SecretRotationState>;
  /** The text of a version, chosen by id and/or staging label; undefined when there is no such version. */
  read(secretId: string, version: { readonly versionId?: string; readonly stage?: string }): Promise<string | undefined>;
  /** Writes the new version, labelled `AWSPENDING`. */
  putPending(secretId: string, versionId: string, text: string): Promise<void>;
  /** Moves `AWSCURRENT` from one version to the other. */
  promote(secretId: string, versionId: string, fromVersionId: string): Promise<void>;
}
