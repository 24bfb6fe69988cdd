import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';

/**
 * The two-digit code of each first letter of a Taiwanese national ID (國民身分證統一編號) and resident certificate
 * number, as used by the check digit. I, O, W, X, Y, Z sit out of alphabetical order because they were added later.
 */
export const NATIONAL_ID_LETTER_CODES = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
} as const;

/**
 * Second digits accepted: 1 (male) and 2 (female) for citizens, 8 and 9 for the resident certificates issued since
 * 2021 (統一證號 new format). The old letter-letter resident format is not accepted.
 */
export const NATIONAL_ID_CLASS_DIGITS = '1289';

/** Shape of a national ID: one upper-case letter, a class digit, eight more digits (the last is the check digit). */
export const NATIONAL_ID_PATTERN = /^[A-Z][1289]\d{8}$/;

const PREFIX_PATTERN = /^[A-Z]\d{8}$/;

/** Letter index (A = 0) -> weighted sum of its two code digits: tens * 1 + units * 9. @internal */
export const LETTER_WEIGHTS: Int32Array = Int32Array.from(Object.values(NATIONAL_ID_LETTER_CODES), (code) => Math.floor(code / 10) + (code % 10) * 9);

/**
 * Weighted sum of the first nine characters (letter + eight digits), weights 1, 9 for the letter's code and 8..1 for
 * the digits. The caller has checked the shape.
 */
function nationalIdPrefixSum(value: string): number {
  let sum = LETTER_WEIGHTS[value.charCodeAt(0) - 65] ?? 0;
  for (let i = 1; i <= 8; i++) sum += (value.charCodeAt(i) - 48) * (9 - i);
  return sum;
}

/**
 * Computes the check digit (the tenth character) of a Taiwanese national ID from its first nine characters.
 *
 * @param first9 - an upper-case letter followed by eight digits, for example `A12345678`
 * @returns the check digit as a one-character string
 * @throws CryptoError `NATIONAL_ID_INVALID` when `first9` is not a letter and eight digits
 * @example
 * nationalIdCheckDigit('A12345678'); // '9', so A123456789 is valid
 */
export function nationalIdCheckDigit(first9: string): string {
  if (!PREFIX_PATTERN.test(first9)) {
    throw new CryptoError(CRYPTO_ERROR_CODES.NATIONAL_ID_INVALID, 'national ID prefix must be an upper-case letter and eight digits');
  }
  return String((10 - (nationalIdPrefixSum(first9) % 10)) % 10);
}

/** Class digit (char code - 48) -> index 0..3 for 1, 2, 8, 9; -1 otherwise. */
const CLASS_INDEX = Int32Array.from({ length: 10 }, (_, digit) => NATIONAL_ID_CLASS_DIGITS.indexOf(String(digit)));

/**
 * Validates a national ID and returns its position in the ID domain, x = ((letter * 4) + class) * 10^7 + middle seven
 * digits, or -1 when the shape or the check digit is wrong. One pass over the characters, no regular expression.
 *
 * @internal
 */
export function parseNationalId(value: string): number {
  if (value.length !== 10) return -1;
  const letter = value.charCodeAt(0) - 65;
  if (letter < 0 || letter > 25) return -1;
  const classDigit = value.charCodeAt(1) - 48;
  const classIndex = classDigit >= 0 && classDigit <= 9 ? (CLASS_INDEX[classDigit] ?? -1) : -1;
  if (classIndex < 0) return -1;
  let sum = (LETTER_WEIGHTS[letter] ?? 0) + classDigit * 8;
  let middle = 0;
  for (let p = 2; p <= 9; p++) {
    const digit = value.charCodeAt(p) - 48;
    if (digit < 0 || digit > 9) return -1;
    sum += digit * (p === 9 ? 1 : 9 - p);
    if (p < 9) middle = middle * 10 + digit;
  }
  if (sum % 10 !== 0) return -1;
  return (letter * 4 + classIndex) * 10_000_000 + middle;
}

/**
 * Tells whether `value` is a valid Taiwanese national ID or new-format resident certificate number: the shape of
 * {@link NATIONAL_ID_PATTERN} (upper case only) and a weighted digit sum divisible by 10.
 *
 * @param value - the candidate
 * @returns true when shape and check digit are right
 * @example
 * isValidNationalId('A123456789'); // true
 * isValidNationalId('A123456788'); // false (check digit)
 */
export function isValidNationalId(value: string): boolean {
  return parseNationalId(value) >= 0;
}
