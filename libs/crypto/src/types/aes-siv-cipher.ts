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
  /**
   * Seals a batch of strings straight to text tokens: UTF-8 in, unpadded base64url of SIV || ciphertext out. Same
   * bytes as `encodeBase64Url(seal([utf8(value)])[0])`, without a byte array or a native call per value, which is
   * what dominates {@link AesSivCipher.seal} on large batches of short values.
   *
   * @param values - any strings (lone surrogates are sealed as U+FFFD, as `TextEncoder` does)
   * @param associatedData - as for `seal`
   * @default associatedData - none
   * @returns one base64url token per value (22 characters for an empty string, +4 per 3 bytes of UTF-8)
   */
  sealText(values: readonly string[], associatedData?: readonly Uint8Array[]): string[];
  /**
   * Opens tokens made by {@link AesSivCipher.sealText} back into strings.
   *
   * @param tokens - unpadded base64url tokens
   * @param associatedData - as used to seal
   * @default associatedData - none
   * @returns the strings, same order
   * @throws CryptoError `INVALID_INPUT` naming the first index that is not canonical base64url, `SIV_AUTH_FAILED`
   *   naming the first index that does not authenticate; nothing is returned then
   */
  openText(tokens: readonly string[], associatedData?: readonly Uint8Array[]): string[];
}
