import { createCipheriv } from 'node:crypto';
import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';

/**
 * A raw AES block encryptor over native AES-ECB (OpenSSL, AES-NI where available). ECB has no chaining state, so one
 * instance encrypts any number of independent blocks per call: this is how the batch algorithms run one native call
 * for a whole round of a whole chunk.
 *
 * @internal
 */
export interface AesEcb {
  /** The AES key size in bytes (16, 24 or 32). */
  readonly keyBytes: number;
  /**
   * Encrypts every 16-byte block of `blocks` independently.
   *
   * @param blocks - a whole number of 16-byte blocks
   * @returns a new buffer of the same length
   */
  encrypt(blocks: Uint8Array): Buffer;
}

/**
 * Creates a raw AES-ECB block encryptor for a 16, 24 or 32-byte key.
 *
 * @param key - the AES key; it is copied into the native context, later changes to the array have no effect
 * @param label - names the key in the error message (for example `FF1 key`)
 * @internal
 */
export function createAesEcb(key: Uint8Array, label = 'AES key'): AesEcb {
  const keyBytes = key.length;
  if (keyBytes !== 16 && keyBytes !== 24 && keyBytes !== 32) {
    throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_KEY, `${label} must be 16, 24 or 32 bytes, got ${keyBytes} bytes`);
  }
  const cipher = createCipheriv(`aes-${keyBytes * 8}-ecb`, key, null);
  cipher.setAutoPadding(false);
  return {
    keyBytes,
    encrypt: (blocks) => cipher.update(blocks),
  };
}
