/** x^127 + x^126 + x^121 in the top word: the low terms of POLYVAL's polynomial x^128 + x^127 + x^126 + x^121 + 1. */
const REDUCTION_HIGH = 0xc2000000 | 0;

/**
 * POLYVAL (RFC 8452, section 3) as table lookups: multiplication by the fixed element H' = H * x^-128 is linear over
 * GF(2), so `dot(S, H)` is the XOR of 16 precomputed products, one per byte of S (16 x 256 x 16 bytes = 64 KiB per H).
 * Field elements are four little-endian 32-bit words: bit j of word k is the coefficient of x^(32k + j).
 *
 * @internal
 */
export class PolyvalTable {
  readonly #table = new Int32Array(16 * 256 * 4);

  /** @param h - the 16-byte POLYVAL key (the message-authentication key) */
  constructor(h: Uint8Array) {
    const view = new DataView(h.buffer, h.byteOffset, 16);
    let w0 = view.getInt32(0, true);
    let w1 = view.getInt32(4, true);
    let w2 = view.getInt32(8, true);
    let w3 = view.getInt32(12, true);
    // H' = H * x^-128: divide by x 128 times; dividing adds P first when the x^0 coefficient is set.
    for (let i = 0; i < 128; i++) {
      const low = w0 & 1;
      if (low !== 0) {
        w0 ^= 1;
        w3 ^= REDUCTION_HIGH;
      }
      w0 = (w0 >>> 1) | (w1 << 31);
      w1 = (w1 >>> 1) | (w2 << 31);
      w2 = (w2 >>> 1) | (w3 << 31);
      w3 = (w3 >>> 1) | (low << 31);
    }
    // basis[k] = H' * x^k for k = 0..127.
    const basis = new Int32Array(128 * 4);
    for (let k = 0; k < 128; k++) {
      basis[k * 4] = w0;
      basis[k * 4 + 1] = w1;
      basis[k * 4 + 2] = w2;
      basis[k * 4 + 3] = w3;
      const carry = w3 >>> 31;
      w3 = (w3 << 1) | (w2 >>> 31);
      w2 = (w2 << 1) | (w1 >>> 31);
      w1 = (w1 << 1) | (w0 >>> 31);
      w0 <<= 1;
      if (carry !== 0) {
        w0 ^= 1;
        w3 ^= REDUCTION_HIGH;
      }
    }
    const table = this.#table;
    for (let position = 0; position < 16; position++) {
      for (let byte = 1; byte < 256; byte++) {
        const bit = 31 - Math.clz32(byte & -byte);
        const from = (position * 256 + (byte & (byte - 1))) * 4;
        const to = (position * 256 + byte) * 4;
        const b = (position * 8 + bit) * 4;
        for (let w = 0; w < 4; w++) table[to + w] = (table[from + w] ?? 0) ^ (basis[b + w] ?? 0);
      }
    }
  }

  /**
   * S = dot(S xor X, H) for the state S (4 words, updated in place) and the block X given as 4 words.
   */
  update(state: Int32Array, x0: number, x1: number, x2: number, x3: number): void {
    const table = this.#table;
    const a0 = (state[0] ?? 0) ^ x0;
    const a1 = (state[1] ?? 0) ^ x1;
    const a2 = (state[2] ?? 0) ^ x2;
    const a3 = (state[3] ?? 0) ^ x3;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    for (let k = 0; k < 4; k++) {
      const word = k === 0 ? a0 : k === 1 ? a1 : k === 2 ? a2 : a3;
      for (let shift = 0; shift < 32; shift += 8) {
        const at = ((k * 4 + (shift >>> 3)) * 256 + ((word >>> shift) & 0xff)) * 4;
        r0 ^= table[at] ?? 0;
        r1 ^= table[at + 1] ?? 0;
        r2 ^= table[at + 2] ?? 0;
        r3 ^= table[at + 3] ?? 0;
      }
    }
    state[0] = r0;
    state[1] = r1;
    state[2] = r2;
    state[3] = r3;
  }

  /** Absorbs `bytes[from, from + length)` as zero-padded blocks. */
  absorb(state: Int32Array, bytes: Uint8Array, from: number, length: number): void {
    const end = from + length;
    for (let p = from; p < end; p += 16) {
      if (p + 16 <= end) {
        this.update(state, readLe(bytes, p), readLe(bytes, p + 4), readLe(bytes, p + 8), readLe(bytes, p + 12));
      } else {
        this.update(state, readLePartial(bytes, p, end), readLePartial(bytes, p + 4, end), readLePartial(bytes, p + 8, end), readLePartial(bytes, p + 12, end));
      }
    }
  }
}

function readLe(bytes: Uint8Array, p: number): number {
  return (bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8) | ((bytes[p + 2] ?? 0) << 16) | ((bytes[p + 3] ?? 0) << 24);
}

function readLePartial(bytes: Uint8Array, p: number, end: number): number {
  let word = 0;
  for (let i = 0; i < 4 && p + i < end; i++) word |= (bytes[p + i] ?? 0) << (8 * i);
  return word;
}
