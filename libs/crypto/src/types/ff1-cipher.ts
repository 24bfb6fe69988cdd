/**
 * A batch FF1 cipher over one alphabet, created by `createFf1`. Every value keeps its length and alphabet; values of
 * different lengths may share a batch.
 */
export interface Ff1Cipher {
  /** The alphabet; a character's index is its numeral value. */
  readonly alphabet: string;
  /** The number of characters in the alphabet. */
  readonly radix: number;
  /** The shortest value this cipher accepts: at least 2 and radix^minLength >= 1,000,000 (NIST SP 800-38G Rev. 1). */
  readonly minLength: number;
  /**
   * Encrypts a batch of values.
   *
   * @param values - strings over the alphabet, each at least {@link Ff1Cipher.minLength} characters long
   * @param tweak - optional public tweak bytes shared by the whole batch (for example a column id)
   * @default tweak - empty
   * @returns one ciphertext per value, same order, same length, same alphabet
   * @throws CryptoError `FF1_DOMAIN` naming the index or length of the offending value
   */
  encrypt(values: readonly string[], tweak?: Uint8Array): string[];
  /**
   * Decrypts a batch of values produced by {@link Ff1Cipher.encrypt} with the same key, alphabet and tweak.
   *
   * @param values - ciphertexts
   * @param tweak - the tweak used to encrypt
   * @default tweak - empty
   * @returns the plaintexts, same order
   * @throws CryptoError `FF1_DOMAIN` naming the index or length of the offending value
   */
  decrypt(values: readonly string[], tweak?: Uint8Array): string[];
}
