/** A batch format-preserving cipher over valid Taiwanese national IDs, created by `createNationalIdFpe`. */
export interface NationalIdFpe {
  /**
   * Encrypts valid national IDs to valid national IDs (bijective on the set of valid IDs).
   *
   * @param ids - valid IDs, upper case (see `isValidNationalId`)
   * @param tweak - optional public tweak shared by the batch, for example the column id
   * @default tweak - empty
   * @returns one valid ID per input, same order
   * @throws CryptoError `NATIONAL_ID_INVALID` naming the first index that is not a valid ID
   */
  encrypt(ids: readonly string[], tweak?: Uint8Array): string[];
  /**
   * Inverts {@link NationalIdFpe.encrypt} under the same key and tweak.
   *
   * @param ids - encrypted IDs
   * @param tweak - the tweak used to encrypt
   * @default tweak - empty
   * @returns the original IDs, same order
   * @throws CryptoError `NATIONAL_ID_INVALID` naming the first index that is not a valid ID
   */
  decrypt(ids: readonly string[], tweak?: Uint8Array): string[];
}
