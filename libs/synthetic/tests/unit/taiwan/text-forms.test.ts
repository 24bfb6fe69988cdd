import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toFullWidth } from '../../../src/index';
import { isLuhnValid, luhnCheckDigit } from '../../../src/taiwan/check-digits';
import { formatCents, formatCentsGrouped } from '../../../src/taiwan/text-forms';
import { luhnIsValid } from '../../helpers/contract-checks';

describe('Function: toFullWidth', () => {
  it('turns digits and decimal points full-width and leaves other text alone', () => {
    expect(toFullWidth('0912345678')).toBe('０９１２３４５６７８');
    expect(toFullWidth('-1234.50')).toBe('－１２３４．５０');
    expect(toFullWidth('中山路12號')).toBe('中山路１２號');
  });
});

describe('Function: formatCents', () => {
  it.each([
    [0, '0.00'], [5, '0.05'], [123456, '1234.56'], [-5, '-0.05'], [-100, '-1.00'],
  ])('writes %i cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('round-trips through Number for every amount', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => Math.round(Number(formatCents(cents)) * 100) === cents));
  });
});

describe('Function: formatCentsGrouped', () => {
  it.each([
    [123450, '1,234.50'], [-123456789, '-1,234,567.89'], [99999, '999.99'], [100000000, '1,000,000.00'],
  ])('writes %i cents as %s', (cents, text) => {
    expect(formatCentsGrouped(cents)).toBe(text);
  });
});

describe('Function: luhnCheckDigit', () => {
  it('completes numbers that the independent Luhn check accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5,20}$/), (body) => {
        const number = `${body}${luhnCheckDigit(body)}`;
        expect(luhnIsValid(number)).toBe(true);
        expect(isLuhnValid(number)).toBe(true);
      }),
    );
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });
});
