/** Letter codes of a Taiwanese national ID's first letter, as its check digit uses them. */
const LETTER_CODES: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

/**
 * True when `value` is a Taiwanese national ID or new-format resident certificate number with a valid check digit.
 * The retrieval API checks this before asking the key service, so a typo is a clear 400 instead of a miss.
 */
export function isValidNationalId(value: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(value)) return false;
  const code = LETTER_CODES[value[0] ?? ''] ?? 0;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i <= 8; i += 1) sum += Number(value[i]) * (9 - i);
  sum += Number(value[9]);
  return sum % 10 === 0;
}
