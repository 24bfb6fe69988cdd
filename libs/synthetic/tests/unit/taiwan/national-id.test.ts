import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NATIONAL_ID_LETTER_CODES, isValidNationalId, nationalIdCheckDigit } from '../../../src/index';
import { makeNationalId } from '../../../src/taiwan/national-id';
import { nationalIdIsValid } from '../../helpers/contract-checks';

const letters = Object.keys(NATIONAL_ID_LETTER_CODES);

describe('Function: isValidNationalId', () => {
  it.each(['A123456789', 'F131104093', 'B221983053'])('accepts the valid ID %s', (id) => {
    expect(nationalIdIsValid(id)).toBe(true);
    expect(isValidNationalId(id)).toBe(true);
  });

  it.each(['A123456788', 'a123456789', 'A323456789', 'A12345678', 'A1234567890', ' A123456789'])('rejects %s', (id) => {
    expect(isValidNationalId(id)).toBe(false);
  });

  it('has all 26 letter codes of the brief', () => {
    expect(letters).toHaveLength(26);
    expect(NATIONAL_ID_LETTER_CODES).toMatchObject({ A: 10, I: 34, O: 35, W: 32, X: 30, Y: 31, Z: 33 });
  });
});

describe('Function: makeNationalId', () => {
  it('always builds IDs that the independent checksum accepts, with the gender digit given', () => {
    fc.assert(
      fc.property(fc.constantFrom(...letters), fc.constantFrom(1 as const, 2 as const), fc.integer({ min: 0, max: 9_999_999 }), (letter, gender, serial) => {
        const id = makeNationalId(letter, gender, serial);
        expect(nationalIdIsValid(id)).toBe(true);
        expect(isValidNationalId(id)).toBe(true);
        expect(id[1]).toBe(String(gender));
      }),
    );
  });

  it('gives exactly one valid check digit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...letters), fc.stringMatching(/^[12]\d{7}$/), (letter, body) => {
        const valid = [...'0123456789'].filter((d) => nationalIdIsValid(`${letter}${body}${d}`));
        expect(valid).toEqual([String(nationalIdCheckDigit(letter, body))]);
      }),
    );
  });

  it('rejects a bad letter or digit string', () => {
    expect(() => nationalIdCheckDigit('a', '12345678')).toThrow(RangeError);
    expect(() => nationalIdCheckDigit('A', '1234567')).toThrow(RangeError);
  });
});
