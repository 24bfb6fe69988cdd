import type { KeyServiceCaller } from './key-service-caller';

/** The token of one national ID, with the key version it was made with (FF1 tokens carry none). */
export interface CustomerLookup {
  readonly token: string;
  readonly keyVersion?: number;
}

/**
 * Turns one plaintext national ID into the customer token the pipeline writes, so an application can look a customer
 * up by the ID it has from its own user. One ID a call, AP and SYSTEM only, audited and rate-limited per principal by
 * the masking-key-service (`POST /v1/lookup`; {@link HttpKeyServiceClient}); locally the `cur` CLI supplies one
 * backed by the token service. Tokenizing arbitrary values stays SYSTEM's: an oracle for chosen values would let
 * anyone reverse tokens by trying every value. The retrieval API is masked-only and never holds a key.
 */
export interface CustomerTokenizer {
  /**
   * @param keyVersion - the key version of the tokens being looked up (the served version's); the active one when
   *   absent. FF1 tokens change with a rotation, so a lookup must tokenize as the served data was tokenized.
   * @throws an `ACCESS_DENIED` error for a role other than AP or SYSTEM; a `RATE_LIMITED` error (details:
   *   `retryAfterSeconds`) past the principal's rate; ServingError `KEY_SERVICE_FAILED` when the service fails
   */
  lookup(caller: KeyServiceCaller, nationalId: string, keyVersion?: number): Promise<CustomerLookup>;
}
