import { createAesEcb, type AesEcb } from './aes-ecb';
import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';

/** FF1 always runs ten Feistel rounds (NIST SP 800-38G, Algorithm 7). @internal */
export const FF1_ROUNDS = 10;

/**
 * Values per native AES call. A whole chunk goes through all ten rounds before the next chunk starts: 4096 blocks
 * (64 KiB) amortise the native-call overhead (~0.5 µs) to about 0.1 ns per value and keep the round buffers in L2.
 * One call over a whole batch of a million values (16 MiB allocated per round) was measured at ~5x the cost per block
 * and ~30% lower end-to-end throughput; 1024..8192 performed alike.
 *
 * @internal
 */
export const FF1_CHUNK = 4096;

/** The smallest domain NIST SP 800-38G Rev. 1 allows: radix^minlen >= 1,000,000. @internal */
export const FF1_MIN_DOMAIN = 1_000_000;

/** Largest radix: [radix]3 in the P block holds 24 bits, the spec caps radix at 2^16. @internal */
export const FF1_MAX_RADIX = 65_536;

const TWO_32 = 4_294_967_296;
/** Halves up to this size run on Number arithmetic: b <= 6 bytes and every reduction stays below 2^52. */
const FAST_MAX_MODULUS = 2 ** 44;
const EMPTY = new Uint8Array(0);
const PLAN_CACHE_LIMIT = 256;

/**
 * How `y mod radix^m` is computed from the big-endian PRF output without BigInt: Horner's rule, each step reduced with
 * a multiply-by-inverse (no float `%`, which V8 runs as a C call). Every intermediate stays below 2^52, so products
 * and the quotient correction are exact. The first 32 bits enter unreduced.
 */
const REDUCTION = {
  /** modulus <= 2^20 and d = 8: y = w0 * (2^32 mod m) + w1 < 2^52, a single reduction. */
  WORDS: 0,
  /** modulus <= 2^36: 16-bit steps. */
  HALVES: 2,
  /** modulus <= 2^44: 8-bit steps. */
  BYTES: 1,
} as const;
type Reduction = (typeof REDUCTION)[keyof typeof REDUCTION];

/**
 * Everything about one (length, tweak) pair that does not depend on the value: the split, the byte sizes and, per
 * round, the CBC-MAC state over P and the constant part of Q already folded into the first variable block.
 *
 * @internal
 */
export interface Ff1Plan {
  /** Numeral-string length. */
  readonly n: number;
  /** Length of the left half A, floor(n/2). */
  readonly u: number;
  /** Length of the right half B, n - u. */
  readonly v: number;
  /** Bytes of NUM(B) in Q: ceil(ceil(v * log2(radix)) / 8). */
  readonly b: number;
  /** Bytes of S used for y: 4 * ceil(b / 4) + 4. */
  readonly d: number;
  /** True when radix^v <= 2^44: the halves live in Float64Arrays and no BigInt is touched. */
  readonly fast: boolean;
  /** radix^u and radix^v as numbers (exact when `fast`). */
  readonly modU: number;
  readonly modV: number;
  /** radix^u and radix^v as bigints (for the general path). */
  readonly modUBig: bigint;
  readonly modVBig: bigint;
  /** How to reduce y modulo radix^u and radix^v on the fast path. */
  readonly reduceU: Reduction;
  readonly reduceV: Reduction;
  /** Blocks of P || Q that contain bytes of NUM(B): 1 unless b >= 16. */
  readonly varBlocks: number;
  /** Extra blocks of S beyond R: ceil(d / 16) - 1, non-zero only when d > 16. */
  readonly extBlocks: number;
  /** Per round: the variable blocks with constant bytes filled in and the first block XORed with the CBC-MAC state. */
  readonly templates: readonly Buffer[];
  /** Per round: the first template block as four native-order words (the fast path only needs this block). */
  readonly templateWords: Uint32Array;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function reductionFor(modulus: number, d: number): Reduction {
  if (modulus <= 2 ** 20 && d === 8) return REDUCTION.WORDS;
  if (modulus <= 2 ** 36) return REDUCTION.HALVES;
  return REDUCTION.BYTES;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The native-order word whose bytes are `x` big-endian (a byte swap on little-endian hosts). */
function toBigEndian(x: number): number {
  if (!LITTLE_ENDIAN) return x;
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/**
 * x mod m for an integer 0 <= x < 2^52 + 2^45 and 2 <= m <= 2^44, given inverse = 1 / m. The float quotient is off by
 * at most one, and q * m <= x + m < 2^53 keeps the correction exact.
 */
function reduce(x: number, m: number, inverse: number): number {
  const r = x - Math.floor(x * inverse) * m;
  if (r < 0) return r + m;
  return r >= m ? r - m : r;
}

function modBig(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

/**
 * The numeric core of FF1 (NIST SP 800-38G): it encrypts the halves (A, B) of numeral strings, batch by batch, with
 * one native AES-ECB call per round for a whole chunk. Callers own parsing and formatting; `createFf1` maps strings
 * over an alphabet, `createNationalIdFpe` maps ID numbers.
 *
 * The PRF is CBC-MAC over P || Q. P depends only on (radix, u, n, t), and the leading blocks of Q only on the tweak
 * and the round number, so their MAC state is computed once per (length, tweak) and cached; what remains per value
 * is the block holding NUM(B) (one block whenever b < 16), hence one AES block per value per round.
 *
 * @internal
 */
export class Ff1Engine {
  /** The radix every numeral of this engine is written in. */
  readonly radix: number;
  /** The shortest length whose domain has at least 1,000,000 values (and at least 2). */
  readonly minLength: number;
  readonly #ecb: AesEcb;
  readonly #plans = new Map<string, Ff1Plan>();
  readonly #scratch = new Uint8Array(FF1_CHUNK * 16);
  readonly #words = new Uint32Array(this.#scratch.buffer, this.#scratch.byteOffset, FF1_CHUNK * 4);

  /**
   * @param key - AES-128, AES-192 or AES-256 key
   * @param radix - 2..65536
   */
  constructor(key: Uint8Array, radix: number) {
    if (!Number.isInteger(radix) || radix < 2 || radix > FF1_MAX_RADIX) {
      throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_ALPHABET, `FF1 radix must be 2..${FF1_MAX_RADIX}, got ${radix}`);
    }
    this.#ecb = createAesEcb(key, 'FF1 key');
    this.radix = radix;
    let minLength = 2;
    while (radix ** minLength < FF1_MIN_DOMAIN) minLength++;
    this.minLength = minLength;
  }

  /**
   * The cached plan for numeral strings of length `n` under `tweak`.
   *
   * @throws CryptoError `FF1_DOMAIN` when `n` is below {@link Ff1Engine.minLength}
   */
  plan(n: number, tweak: Uint8Array = EMPTY): Ff1Plan {
    if (n < this.minLength || n >= TWO_32) {
      throw new CryptoError(
        CRYPTO_ERROR_CODES.FF1_DOMAIN,
        `FF1 input of length ${n} is outside the domain: radix ${this.radix} needs at least ${this.minLength} characters (radix^length >= ${FF1_MIN_DOMAIN})`,
      );
    }
    const cacheKey = tweak.length === 0 ? `${n}` : `${n}:${Buffer.from(tweak.buffer, tweak.byteOffset, tweak.length).toString('hex')}`;
    let plan = this.#plans.get(cacheKey);
    if (plan === undefined) {
      if (this.#plans.size >= PLAN_CACHE_LIMIT) this.#plans.clear();
      plan = this.#buildPlan(n, tweak);
      this.#plans.set(cacheKey, plan);
    }
    return plan;
  }

  /**
   * Runs the ten rounds over `count` values held as Numbers: `a[j]`, `b[j]` are NUM(A) and NUM(B) of value j on entry
   * and of its result on exit. Only for plans with `fast` set.
   */
  cryptFast(plan: Ff1Plan, a: Float64Array, b: Float64Array, count: number, decrypt: boolean): void {
    let left = a;
    let right = b;
    for (let step = 0; step < FF1_ROUNDS; step++) {
      const round = decrypt ? FF1_ROUNDS - 1 - step : step;
      const even = (round & 1) === 0;
      const modulus = even ? plan.modU : plan.modV;
      const reduction = even ? plan.reduceU : plan.reduceV;
      // Encrypt: the PRF reads B and the sum lands in A's slot; decrypt: the PRF reads A and the difference lands in
      // B's slot. Swapping the two arrays afterwards is the Feistel swap; ten swaps leave them where they started.
      if (decrypt) this.#fastRound(plan, round, left, right, count, modulus, reduction, true);
      else this.#fastRound(plan, round, right, left, count, modulus, reduction, false);
      const swap = left;
      left = right;
      right = swap;
    }
  }

  /** Runs the ten rounds over `count` values held as bigints (any size). Same contract as {@link Ff1Engine.cryptFast}. */
  cryptBig(plan: Ff1Plan, a: bigint[], b: bigint[], count: number, decrypt: boolean): void {
    let left = a;
    let right = b;
    for (let step = 0; step < FF1_ROUNDS; step++) {
      const round = decrypt ? FF1_ROUNDS - 1 - step : step;
      const modulus = (round & 1) === 0 ? plan.modUBig : plan.modVBig;
      if (decrypt) this.#bigRound(plan, round, left, right, count, modulus, true);
      else this.#bigRound(plan, round, right, left, count, modulus, false);
      const swap = left;
      left = right;
      right = swap;
    }
  }

  #buildPlan(n: number, tweak: Uint8Array): Ff1Plan {
    const radix = this.radix;
    const u = Math.floor(n / 2);
    const v = n - u;
    const modUBig = BigInt(radix) ** BigInt(u);
    const modVBig = BigInt(radix) ** BigInt(v);
    const b = Math.ceil(bitLength(modVBig - 1n) / 8);
    const d = 4 * Math.ceil(b / 4) + 4;
    const t = tweak.length;
    const pad = (((-t - b - 1) % 16) + 16) % 16;
    const qLength = t + pad + 1 + b;
    // P = [1]1 [2]1 [1]1 [radix]3 [10]1 [u mod 256]1 [n]4 [t]4, then Q = T || 0^pad || [i]1 || [NUM(B)]b.
    const pq = Buffer.alloc(16 + qLength);
    pq[0] = 1;
    pq[1] = 2;
    pq[2] = 1;
    pq[3] = (radix >>> 16) & 0xff;
    pq[4] = (radix >>> 8) & 0xff;
    pq[5] = radix & 0xff;
    pq[6] = 10;
    pq[7] = u & 0xff;
    pq.writeUInt32BE(n, 8);
    pq.writeUInt32BE(t, 12);
    pq.set(tweak, 16);
    const roundByte = 16 + t + pad;
    const firstVarBlock = Math.floor((16 + qLength - b) / 16);
    const varBlocks = (16 + qLength) / 16 - firstVarBlock;
    const templates: Buffer[] = [];
    const templateWords = new Uint32Array(FF1_ROUNDS * 4);
    for (let round = 0; round < FF1_ROUNDS; round++) {
      pq[roundByte] = round;
      let state: Buffer = Buffer.alloc(16);
      for (let block = 0; block < firstVarBlock; block++) {
        for (let k = 0; k < 16; k++) state[k] = (state[k] ?? 0) ^ (pq[block * 16 + k] ?? 0);
        state = this.#ecb.encrypt(state);
      }
      const template = Buffer.from(pq.subarray(firstVarBlock * 16));
      for (let k = 0; k < 16; k++) template[k] = (template[k] ?? 0) ^ (state[k] ?? 0);
      templates.push(template);
      for (let w = 0; w < 4; w++) templateWords[round * 4 + w] = toBigEndian(template.readUInt32BE(w * 4));
    }
    const fast = modVBig <= BigInt(FAST_MAX_MODULUS);
    const modU = Number(modUBig);
    const modV = Number(modVBig);
    return {
      n,
      u,
      v,
      b,
      d,
      fast,
      modU,
      modV,
      modUBig,
      modVBig,
      reduceU: reductionFor(modU, d),
      reduceV: reductionFor(modV, d),
      varBlocks,
      extBlocks: Math.ceil(d / 16) - 1,
      templates,
      templateWords,
    };
  }

  /**
   * One round on the Number path. `variable[j]` goes into Q (b <= 6 bytes, always inside the last block), `acc[j]`
   * becomes (acc[j] +- y) mod modulus.
   */
  #fastRound(
    plan: Ff1Plan,
    round: number,
    variable: Float64Array,
    acc: Float64Array,
    count: number,
    modulus: number,
    reduction: Reduction,
    decrypt: boolean,
  ): void {
    // Build the blocks with native-order word stores; only the last two words carry NUM(B) (b <= 6 bytes).
    const words = this.#words;
    const template = plan.templateWords;
    const t0 = template[round * 4] ?? 0;
    const t1 = template[round * 4 + 1] ?? 0;
    const t2 = template[round * 4 + 2] ?? 0;
    const t3 = template[round * 4 + 3] ?? 0;
    for (let j = 0, w = 0; j < count; j++, w += 4) {
      const x = variable[j] ?? 0;
      const low = x >>> 0;
      words[w] = t0;
      words[w + 1] = t1;
      words[w + 2] = t2 ^ toBigEndian((x - low) / TWO_32);
      words[w + 3] = t3 ^ toBigEndian(low);
    }
    const out = this.#ecb.encrypt(count === FF1_CHUNK ? this.#scratch : this.#scratch.subarray(0, count * 16));
    const outView = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const inverse = 1 / modulus;
    // (acc +- y) mod m is folded into the last reduction: x = acc + y' (encrypt) or acc + K - y' (decrypt), with y'
    // the unreduced last Horner step and K a multiple of m above y'. One reduction, no data-dependent branch.
    if (reduction === REDUCTION.WORDS) {
      // d = 8: y = w0 * 2^32 + w1 = w0 * (2^32 mod m) + w1 (mod m), and that sum is below 2^32 * m <= 2^52.
      const shift = TWO_32 % modulus;
      const k = decrypt ? modulus * TWO_32 : 0;
      const sign = decrypt ? -1 : 1;
      for (let j = 0, off = 0; j < count; j++, off += 16) {
        const x = (acc[j] ?? 0) + k + sign * (outView.getUint32(off) * shift + outView.getUint32(off + 4));
        let r = x - Math.floor(x * inverse) * modulus;
        if (r < 0) r += modulus;
        else if (r >= modulus) r -= modulus;
        acc[j] = r;
      }
      return;
    }
    const step = reduction;
    const scale = step === REDUCTION.HALVES ? 65_536 : 256;
    const k = decrypt ? modulus * scale : 0;
    const sign = decrypt ? -1 : 1;
    const last = plan.d - step;
    for (let j = 0, off = 0; j < count; j++, off += 16) {
      let y = outView.getUint32(off);
      for (let p = off + 4, end = off + last; p < end; p += step) {
        y = reduce(y * scale + (step === REDUCTION.HALVES ? outView.getUint16(p) : outView.getUint8(p)), modulus, inverse);
      }
      const tail = step === REDUCTION.HALVES ? outView.getUint16(off + last) : outView.getUint8(off + last);
      acc[j] = reduce((acc[j] ?? 0) + k + sign * (y * scale + tail), modulus, inverse);
    }
  }

  /** One round on the BigInt path: any b (several variable blocks, lock-step) and any d (S extension). */
  #bigRound(
    plan: Ff1Plan,
    round: number,
    variable: bigint[],
    acc: bigint[],
    count: number,
    modulus: bigint,
    decrypt: boolean,
  ): void {
    const { b, d, varBlocks, extBlocks } = plan;
    const template = plan.templates[round] ?? Buffer.alloc(varBlocks * 16);
    const width = varBlocks * 16;
    const region = Buffer.allocUnsafe(count * width);
    const numBytes = Buffer.allocUnsafe(b);
    for (let j = 0; j < count; j++) {
      const base = j * width;
      template.copy(region, base);
      numBytes.write((variable[j] ?? 0n).toString(16).padStart(b * 2, '0'), 0, 'hex');
      for (let k = 0, p = base + width - b; k < b; k++, p++) region[p] = (region[p] ?? 0) ^ (numBytes[k] ?? 0);
    }
    // CBC-MAC over the variable blocks, all values in lock-step: block s of every value in one native call.
    const input = Buffer.allocUnsafe(count * 16);
    let state: Buffer = Buffer.alloc(count * 16);
    for (let s = 0; s < varBlocks; s++) {
      for (let j = 0; j < count; j++) {
        for (let k = 0, p = j * width + s * 16, q = j * 16; k < 16; k++, p++, q++) {
          input[q] = (region[p] ?? 0) ^ (state[q] ?? 0);
        }
      }
      state = this.#ecb.encrypt(input);
    }
    // S = R || CIPH(R xor [1]16) || ... || CIPH(R xor [extBlocks]16), first d bytes.
    let extension: Buffer | undefined;
    if (extBlocks > 0) {
      const blocks = Buffer.allocUnsafe(count * extBlocks * 16);
      for (let j = 0; j < count; j++) {
        for (let e = 1; e <= extBlocks; e++) {
          const base = (j * extBlocks + e - 1) * 16;
          state.copy(blocks, base, j * 16, j * 16 + 16);
          blocks.writeUInt32BE((blocks.readUInt32BE(base + 12) ^ e) >>> 0, base + 12);
        }
      }
      extension = this.#ecb.encrypt(blocks);
    }
    for (let j = 0; j < count; j++) {
      let hex = state.toString('hex', j * 16, j * 16 + Math.min(d, 16));
      if (extension !== undefined) {
        hex += extension.toString('hex', j * extBlocks * 16, j * extBlocks * 16 + d - 16);
      }
      const y = BigInt(`0x${hex}`);
      const previous = acc[j] ?? 0n;
      acc[j] = modBig(decrypt ? previous - y : previous + y, modulus);
    }
  }
}
