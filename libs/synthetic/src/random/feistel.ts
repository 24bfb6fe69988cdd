import { mix32 } from './prng';

/**
 * A keyed bijection of `[0, size)` onto itself: a 4-round balanced Feistel network over `m x m >= size`, with cycle
 * walking back into the domain. It turns sequential indexes into unique, scattered serial numbers without keeping a
 * set of the numbers already used.
 * @internal
 */
export class FeistelPermutation {
  readonly size: number;
  readonly #m: number;
  readonly #keys: readonly number[];

  /**
   * @param size - domain size, at most 2^52
   * @param key - the permutation's key (e.g. a hash of seed and purpose)
   */
  constructor(size: number, key: number) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('domain size must be a positive safe integer');
    this.size = size;
    this.#m = Math.max(2, Math.ceil(Math.sqrt(size)));
    this.#keys = [mix32(key ^ 0x1b873593), mix32(key ^ 0xcc9e2d51), mix32(key ^ 0x85ebca6b), mix32(key ^ 0xc2b2ae35)];
  }

  /** The image of `index` (0 <= index < size). */
  apply(index: number): number {
    let x = index;
    do x = this.#rounds(x);
    while (x >= this.size);
    return x;
  }

  #rounds(x: number): number {
    const m = this.#m;
    let left = Math.floor(x / m);
    let right = x - left * m;
    for (const key of this.#keys) {
      const next = (left + (mix32(right ^ key) % m)) % m;
      left = right;
      right = next;
    }
    return left * m + right;
  }
}
