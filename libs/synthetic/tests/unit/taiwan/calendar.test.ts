import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rocDate } from '../../../src/index';
import { civilFromDays, daysFromCivil, daysFromIso, isoFromDays, rocFromDays } from '../../../src/taiwan/calendar';

describe('Function: rocDate', () => {
  it('writes 1989-05-12 as 0780512', () => {
    expect(rocDate({ year: 1989, month: 5, day: 12 })).toBe('0780512');
    expect(rocDate({ year: 2026, month: 11, day: 25 })).toBe('1151125');
    expect(rocFromDays(daysFromIso('1912-01-01'))).toBe('0010101');
  });
});

describe('Function: daysFromCivil / civilFromDays', () => {
  it('agree with Date.UTC for every day from 1900 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 84_000 }), (days) => {
        const date = new Date(days * 86_400_000);
        expect(civilFromDays(days)).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
        expect(daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(days);
        expect(isoFromDays(days)).toBe(date.toISOString().slice(0, 10));
      }),
    );
  });

  it('rolls an out-of-range day over like Date.UTC', () => {
    expect(isoFromDays(daysFromCivil(2025, 2, 29))).toBe('2025-03-01');
  });
});
