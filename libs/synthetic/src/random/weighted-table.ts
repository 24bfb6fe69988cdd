import type { Rng } from './prng';

/**
 * A fixed list of values with relative weights, sampled by binary search over cumulative weights.
 * @internal
 */
export class WeightedTable<T> {
  readonly values: readonly T[];
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('a weighted table needs at least one entry');
    this.values = entries.map(([value]) => value);
    this.#cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight > 0)) throw new RangeError('weights must be positive');
      total += weight;
      this.#cumulative[i] = total;
    });
    this.#total = total;
  }

  /** One value, with probability proportional to its weight. */
  pick(rng: Rng): T {
    const target = rng.float() * this.#total;
    const cumulative = this.#cumulative;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }
}
