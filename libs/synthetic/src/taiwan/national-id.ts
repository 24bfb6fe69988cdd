/**
 * The two-digit code of each national ID letter (the Ministry of the Interior's table; I, O, W, X, Y, Z were added
 * later, hence their out-of-order codes).
 */
export const NATIONAL_ID_LETTER_CODES: Readonly<Record<string, number>> = Object.freeze({
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
});

const SHAPE = /^[A-Z][12]\d{8}$/;

function weightedSum(letterCode: number, digits: string): number {
  // Weights 1 and 9 on the letter code's two digits, then 8..1 on the next eight digits.
  let sum = Math.floor(letterCode / 10) + (letterCode % 10) * 9;
  for (let i = 0; i < 8; i += 1) sum += (digits.charCodeAt(i) - 48) * (8 - i);
  return sum;
}

/**
 * The check digit that makes a Taiwanese national ID valid.
 *
 * @param letter - the upper-case letter (household registration area)
 * @param eightDigits - the gender digit followed by the 7-digit serial
 * @returns the check digit 0-9
 * @throws RangeError when the letter is not A-Z or the digits are not 8 digits
 */
export function nationalIdCheckDigit(letter: string, eightDigits: string): number {
  const code = NATIONAL_ID_LETTER_CODES[letter];
  if (code === undefined || !/^\d{8}$/.test(eightDigits)) throw new RangeError('expected an upper-case letter and 8 digits');
  return (10 - (weightedSum(code, eightDigits) % 10)) % 10;
}

/**
 * True when `id` is a well-formed Taiwanese national ID: an upper-case letter, gender digit 1 or 2, 8 more digits,
 * and a weighted checksum divisible by 10.
 *
 * @example
 * isValidNationalId('A123456789'); // true
 */
export function isValidNationalId(id: string): boolean {
  if (!SHAPE.test(id)) return false;
  const code = NATIONAL_ID_LETTER_CODES[id[0] as string] as number;
  return (weightedSum(code, id.slice(1, 9)) + (id.charCodeAt(9) - 48)) % 10 === 0;
}

/**
 * Builds a valid national ID.
 *
 * @param letter - upper-case letter A-Z
 * @param genderDigit - 1 (male) or 2 (female)
 * @param serial - 0 to 9,999,999
 * @internal
 */
export function makeNationalId(letter: string, genderDigit: 1 | 2, serial: number): string {
  const body = `${genderDigit}${String(serial).padStart(7, '0')}`;
  return `${letter}${body}${nationalIdCheckDigit(letter, body)}`;
}
