/**
 * What a wrapped data key is bound to. The vault authenticates it (KMS encryption context, AAD locally), so a
 * wrapped key copied to another key group or version does not unwrap.
 */
export interface KeyContext {
  readonly keyGroup: string;
  readonly version: number;
}

/** A fresh data key: the plaintext to use now, and the wrapped form to store. */
export interface GeneratedDataKey {
  readonly plaintext: Uint8Array;
  readonly wrapped: Uint8Array;
}

/**
 * The master key that wraps data keys (envelope encryption): AWS KMS in AWS, a local key file on a laptop. Data
 * keys are stored only wrapped; the master key never leaves the vault.
 */
export interface KeyVault {
  /** A short description for `cur keys list`, e.g. `kms:alias/cur-dev-keys` or `file:.cur/keys/master.key`. */
  readonly description: string;
  /** Generates a data key of `bytes` random bytes and returns it with its wrapped form. */
  generateDataKey(context: KeyContext, bytes: number): Promise<GeneratedDataKey>;
  /** Unwraps a stored data key. Rejects with an ACCESS_DENIED error when it does not authenticate. */
  unwrap(wrapped: Uint8Array, context: KeyContext): Promise<Uint8Array>;
}
