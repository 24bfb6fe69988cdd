import { createAesEcb, type AesEcb } from './aes-ecb';
import { tagsEqual } from './block-utils';
import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';
import { PolyvalTable } from './polyval';
import type { AesGcmSivCipher } from './types/aes-gcm-siv-cipher';

/** Values per batch step. @internal */
export const GCM_SIV_CHUNK = 4096;

const EMPTY = new Uint8Array(0);
const NONCE_CACHE_LIMIT = 16;
const AD_CACHE_LIMIT = 16;
const TWO_32 = 4_294_967_296;

/** Everything derived from (key, nonce): the POLYVAL table, the message-encryption cipher, POLYVAL states after AD. */
interface NonceState {
  readonly nonce: Uint8Array;
  readonly polyval: PolyvalTable;
  readonly ecb: AesEcb;
  readonly afterAd: Map<string, Int32Array>;
}

function wordLe(bytes: Uint8Array, p: number): number {
  return (bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8) | ((bytes[p + 2] ?? 0) << 16) | ((bytes[p + 3] ?? 0) << 24);
}

class AesGcmSivBatch implements AesGcmSivCipher {
  readonly #keyGenerating: AesEcb;
  readonly #keyBytes: number;
  readonly #nonces = new Map<string, NonceState>();

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 32) {
      throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_KEY, `AES-GCM-SIV key must be 16 or 32 bytes, got ${key.length} bytes`);
    }
    this.#keyBytes = key.length;
    this.#keyGenerating = createAesEcb(key, 'AES-GCM-SIV key');
  }

  seal(plaintexts: readonly Uint8Array[], nonce: Uint8Array, associatedData: Uint8Array = EMPTY): Uint8Array[] {
    const state = this.#nonceState(nonce);
    const afterAd = this.#afterAd(state, associatedData);
    const out: Uint8Array[] = new Array<Uint8Array>(plaintexts.length);
    for (let start = 0; start < plaintexts.length; start += GCM_SIV_CHUNK) {
      const chunk = plaintexts.slice(start, start + GCM_SIV_CHUNK);
      const count = chunk.length;
      const tags = this.#tags(state, afterAd, associatedData.length, chunk);
      let size = 0;
      for (const plaintext of chunk) size += plaintext.length + 16;
      const buffer = new Uint8Array(size);
      const offsets = new Int32Array(count);
      for (let j = 0, offset = 0; j < count; j++) {
        const length = chunk[j]?.length ?? 0;
        offsets[j] = offset;
        for (let i = 0; i < 16; i++) buffer[offset + length + i] = tags[j * 16 + i] ?? 0;
        out[start + j] = new Uint8Array(buffer.buffer, offset, length + 16);
        offset += length + 16;
      }
      this.#ctrXor(state, tags, chunk, 0, buffer, offsets);
    }
    return out;
  }

  open(ciphertexts: readonly Uint8Array[], nonce: Uint8Array, associatedData: Uint8Array = EMPTY): Uint8Array[] {
    const state = this.#nonceState(nonce);
    const afterAd = this.#afterAd(state, associatedData);
    const out: Uint8Array[] = new Array<Uint8Array>(ciphertexts.length);
    const buffers: Uint8Array[] = [];
    let failed = -1;
    for (let start = 0; start < ciphertexts.length && failed < 0; start += GCM_SIV_CHUNK) {
      const chunk = ciphertexts.slice(start, start + GCM_SIV_CHUNK);
      const count = chunk.length;
      const tags = new Uint8Array(count * 16);
      let size = 0;
      for (let j = 0; j < count; j++) {
        const token = chunk[j] ?? EMPTY;
        if (token.length < 16) {
          failed = start + j;
          break;
        }
        const length = token.length - 16;
        for (let i = 0; i < 16; i++) tags[j * 16 + i] = token[length + i] ?? 0;
        size += length;
      }
      if (failed >= 0) break;
      const buffer = new Uint8Array(size);
      buffers.push(buffer);
      const plaintexts: Uint8Array[] = new Array<Uint8Array>(count);
      const offsets = new Int32Array(count);
      for (let j = 0, offset = 0; j < count; j++) {
        const length = (chunk[j]?.length ?? 16) - 16;
        offsets[j] = offset;
        plaintexts[j] = new Uint8Array(buffer.buffer, offset, length);
        out[start + j] = plaintexts[j] ?? buffer;
        offset += length;
      }
      this.#ctrXor(state, tags, chunk, 16, buffer, offsets);
      const expected = this.#tags(state, afterAd, associatedData.length, plaintexts);
      for (let j = 0; j < count; j++) {
        if (!tagsEqual(tags, j * 16, expected, j * 16) && failed < 0) failed = start + j;
      }
    }
    if (failed >= 0) {
      for (const buffer of buffers) buffer.fill(0);
      throw new CryptoError(
        CRYPTO_ERROR_CODES.SIV_AUTH_FAILED,
        `AES-GCM-SIV ciphertext at index ${failed} failed authentication (altered, truncated, or sealed with another key, nonce or associated data)`,
      );
    }
    return out;
  }

  /** Key derivation (RFC 8452, section 4): AES_K(LE32(i) || nonce), first 8 bytes each; cached per nonce. */
  #nonceState(nonce: Uint8Array): NonceState {
    if (nonce.length !== 12) {
      throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_INPUT, `AES-GCM-SIV nonce must be 12 bytes, got ${nonce.length} bytes`);
    }
    const cacheKey = Buffer.from(nonce.buffer, nonce.byteOffset, 12).toString('hex');
    const cached = this.#nonces.get(cacheKey);
    if (cached !== undefined) return cached;
    const blockCount = this.#keyBytes === 32 ? 6 : 4;
    const blocks = new Uint8Array(blockCount * 16);
    for (let i = 0; i < blockCount; i++) {
      blocks[i * 16] = i;
      blocks.set(nonce, i * 16 + 4);
    }
    const derived = this.#keyGenerating.encrypt(blocks);
    const authKey = new Uint8Array(16);
    const encKey = new Uint8Array(this.#keyBytes);
    for (let i = 0; i < blockCount; i++) {
      const half = derived.subarray(i * 16, i * 16 + 8);
      if (i < 2) authKey.set(half, i * 8);
      else encKey.set(half, (i - 2) * 8);
    }
    const state: NonceState = {
      nonce: Uint8Array.from(nonce),
      polyval: new PolyvalTable(authKey),
      ecb: createAesEcb(encKey, 'AES-GCM-SIV derived key'),
      afterAd: new Map(),
    };
    authKey.fill(0);
    encKey.fill(0);
    if (this.#nonces.size >= NONCE_CACHE_LIMIT) this.#nonces.clear();
    this.#nonces.set(cacheKey, state);
    return state;
  }

  /** The POLYVAL state after the zero-padded associated data: the same for every value of a batch. */
  #afterAd(state: NonceState, associatedData: Uint8Array): Int32Array {
    const cacheKey = Buffer.from(associatedData.buffer, associatedData.byteOffset, associatedData.length).toString('base64');
    let afterAd = state.afterAd.get(cacheKey);
    if (afterAd === undefined) {
      afterAd = new Int32Array(4);
      state.polyval.absorb(afterAd, associatedData, 0, associatedData.length);
      if (state.afterAd.size >= AD_CACHE_LIMIT) state.afterAd.clear();
      state.afterAd.set(cacheKey, afterAd);
    }
    return afterAd;
  }

  /**
   * Tags of a chunk: POLYVAL over each plaintext and the length block, nonce XORed in, top bit cleared, then one
   * native AES call for all values.
   */
  #tags(state: NonceState, afterAd: Int32Array, adLength: number, plaintexts: readonly Uint8Array[]): Uint8Array {
    const count = plaintexts.length;
    const input = new Uint8Array(count * 16);
    const view = new DataView(input.buffer);
    const s = new Int32Array(4);
    const nonce = state.nonce;
    const n0 = wordLe(nonce, 0);
    const n1 = wordLe(nonce, 4);
    const n2 = wordLe(nonce, 8);
    const adBits = adLength * 8;
    const adLow = adBits % TWO_32 | 0;
    const adHigh = Math.floor(adBits / TWO_32) | 0;
    for (let j = 0; j < count; j++) {
      const plaintext = plaintexts[j] ?? EMPTY;
      s.set(afterAd);
      state.polyval.absorb(s, plaintext, 0, plaintext.length);
      const bits = plaintext.length * 8;
      state.polyval.update(s, adLow, adHigh, bits % TWO_32 | 0, Math.floor(bits / TWO_32) | 0);
      const p = j * 16;
      view.setInt32(p, (s[0] ?? 0) ^ n0, true);
      view.setInt32(p + 4, (s[1] ?? 0) ^ n1, true);
      view.setInt32(p + 8, (s[2] ?? 0) ^ n2, true);
      view.setInt32(p + 12, (s[3] ?? 0) & 0x7fffffff, true);
    }
    return new Uint8Array(state.ecb.encrypt(input));
  }

  /**
   * `target[offsets[j] + i] = sources[j][i] xor keystream_j[i]` for i below `sources[j].length - trim` (trim = 16 skips
   * the tag at the end of a ciphertext). AES-CTR as RFC 8452 defines it: counter block = tag with the top bit of byte 15 set, the first four bytes a
   * little-endian 32-bit counter that wraps. All keystream blocks of the chunk in one native call.
   */
  #ctrXor(state: NonceState, tags: Uint8Array, sources: readonly Uint8Array[], trim: number, target: Uint8Array, offsets: Int32Array): void {
    const count = sources.length;
    let total = 0;
    for (let j = 0; j < count; j++) total += ((sources[j]?.length ?? trim) - trim + 15) >>> 4;
    if (total === 0) return;
    const counters = new Uint8Array(total * 16);
    const view = new DataView(counters.buffer);
    const tagView = new DataView(tags.buffer, tags.byteOffset, tags.byteLength);
    for (let j = 0, block = 0; j < count; j++) {
      const blocks = ((sources[j]?.length ?? trim) - trim + 15) >>> 4;
      if (blocks === 0) continue;
      const c0 = tagView.getUint32(j * 16, true);
      const t1 = tagView.getInt32(j * 16 + 4, true);
      const t2 = tagView.getInt32(j * 16 + 8, true);
      const t3 = tagView.getInt32(j * 16 + 12, true) | 0x80000000;
      for (let c = 0; c < blocks; c++, block++) {
        const p = block * 16;
        view.setUint32(p, (c0 + c) >>> 0, true);
        view.setInt32(p + 4, t1, true);
        view.setInt32(p + 8, t2, true);
        view.setInt32(p + 12, t3, true);
      }
    }
    const keystream = state.ecb.encrypt(counters);
    for (let j = 0, k = 0; j < count; j++) {
      const source = sources[j] ?? EMPTY;
      const length = source.length - trim;
      const into = offsets[j] ?? 0;
      for (let i = 0; i < length; i++) target[into + i] = (source[i] ?? 0) ^ (keystream[k + i] ?? 0);
      k += ((length + 15) >>> 4) * 16;
    }
  }
}

/**
 * Creates a batch AES-GCM-SIV cipher (RFC 8452): nonce-misuse-resistant AEAD, deterministic under a fixed nonce.
 *
 * Batch-first: the per-nonce keys and the POLYVAL multiplication table are derived once per nonce and cached, the
 * POLYVAL state after the associated data is shared by the batch, and the tags and the CTR keystream of up to 4096
 * values are each one native AES-ECB call. POLYVAL itself runs in JavaScript (16 table lookups per block).
 *
 * Side channels: the POLYVAL tables are indexed by data-dependent bytes, so unlike AES-SIV (all keyed work in native
 * AES) this is not constant-time against an attacker who shares the CPU cache. For batch masking on our own hosts that
 * is acceptable; AES-SIV stays the default deterministic cipher.
 *
 * @param key - 16 or 32 bytes (AES-128-GCM-SIV or AES-256-GCM-SIV)
 * @returns the cipher; create it once per key
 * @throws CryptoError `INVALID_KEY`
 * @example
 * const gcm = createAesGcmSiv(dataKey);
 * const nonce = columnNonce('customer_profile.email'); // 12 bytes, fixed per column for deterministic tokens
 * const tokens = gcm.seal(emails.map((email) => new TextEncoder().encode(email)), nonce);
 * gcm.open(tokens, nonce);
 */
export function createAesGcmSiv(key: Uint8Array): AesGcmSivCipher {
  return new AesGcmSivBatch(key);
}
