import type { KeyServiceCaller } from './key-service-caller';

/** The tokens of some national IDs, with the key version they were made with (FF1 tokens carry none). */
export interface TokenizedIds {
  readonly tokens: readonly string[];
  readonly keyVersion?: number;
}

/**
 * Turns plaintext national IDs into the customer tokens the pipeline writes, so an application can look a
 * customer up by the ID it has from its own user. In AWS the masking-key-service does this over HTTP
 * ({@link HttpKeyServiceClient}); locally the `cur` CLI supplies one backed by the token service. The retrieval API
 * is masked-only and never holds a key.
 */
export interface CustomerTokenizer {
  /**
   * @param keyVersion - the key version of the tokens being looked up (the served version's); the active one when
   *   absent. FF1 tokens change with a rotation, so a lookup must tokenize as the served data was tokenized.
   * @throws ServingError `KEY_SERVICE_FAILED` when the service fails; a refusal keeps the service's code
   */
  tokenize(caller: KeyServiceCaller, nationalIds: readonly string[], keyVersion?: number): Promise<TokenizedIds>;
}
