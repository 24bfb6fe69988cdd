import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, hashKeys, mix32 } from '../../../src/random/prng';

describe('Class: Rng', () => {
  it('gives the same sequence for the same keys and another for other keys', () => {
    // Prepare
    const a = Rng.of(1, 2, 3);
    const b = Rng.of(1, 2, 3);
    const c = Rng.of(1, 2, 4);

    // Act
    const seqA = Array.from({ length: 8 }, () => a.uint32());
    const seqB = Array.from({ length: 8 }, () => b.uint32());
    const seqC = Array.from({ length: 8 }, () => c.uint32());

    // Assess
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('distinguishes seeds above 2^32', () => {
    expect(hashKeys([2 ** 40 + 1])).not.toBe(hashKeys([1]));
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const rng = Rng.of(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i += 1) seen.add(rng.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('has floats in [0, 1) with a mean near 1/2', () => {
    const rng = Rng.of(11);
    let sum = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const x = rng.float();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
  });

  it('draws Poisson variates with the requested mean', () => {
    const rng = Rng.of(5);
    let sum = 0;
    for (let i = 0; i < 20_000; i += 1) sum += rng.poisson(2);
    expect(sum / 20_000).toBeGreaterThan(1.9);
    expect(sum / 20_000).toBeLessThan(2.1);
    expect(rng.poisson(0)).toBe(0);
  });

  it('writes digits and hex of the requested length', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 40 }), (seed, length) => {
        const rng = Rng.of(seed);
        expect(rng.digits(length)).toMatch(new RegExp(`^\\d{${length}}$`));
        expect(rng.hex(length)).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
      }),
    );
  });
});

describe('Function: mix32', () => {
  it('returns unsigned 32-bit words', () => {
    fc.assert(fc.property(fc.integer(), (n) => Number.isInteger(mix32(n)) && mix32(n) >= 0 && mix32(n) < 2 ** 32));
  });
});
