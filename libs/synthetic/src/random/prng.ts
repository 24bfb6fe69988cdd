/**
 * Murmur3's 32-bit finaliser: a fast bijective mix of one 32-bit word.
 * @internal
 */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a list of non-negative safe integers to one 32-bit word (order matters).
 * @internal
 */
export function hashKeys(keys: readonly number[], salt = 0): number {
  let h = mix32(0x9e3779b9 ^ salt);
  for (const key of keys) {
    const low = key >>> 0;
    const high = Math.floor(key / 4294967296) >>> 0;
    h = mix32(Math.imul(h ^ low, 0x9e3779b1) + high + 0x7f4a7c15);
  }
  return h;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG): 128-bit state, 32-bit output, passes PractRand, and is
 * fully determined by its seed. The generator never reads `Math.random` or the clock.
 *
 * Streams are addressed by keys, e.g. `Rng.of(seed, STREAM_PROFILE, customerIndex)`, so each customer's attributes
 * come from its own stream and stay stable whatever else is generated.
 * @internal
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.#a = a | 0;
    this.#b = b | 0;
    this.#c = c | 0;
    this.#d = d | 0;
    for (let i = 0; i < 12; i += 1) this.uint32();
  }

  /** A stream for the given keys (non-negative safe integers). */
  static of(...keys: number[]): Rng {
    return new Rng(hashKeys(keys, 1), hashKeys(keys, 2), hashKeys(keys, 3), hashKeys(keys, 4));
  }

  /** The next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** A standard normal variate (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal variate with the given median and shape. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A Poisson variate (Knuth's method; meant for small means). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k += 1;
      p *= this.float();
    }
    return k;
  }

  /** `length` random digits. */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += String.fromCharCode(48 + Math.floor(this.float() * 10));
    return out;
  }

  /** `length` random lower-case hex digits. */
  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += HEX[this.uint32() & 15];
    return out;
  }
}

const HEX = '0123456789abcdef';
