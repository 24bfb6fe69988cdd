/**
 * Stable error codes of `@cur/crypto`. A code names what went wrong; messages name the position (batch index,
 * length, key size) and never carry plaintext, ciphertext or key bytes.
 */
export const CRYPTO_ERROR_CODES = {
  /** A key has the wrong length for the algorithm. */
  INVALID_KEY: 'INVALID_KEY',
  /** An FF1 alphabet is too short, too long or repeats a character. */
  INVALID_ALPHABET: 'INVALID_ALPHABET',
  /** An FF1 value is outside the domain: too short, or contains a character outside the alphabet. */
  FF1_DOMAIN: 'FF1_DOMAIN',
  /** AES-SIV or AES-GCM-SIV authentication failed: the ciphertext, tag or associated data was altered. */
  SIV_AUTH_FAILED: 'SIV_AUTH_FAILED',
  /** A value is not a valid Taiwanese national ID (format or check digit). */
  NATIONAL_ID_INVALID: 'NATIONAL_ID_INVALID',
  /** Any other malformed argument (nonce length, encoding, option range). */
  INVALID_INPUT: 'INVALID_INPUT',
} as const;

/** One stable crypto error code. */
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[keyof typeof CRYPTO_ERROR_CODES];

/**
 * The one error type of `@cur/crypto`. Branch on `code`; the message is for humans and is safe to log because it
 * never contains a value, only positions and sizes.
 *
 * @example
 * try {
 *   siv.open(tokens);
 * } catch (error) {
 *   if (error instanceof CryptoError && error.code === CRYPTO_ERROR_CODES.SIV_AUTH_FAILED) quarantine(batchId);
 *   else throw error;
 * }
 */
export class CryptoError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: CryptoErrorCode;

  /**
   * @param code - the stable error code
   * @param message - a value-free description (positions and sizes only)
   * @param options - standard error options; pass `cause` when wrapping
   */
  constructor(code: CryptoErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CryptoError';
    this.code = code;
  }
}
