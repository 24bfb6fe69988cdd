/**
 * Doubling in GF(2^128) as RFC 5297 (S2V) and RFC 4493 (CMAC subkeys) define it: shift left by one bit, and XOR 0x87
 * into the last byte when the shifted-out bit was set. Constant time: the reduction is masked, not branched.
 *
 * @param block - 16 bytes, not modified
 * @returns a new 16-byte block
 * @internal
 */
export function dbl(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  const carry = (block[0] ?? 0) >>> 7;
  for (let i = 0; i < 15; i++) out[i] = (((block[i] ?? 0) << 1) | ((block[i + 1] ?? 0) >>> 7)) & 0xff;
  out[15] = (((block[15] ?? 0) << 1) & 0xff) ^ (0x87 & -carry);
  return out;
}

/**
 * XORs `source[0, length)` into `target` starting at `offset`.
 *
 * @internal
 */
export function xorInto(target: Uint8Array, offset: number, source: Uint8Array, length = source.length): void {
  for (let i = 0; i < length; i++) target[offset + i] = (target[offset + i] ?? 0) ^ (source[i] ?? 0);
}

/**
 * Compares two 16-byte tags without an early exit.
 *
 * @internal
 */
export function tagsEqual(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): boolean {
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= (a[aOffset + i] ?? 0) ^ (b[bOffset + i] ?? 0);
  return diff === 0;
}
