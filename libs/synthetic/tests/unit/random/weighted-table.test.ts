import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/random/prng';
import { WeightedTable } from '../../../src/random/weighted-table';

describe('Class: WeightedTable', () => {
  it('picks values in proportion to their weights', () => {
    // Prepare
    const table = new WeightedTable([['a', 1], ['b', 3]] as const);
    const rng = Rng.of(3);

    // Act
    let b = 0;
    for (let i = 0; i < 20_000; i += 1) if (table.pick(rng) === 'b') b += 1;

    // Assess
    expect(b / 20_000).toBeGreaterThan(0.73);
    expect(b / 20_000).toBeLessThan(0.77);
  });

  it('rejects an empty table and non-positive weights', () => {
    expect(() => new WeightedTable([])).toThrow(RangeError);
    expect(() => new WeightedTable([['a', 0]])).toThrow(RangeError);
  });
});
