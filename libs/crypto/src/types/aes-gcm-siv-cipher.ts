/**
 * A batch nonce-misuse-resistant AEAD (AES-GCM-SIV, RFC 8452), created by `createAesGcmSiv`. With a fixed nonce per
 * column it is deterministic (equal plaintexts give equal tokens) like AES-SIV; with fresh nonces it is randomised.
 */
export interface AesGcmSivCipher {
  /**
   * Seals a batch under one nonce and one associated-data string.
   *
   * @param plaintexts - any lengths, including empty
   * @param nonce - 12 bytes, shared by the batch
   * @param associatedData - authenticated, not encrypted
   * @default associatedData - empty
   * @returns per plaintext: ciphertext || 16-byte tag (the RFC 8452 layout); views into one buffer per 4096 values
   * @throws CryptoError `INVALID_INPUT` when the nonce is not 12 bytes
   */
  seal(plaintexts: readonly Uint8Array[], nonce: Uint8Array, associatedData?: Uint8Array): Uint8Array[];
  /**
   * Opens a batch sealed with the same key, nonce and associated data.
   *
   * @param ciphertexts - ciphertext || tag, at least 16 bytes each
   * @param nonce - the nonce used to seal
   * @param associatedData - the associated data used to seal
   * @default associatedData - empty
   * @returns the plaintexts, same order
   * @throws CryptoError `SIV_AUTH_FAILED` naming the first index whose tag does not verify; nothing is returned then
   */
  open(ciphertexts: readonly Uint8Array[], nonce: Uint8Array, associatedData?: Uint8Array): Uint8Array[];
}
