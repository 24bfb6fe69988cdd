import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FeistelPermutation } from '../../../src/random/feistel';

describe('Class: FeistelPermutation', () => {
  it.each([1, 2, 7, 100, 1_000, 4_099])('is a bijection of [0, %i)', (size) => {
    // Prepare
    const permutation = new FeistelPermutation(size, 42);

    // Act
    const images = Array.from({ length: size }, (_, i) => permutation.apply(i));

    // Assess
    expect(new Set(images).size).toBe(size);
    expect(Math.min(...images)).toBe(0);
    expect(Math.max(...images)).toBe(size - 1);
  });

  it('stays in a large domain and depends on its key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19_999_999 }), (index) => {
        const image = new FeistelPermutation(20_000_000, 1).apply(index);
        return image >= 0 && image < 20_000_000;
      }),
    );
    const a = Array.from({ length: 20 }, (_, i) => new FeistelPermutation(1e8, 1).apply(i));
    const b = Array.from({ length: 20 }, (_, i) => new FeistelPermutation(1e8, 2).apply(i));
    expect(a).not.toEqual(b);
  });

  it('rejects an empty domain', () => {
    expect(() => new FeistelPermutation(0, 1)).toThrow(RangeError);
  });
});
