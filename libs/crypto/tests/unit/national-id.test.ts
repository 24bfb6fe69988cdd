import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRYPTO_ERROR_CODES, CryptoError, NATIONAL_ID_LETTER_CODES, isValidNationalId, nationalIdCheckDigit } from '../../src/index';

/** Independent statement of the rule: the letter's two code digits and the nine digits, weights 1,9,8,...,1,1. */
function referenceValid(id: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(id)) return false;
  const code = NATIONAL_ID_LETTER_CODES[id[0] as keyof typeof NATIONAL_ID_LETTER_CODES];
  const digits = [Math.floor(code / 10), code % 10, ...Array.from(id.slice(1), Number)];
  const weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];
  return digits.reduce((sum, digit, i) => sum + digit * (weights[i] ?? 0), 0) % 10 === 0;
}

const letters = Object.keys(NATIONAL_ID_LETTER_CODES);

describe('Function: isValidNationalId', () => {
  it.each(['A123456789', 'F131104093', 'B142610160', 'A800000014', 'A900000016'])('accepts %s', (id) => {
    expect(isValidNationalId(id)).toBe(true);
  });

  it.each([
    ['a wrong check digit', 'A123456788'],
    ['lower case', 'a123456789'],
    ['a class digit 3', 'A323456789'],
    ['nine characters', 'A12345678'],
    ['eleven characters', 'A1234567890'],
    ['full-width digits', 'Ａ１２３４５６７８９'],
    ['the old resident format', 'AB12345678'],
  ])('rejects %s', (_label, id) => {
    expect(isValidNationalId(id)).toBe(false);
  });

  it('agrees with the textbook rule on random candidates', () => {
    fc.assert(
      fc.property(fc.constantFrom(...letters), fc.constantFrom('1', '2', '3', '8', '9'), fc.stringMatching(/^\d{8}$/), (letter, klass, digits) => {
        const id = `${letter}${klass}${digits}`;
        expect(isValidNationalId(id)).toBe(referenceValid(id));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('Function: nationalIdCheckDigit', () => {
  it('completes any prefix to a valid ID', () => {
    fc.assert(
      fc.property(fc.constantFrom(...letters), fc.constantFrom('1', '2', '8', '9'), fc.stringMatching(/^\d{7}$/), (letter, klass, digits) => {
        const first9 = `${letter}${klass}${digits}`;
        expect(isValidNationalId(first9 + nationalIdCheckDigit(first9))).toBe(true);
      }),
    );
    expect(nationalIdCheckDigit('A12345678')).toBe('9');
  });

  it('rejects a malformed prefix without echoing it', () => {
    try {
      nationalIdCheckDigit('A1234567X');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe(CRYPTO_ERROR_CODES.NATIONAL_ID_INVALID);
      expect((error as CryptoError).message).not.toContain('A1234567X');
    }
  });
});
