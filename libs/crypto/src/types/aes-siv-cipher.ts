/**
 * A batch deterministic authenticated cipher (AES-SIV, RFC 5297), created by `createAesSiv`. The same plaintext and
 * associated data always give the same token, so tokens still join and count; only the key holder can open them.
 */
export interface AesSivCipher {
  /**
   * Seals a batch of plaintexts.
   *
   * @param plaintexts - any lengths, including empty
   * @param associatedData - S2V header components shared by the whole batch (for example the column id), at most 126;
   *   authenticated, not encrypted
   * @default associatedData - none
   * @returns per plaintext: 16-byte SIV || ciphertext of the plaintext's length. The arrays of one call are views into
   *   shared buffers (one per 4096 values); `slice()` the few you keep for long.
   */
  seal(plaintexts: readonly Uint8Array[], associatedData?: readonly Uint8Array[]): Uint8Array[];
  /**
   * Opens a batch of tokens made by {@link AesSivCipher.seal} with the same key and associated data.
   *
   * @param ciphertexts - SIV || ciphertext, at least 16 bytes each
   * @param associatedData - the components used to seal
   * @default associatedData - none
   * @returns the plaintexts, same order (views into shared buffers, as for `seal`)
   * @throws CryptoError `SIV_AUTH_FAILED` naming the first index whose tag does not verify; nothing is returned then
   */
  open(ciphertexts: readonly Uint8Array[], associatedData?: readonly Uint8Array[]): Uint8Array[];
}
