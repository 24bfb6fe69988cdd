/** Options of `createHmacTokenizer` and `hmacToken`. */
export interface HmacTokenOptions {
  /**
   * Leading bytes of the HMAC-SHA256 digest kept in the token, 16..32. 16 bytes (128 bits) keep the chance of any
   * collision among 10^9 distinct values below 2^-68; more bytes only lengthen the token.
   *
   * @default 16
   */
  readonly bytes?: number;
}

/** A keyed, irreversible tokenizer: same key and value, same token. */
export interface HmacTokenizer {
  /** Digest bytes kept per token. */
  readonly bytes: number;
  /** Characters per token: ceil(4 * bytes / 3). */
  readonly length: number;
  /**
   * Tokenizes a batch. Strings are hashed as UTF-8; byte arrays as they are.
   *
   * @param values - strings or bytes
   * @returns one unpadded base64url token per value, same order
   */
  tokens(values: readonly (string | Uint8Array)[]): string[];
}
