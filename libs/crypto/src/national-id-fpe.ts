import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';
import { FF1_CHUNK, Ff1Engine } from './ff1-engine';
import { LETTER_WEIGHTS, NATIONAL_ID_CLASS_DIGITS, parseNationalId } from './national-id';
import type { NationalIdFpe } from './types/national-id-fpe';

/** 26 letters x 4 class digits x 10^7 middle digits: the number of valid national IDs (the check digit is implied). */
export const NATIONAL_ID_DOMAIN = 26 * 4 * 10_000_000;

/**
 * FF1 radix for the ID domain: the smallest r with r^2 >= {@link NATIONAL_ID_DOMAIN} (32250^2 = 1,040,062,500), so a
 * two-numeral FF1 string covers the domain and cycle walking repeats for only 62,500 of 1.04e9 points.
 */
export const NATIONAL_ID_RADIX = 32_250;

const EMPTY = new Uint8Array(0);
const MIDDLE = 10_000_000;
const CLASS_CODES = Int32Array.from(NATIONAL_ID_CLASS_DIGITS, (digit) => digit.charCodeAt(0));

function invalid(index: number): CryptoError {
  return new CryptoError(CRYPTO_ERROR_CODES.NATIONAL_ID_INVALID, `national ID at index ${index} is not valid (shape or check digit)`);
}

/**
 * Creates a format-preserving cipher for Taiwanese national IDs: every valid ID maps to a valid ID, bijectively and
 * reversibly under the key.
 *
 * Scheme: the first nine characters are read as a mixed-radix number x = ((letter * 4) + class) * 10^7 + middle, with
 * letter A..Z (26), class digit 1/2/8/9 (4) and the seven middle digits; x in [0, 1.04e9). x is written as two
 * radix-32250 numerals and encrypted with FF1 (AES, NIST SP 800-38G), cycle walking until the result is below 1.04e9;
 * the check digit is recomputed. Nothing of the plaintext is kept but the format: the letter (region), the class digit
 * (sex, citizen or resident) and all digits change together, so a masked ID reveals none of them. Callers who need
 * sex or region for analytics keep them as separate generalised columns.
 *
 * @param key - AES-128, AES-192 or AES-256 key (16, 24 or 32 bytes)
 * @returns the cipher; create it once per key
 * @throws CryptoError `INVALID_KEY`
 * @example
 * const fpe = createNationalIdFpe(dataKey);
 * const [masked] = fpe.encrypt(['A123456789']); // another valid ID ('X239938292' under an all-zero key)
 * fpe.decrypt([masked]); // ['A123456789']
 */
export function createNationalIdFpe(key: Uint8Array): NationalIdFpe {
  const engine = new Ff1Engine(key, NATIONAL_ID_RADIX);
  const a = new Float64Array(FF1_CHUNK);
  const b = new Float64Array(FF1_CHUNK);
  const walkA = new Float64Array(FF1_CHUNK);
  const walkB = new Float64Array(FF1_CHUNK);
  const walkIndex = new Int32Array(FF1_CHUNK);
  const text = Buffer.alloc(FF1_CHUNK * 10);

  const crypt = (ids: readonly string[], tweak: Uint8Array, decrypt: boolean): string[] => {
    const plan = engine.plan(2, tweak);
    const out = new Array<string>(ids.length);
    for (let start = 0; start < ids.length; start += FF1_CHUNK) {
      const count = Math.min(FF1_CHUNK, ids.length - start);
      for (let j = 0; j < count; j++) {
        const x = parseNationalId(ids[start + j] ?? '');
        if (x < 0) throw invalid(start + j);
        const low = x % NATIONAL_ID_RADIX;
        a[j] = (x - low) / NATIONAL_ID_RADIX;
        b[j] = low;
      }
      engine.cryptFast(plan, a, b, count, decrypt);
      // Cycle walking: results outside the ID domain go through FF1 again until they land inside it.
      for (;;) {
        let walking = 0;
        for (let j = 0; j < count; j++) {
          if ((a[j] ?? 0) * NATIONAL_ID_RADIX + (b[j] ?? 0) >= NATIONAL_ID_DOMAIN) {
            walkIndex[walking] = j;
            walkA[walking] = a[j] ?? 0;
            walkB[walking] = b[j] ?? 0;
            walking++;
          }
        }
        if (walking === 0) break;
        engine.cryptFast(plan, walkA, walkB, walking, decrypt);
        for (let k = 0; k < walking; k++) {
          const j = walkIndex[k] ?? 0;
          a[j] = walkA[k] ?? 0;
          b[j] = walkB[k] ?? 0;
        }
      }
      for (let j = 0, p = 0; j < count; j++, p += 10) {
        let x = (a[j] ?? 0) * NATIONAL_ID_RADIX + (b[j] ?? 0);
        let middle = x % MIDDLE;
        x = (x - middle) / MIDDLE;
        const classIndex = x % 4;
        const letter = (x - classIndex) / 4;
        text[p] = 65 + letter;
        text[p + 1] = CLASS_CODES[classIndex] ?? 0;
        let sum = (LETTER_WEIGHTS[letter] ?? 0) + ((CLASS_CODES[classIndex] ?? 48) - 48) * 8;
        for (let q = p + 8, weight = 1; q >= p + 2; q--, weight++) {
          const digit = middle % 10;
          text[q] = 48 + digit;
          sum += digit * weight;
          middle = (middle - digit) / 10;
        }
        text[p + 9] = 48 + ((10 - (sum % 10)) % 10);
      }
      const decoded = text.toString('latin1', 0, count * 10);
      for (let j = 0; j < count; j++) out[start + j] = decoded.slice(j * 10, j * 10 + 10);
    }
    return out;
  };

  return {
    encrypt: (ids, tweak = EMPTY) => crypt(ids, tweak, false),
    decrypt: (ids, tweak = EMPTY) => crypt(ids, tweak, true),
  };
}
