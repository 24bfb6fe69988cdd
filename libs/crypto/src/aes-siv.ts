import { createCipheriv } from 'node:crypto';
import { createAesEcb, type AesEcb } from './aes-ecb';
import { readBase64Url, writeBase64Url } from './base64url';
import { dbl, tagsEqual, xorInto } from './block-utils';
import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';
import type { AesSivCipher } from './types/aes-siv-cipher';
import { ByteArena, readUtf8Chunk, writeUtf8 } from './utf8-batch';

/** Values per batch step: every native call of a step covers up to this many values. @internal */
export const SIV_CHUNK = 4096;

/**
 * Plaintexts longer than this take one native AES-CBC call (the CMAC chain) and one native AES-CTR call each instead
 * of the lock-step batch, so one long outlier does not stretch the lock-step to hundreds of nearly empty steps.
 *
 * @internal
 */
export const SIV_LONG_BYTES = 512;

/** RFC 5297 proves S2V for at most 127 components; the plaintext is the last one. */
export const AES_SIV_MAX_ASSOCIATED_DATA = 126;

const ZERO_BLOCK = new Uint8Array(16);
const AD_CACHE_LIMIT = 64;

/** S2V state that depends only on the key and the associated-data vector. */
interface HeaderState {
  /** D after all associated-data components. */
  readonly d: Uint8Array;
  /** dbl(D) xor K1: the whole CMAC input block of a short plaintext, before pad(Sn) is XORed in. */
  readonly shortMask: Uint8Array;
}

/** One chunk's S2V bookkeeping: which values are batched, their block counts and CMAC message offsets. */
interface Layout {
  readonly blocks: Int32Array;
  readonly offsets: Int32Array;
  readonly total: number;
  readonly maxBlocks: number;
  readonly long: number[];
}

/** Zeroes what was decrypted so far and builds the authentication error for batch index `index`. */
function authFailure(buffers: readonly Uint8Array[], index: number): CryptoError {
  for (const buffer of buffers) buffer.fill(0);
  return new CryptoError(
    CRYPTO_ERROR_CODES.SIV_AUTH_FAILED,
    `AES-SIV ciphertext at index ${index} failed authentication (altered, truncated, or sealed with another key or associated data)`,
  );
}

class AesSivBatch implements AesSivCipher {
  readonly #mac: AesEcb;
  readonly #ctr: AesEcb;
  readonly #macKey: Uint8Array;
  readonly #ctrKey: Uint8Array;
  readonly #bits: number;
  readonly #k1: Uint8Array;
  readonly #k2: Uint8Array;
  readonly #headers = new Map<string, HeaderState>();

  constructor(key: Uint8Array) {
    if (key.length !== 32 && key.length !== 48 && key.length !== 64) {
      throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_KEY, `AES-SIV key must be 32, 48 or 64 bytes, got ${key.length} bytes`);
    }
    const half = key.length / 2;
    this.#macKey = Uint8Array.from(key.subarray(0, half));
    this.#ctrKey = Uint8Array.from(key.subarray(half));
    this.#bits = half * 8;
    this.#mac = createAesEcb(this.#macKey, 'AES-SIV key');
    this.#ctr = createAesEcb(this.#ctrKey, 'AES-SIV key');
    // CMAC subkeys (RFC 4493): L = AES(0), K1 = dbl(L), K2 = dbl(K1).
    this.#k1 = dbl(this.#mac.encrypt(ZERO_BLOCK));
    this.#k2 = dbl(this.#k1);
  }

  seal(plaintexts: readonly Uint8Array[], associatedData: readonly Uint8Array[] = []): Uint8Array[] {
    const header = this.#header(associatedData);
    const out: Uint8Array[] = new Array<Uint8Array>(plaintexts.length);
    for (let start = 0; start < plaintexts.length; start += SIV_CHUNK) {
      const chunk = plaintexts.slice(start, start + SIV_CHUNK);
      const count = chunk.length;
      const siv = new Uint8Array(count * 16);
      this.#s2v(chunk, header, siv);
      let size = 0;
      for (const plaintext of chunk) size += 16 + plaintext.length;
      const tokens = new Uint8Array(size);
      const offsets = new Int32Array(count);
      for (let j = 0, offset = 0; j < count; j++) {
        const length = 16 + (chunk[j]?.length ?? 0);
        for (let i = 0; i < 16; i++) tokens[offset + i] = siv[j * 16 + i] ?? 0;
        offsets[j] = offset + 16;
        out[start + j] = new Uint8Array(tokens.buffer, offset, length);
        offset += length;
      }
      this.#ctrXor(siv, chunk, 0, tokens, offsets);
    }
    return out;
  }

  open(ciphertexts: readonly Uint8Array[], associatedData: readonly Uint8Array[] = []): Uint8Array[] {
    const header = this.#header(associatedData);
    const out: Uint8Array[] = new Array<Uint8Array>(ciphertexts.length);
    const buffers: Uint8Array[] = [];
    for (let start = 0; start < ciphertexts.length; start += SIV_CHUNK) {
      const chunk = this.#openChunk(ciphertexts.slice(start, start + SIV_CHUNK), header);
      if (chunk.buffer !== undefined) buffers.push(chunk.buffer);
      if (chunk.failed >= 0) throw authFailure(buffers, start + chunk.failed);
      for (let j = 0; j < chunk.plaintexts.length; j++) out[start + j] = chunk.plaintexts[j] ?? ZERO_BLOCK;
    }
    return out;
  }

  sealText(values: readonly string[], associatedData: readonly Uint8Array[] = []): string[] {
    const header = this.#header(associatedData);
    const out = new Array<string>(values.length);
    const input = new ByteArena();
    const text = new ByteArena();
    for (let start = 0; start < values.length; start += SIV_CHUNK) {
      const count = Math.min(SIV_CHUNK, values.length - start);
      // UTF-8 of the whole chunk in one arena; the per-value views die with the chunk.
      const starts = new Int32Array(count + 1);
      let used = 0;
      for (let j = 0; j < count; j++) {
        starts[j] = used;
        used += writeUtf8(input, values[start + j] ?? '', used);
      }
      starts[count] = used;
      const plaintexts: Uint8Array[] = new Array<Uint8Array>(count);
      for (let j = 0; j < count; j++) plaintexts[j] = input.bytes.subarray(starts[j] ?? 0, starts[j + 1] ?? 0);
      const siv = new Uint8Array(count * 16);
      this.#s2v(plaintexts, header, siv);
      const tokens = new Uint8Array(used + count * 16);
      const offsets = new Int32Array(count);
      for (let j = 0; j < count; j++) {
        const at = (starts[j] ?? 0) + j * 16;
        for (let i = 0; i < 16; i++) tokens[at + i] = siv[j * 16 + i] ?? 0;
        offsets[j] = at + 16;
      }
      this.#ctrXor(siv, plaintexts, 0, tokens, offsets);
      // base64url of every token into one Latin-1 buffer, one native decode, one slice per value.
      text.reserve(0, Math.ceil(((used + count * 16) * 4) / 3) + count * 2);
      const ends = new Int32Array(count + 1);
      for (let j = 0, at = 0; j < count; j++) {
        at += writeBase64Url(tokens, (starts[j] ?? 0) + j * 16, (starts[j + 1] ?? 0) - (starts[j] ?? 0) + 16, text.bytes, at);
        ends[j + 1] = at;
      }
      const decoded = text.bytes.toString('latin1', 0, ends[count] ?? 0);
      for (let j = 0; j < count; j++) out[start + j] = decoded.slice(ends[j] ?? 0, ends[j + 1] ?? 0);
    }
    return out;
  }

  openText(tokens: readonly string[], associatedData: readonly Uint8Array[] = []): string[] {
    const header = this.#header(associatedData);
    const out = new Array<string>(tokens.length);
    const raw = new ByteArena();
    const buffers: Uint8Array[] = [];
    for (let start = 0; start < tokens.length; start += SIV_CHUNK) {
      const count = Math.min(SIV_CHUNK, tokens.length - start);
      const starts = new Int32Array(count + 1);
      let used = 0;
      for (let j = 0; j < count; j++) {
        const token = tokens[start + j] ?? '';
        starts[j] = used;
        raw.reserve(used, used + Math.ceil((token.length * 3) / 4));
        const written = readBase64Url(token, raw.bytes, used);
        if (written < 0) {
          for (const buffer of buffers) buffer.fill(0);
          throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_INPUT, `AES-SIV token at index ${start + j} is not canonical base64url`);
        }
        used += written;
      }
      starts[count] = used;
      const sealed: Uint8Array[] = new Array<Uint8Array>(count);
      for (let j = 0; j < count; j++) sealed[j] = raw.bytes.subarray(starts[j] ?? 0, starts[j + 1] ?? 0);
      const chunk = this.#openChunk(sealed, header);
      if (chunk.buffer !== undefined) buffers.push(chunk.buffer);
      if (chunk.failed >= 0) throw authFailure(buffers, start + chunk.failed);
      const plainStarts = new Int32Array(count);
      const plainLengths = new Int32Array(count);
      for (let j = 0; j < count; j++) {
        plainStarts[j] = chunk.plaintexts[j]?.byteOffset ?? 0;
        plainLengths[j] = chunk.plaintexts[j]?.length ?? 0;
      }
      readUtf8Chunk(chunk.buffer ?? ZERO_BLOCK, plainStarts, plainLengths, count, out, start);
      chunk.buffer?.fill(0);
    }
    return out;
  }

  /** Opens one chunk into one buffer; `failed` is the first chunk index that does not authenticate, or -1. */
  #openChunk(chunk: readonly Uint8Array[], header: HeaderState): { plaintexts: Uint8Array[]; buffer: Uint8Array | undefined; failed: number } {
    const count = chunk.length;
    const siv = new Uint8Array(count * 16);
    let size = 0;
    for (let j = 0; j < count; j++) {
      const token = chunk[j] ?? ZERO_BLOCK;
      if (token.length < 16) return { plaintexts: [], buffer: undefined, failed: j };
      for (let i = 0; i < 16; i++) siv[j * 16 + i] = token[i] ?? 0;
      size += token.length - 16;
    }
    const buffer = new Uint8Array(size);
    const plaintexts: Uint8Array[] = new Array<Uint8Array>(count);
    const offsets = new Int32Array(count);
    for (let j = 0, offset = 0; j < count; j++) {
      const length = (chunk[j]?.length ?? 16) - 16;
      plaintexts[j] = new Uint8Array(buffer.buffer, offset, length);
      offsets[j] = offset;
      offset += length;
    }
    this.#ctrXor(siv, chunk, 16, buffer, offsets);
    const expected = new Uint8Array(count * 16);
    this.#s2v(plaintexts, header, expected);
    let failed = -1;
    for (let j = 0; j < count; j++) {
      if (!tagsEqual(siv, j * 16, expected, j * 16) && failed < 0) failed = j;
    }
    return { plaintexts, buffer, failed };
  }

  /** D for an associated-data vector: D = CMAC(0); D = dbl(D) xor CMAC(Si) for each component. Cached. */
  #header(associatedData: readonly Uint8Array[]): HeaderState {
    if (associatedData.length > AES_SIV_MAX_ASSOCIATED_DATA) {
      throw new CryptoError(
        CRYPTO_ERROR_CODES.INVALID_INPUT,
        `AES-SIV takes at most ${AES_SIV_MAX_ASSOCIATED_DATA} associated-data components, got ${associatedData.length}`,
      );
    }
    const cacheKey = associatedData.map((component) => Buffer.from(component.buffer, component.byteOffset, component.length).toString('base64')).join('.');
    let header = this.#headers.get(cacheKey);
    if (header === undefined) {
      let d = this.#cmac(ZERO_BLOCK);
      for (const component of associatedData) {
        d = dbl(d);
        xorInto(d, 0, this.#cmac(component));
      }
      const shortMask = dbl(d);
      xorInto(shortMask, 0, this.#k1);
      header = { d, shortMask };
      if (this.#headers.size >= AD_CACHE_LIMIT) this.#headers.clear();
      this.#headers.set(cacheKey, header);
    }
    return header;
  }

  /** AES-CMAC of one message with a single native CBC call (the last CBC block is the MAC). */
  #cmac(message: Uint8Array): Uint8Array {
    return this.#cbcMac(this.#cmacInput(message, undefined));
  }

  /**
   * The CMAC input with the last block finished (RFC 4493): XOR K1 if complete, else pad 10* and XOR K2. With `d`
   * given, the last 16 bytes of the message are first XORed with D (S2V's `Sn xorend D`, for |Sn| >= 16).
   */
  #cmacInput(message: Uint8Array, d: Uint8Array | undefined): Uint8Array {
    const length = message.length;
    const blocks = Math.max(1, Math.ceil(length / 16));
    const input = new Uint8Array(blocks * 16);
    input.set(message);
    if (d !== undefined) xorInto(input, length - 16, d);
    this.#finishLastBlock(input, 0, length, blocks);
    return input;
  }

  #finishLastBlock(target: Uint8Array, base: number, length: number, blocks: number): void {
    const last = base + (blocks - 1) * 16;
    if (length > 0 && length % 16 === 0) {
      xorInto(target, last, this.#k1);
    } else {
      target[base + length] = (target[base + length] ?? 0) ^ 0x80;
      xorInto(target, last, this.#k2);
    }
  }

  #cbcMac(input: Uint8Array): Uint8Array {
    const cipher = createCipheriv(`aes-${this.#bits}-cbc`, this.#macKey, ZERO_BLOCK);
    cipher.setAutoPadding(false);
    const out = cipher.update(input);
    return Uint8Array.from(out.subarray(out.length - 16));
  }

  #layout(values: readonly Uint8Array[]): Layout {
    const count = values.length;
    const blocks = new Int32Array(count);
    const offsets = new Int32Array(count);
    const long: number[] = [];
    let total = 0;
    let maxBlocks = 0;
    for (let j = 0; j < count; j++) {
      const length = values[j]?.length ?? 0;
      if (length > SIV_LONG_BYTES) {
        long.push(j);
        continue;
      }
      const n = length <= 16 ? 1 : (length + 15) >>> 4;
      blocks[j] = n;
      offsets[j] = total;
      total += n;
      if (n > maxBlocks) maxBlocks = n;
    }
    return { blocks, offsets, total, maxBlocks, long };
  }

  /**
   * S2V over a chunk: writes V of value j to `siv[16j, 16j + 16)`. The CMAC inputs of all values are laid out in one
   * buffer; chains then advance in lock-step, block s of every value still running in one native ECB call.
   */
  #s2v(values: readonly Uint8Array[], header: HeaderState, siv: Uint8Array): void {
    const { blocks, offsets, total, maxBlocks, long } = this.#layout(values);
    const { d, shortMask } = header;
    const k1 = this.#k1;
    const k2 = this.#k2;
    const message = new Uint8Array(total * 16);
    const count = values.length;
    for (let j = 0; j < count; j++) {
      const n = blocks[j] ?? 0;
      if (n === 0) continue;
      const value = values[j] ?? ZERO_BLOCK;
      const length = value.length;
      const base = (offsets[j] ?? 0) * 16;
      if (length < 16) {
        // T = dbl(D) xor pad(Sn); CMAC of one complete block XORs K1: the block is shortMask xor pad(Sn).
        message.set(shortMask, base);
        for (let i = 0; i < length; i++) message[base + i] = (message[base + i] ?? 0) ^ (value[i] ?? 0);
        message[base + length] = (message[base + length] ?? 0) ^ 0x80;
        continue;
      }
      // T = Sn xorend D, then CMAC's last-block treatment.
      message.set(value, base);
      for (let i = 0, p = base + length - 16; i < 16; i++, p++) message[p] = (message[p] ?? 0) ^ (d[i] ?? 0);
      const last = base + (n - 1) * 16;
      const subkey = length % 16 === 0 ? k1 : k2;
      if (length % 16 !== 0) message[base + length] = 0x80;
      for (let i = 0; i < 16; i++) message[last + i] = (message[last + i] ?? 0) ^ (subkey[i] ?? 0);
    }
    if (maxBlocks === 1) {
      const tags = this.#mac.encrypt(message);
      for (let j = 0; j < count; j++) {
        if (blocks[j] === 0) continue;
        for (let i = 0, from = (offsets[j] ?? 0) * 16, to = j * 16; i < 16; i++) siv[to + i] = tags[from + i] ?? 0;
      }
    } else if (maxBlocks > 1) {
      this.#lockStep(message, blocks, offsets, maxBlocks, siv);
    }
    for (const j of long) {
      siv.set(this.#cbcMac(this.#cmacInput(values[j] ?? ZERO_BLOCK, d)), j * 16);
    }
  }

  /** CBC-MAC chains of different lengths in lock-step; values sorted by block count so the live ones form a prefix. */
  #lockStep(message: Uint8Array, blocks: Int32Array, offsets: Int32Array, maxBlocks: number, siv: Uint8Array): void {
    const count = blocks.length;
    // Counting sort by block count, longest first; running[s] = how many values still have a block s.
    const perCount = new Int32Array(maxBlocks + 2);
    for (let j = 0; j < count; j++) {
      const n = blocks[j] ?? 0;
      perCount[n] = (perCount[n] ?? 0) + 1;
    }
    const running = new Int32Array(maxBlocks + 1);
    for (let s = maxBlocks - 1, live = 0; s >= 0; s--) {
      live += perCount[s + 1] ?? 0;
      running[s] = live;
    }
    const next = new Int32Array(maxBlocks + 2);
    for (let n = maxBlocks, position = 0; n >= 1; n--) {
      next[n] = position;
      position += perCount[n] ?? 0;
    }
    const order = new Int32Array(running[0] ?? 0);
    for (let j = 0; j < count; j++) {
      const n = blocks[j] ?? 0;
      if (n === 0) continue;
      const position = next[n] ?? 0;
      order[position] = j;
      next[n] = position + 1;
    }
    // Word-wise XOR: the message and input buffers are ours (aligned); the state is copied once per step into an
    // aligned buffer so a native output at an odd offset cannot break the Int32Array views.
    const input = new Int32Array(order.length * 4);
    const inputBytes = new Uint8Array(input.buffer);
    const state = new Int32Array(order.length * 4);
    const stateBytes = new Uint8Array(state.buffer);
    const words = new Int32Array(message.buffer, message.byteOffset, message.length >>> 2);
    for (let s = 0; s < maxBlocks; s++) {
      const live = running[s] ?? 0;
      for (let k = 0, w = 0; k < live; k++, w += 4) {
        const from = ((offsets[order[k] ?? 0] ?? 0) + s) * 4;
        input[w] = (words[from] ?? 0) ^ (state[w] ?? 0);
        input[w + 1] = (words[from + 1] ?? 0) ^ (state[w + 1] ?? 0);
        input[w + 2] = (words[from + 2] ?? 0) ^ (state[w + 2] ?? 0);
        input[w + 3] = (words[from + 3] ?? 0) ^ (state[w + 3] ?? 0);
      }
      stateBytes.set(this.#mac.encrypt(inputBytes.subarray(0, live * 16)));
      for (let k = running[s + 1] ?? 0; k < live; k++) {
        for (let i = 0, to = (order[k] ?? 0) * 16; i < 16; i++) siv[to + i] = stateBytes[k * 16 + i] ?? 0;
      }
    }
  }

  /**
   * AES-CTR with the SIV as counter (bits 31 and 63 cleared, RFC 5297 section 2.5):
   * `target[targetOffsets[j] + i] = sources[j][skip + i] xor keystream_j[i]`.
   * Keystream blocks of all short values come from one native ECB call. With bit 31 cleared the low counter word
   * starts below 2^31 and a short value needs at most 32 blocks, so only that word is incremented; long values use
   * native AES-CTR, which carries across all 128 bits.
   */
  #ctrXor(siv: Uint8Array, sources: readonly Uint8Array[], skip: number, target: Uint8Array, targetOffsets: Int32Array): void {
    const count = sources.length;
    let total = 0;
    for (let j = 0; j < count; j++) {
      const length = (sources[j]?.length ?? skip) - skip;
      if (length <= SIV_LONG_BYTES) total += (length + 15) >>> 4;
    }
    const counters = new Uint8Array(total * 16);
    const view = new DataView(counters.buffer);
    const sivView = new DataView(siv.buffer, siv.byteOffset, siv.byteLength);
    for (let j = 0, block = 0; j < count; j++) {
      const length = (sources[j]?.length ?? skip) - skip;
      if (length > SIV_LONG_BYTES || length === 0) continue;
      const n = (length + 15) >>> 4;
      const q0 = sivView.getUint32(j * 16);
      const q1 = sivView.getUint32(j * 16 + 4);
      const q2 = sivView.getUint32(j * 16 + 8) & 0x7fffffff;
      const q3 = sivView.getUint32(j * 16 + 12) & 0x7fffffff;
      for (let c = 0; c < n; c++, block++) {
        const p = block * 16;
        view.setUint32(p, q0);
        view.setUint32(p + 4, q1);
        view.setUint32(p + 8, q2);
        view.setUint32(p + 12, q3 + c);
      }
    }
    const keystream = total > 0 ? this.#ctr.encrypt(counters) : counters;
    for (let j = 0, offset = 0; j < count; j++) {
      const source = sources[j] ?? ZERO_BLOCK;
      const length = source.length - skip;
      const into = targetOffsets[j] ?? 0;
      if (length > SIV_LONG_BYTES) {
        const iv = Uint8Array.from(siv.subarray(j * 16, j * 16 + 16));
        iv[8] = (iv[8] ?? 0) & 0x7f;
        iv[12] = (iv[12] ?? 0) & 0x7f;
        target.set(createCipheriv(`aes-${this.#bits}-ctr`, this.#ctrKey, iv).update(source.subarray(skip)), into);
        continue;
      }
      for (let i = 0; i < length; i++) target[into + i] = (source[skip + i] ?? 0) ^ (keystream[offset + i] ?? 0);
      offset += ((length + 15) >>> 4) * 16;
    }
  }
}

/**
 * Creates a batch AES-SIV cipher (RFC 5297): deterministic authenticated encryption for tokens that must join.
 *
 * Batch-first on native AES-ECB: S2V's D for an associated-data vector is computed once and cached; the CMAC chains of
 * a chunk of up to 4096 values advance in lock-step (block s of every value in one native call), a plaintext under
 * 16 bytes costs a single block (`dbl(D) xor pad(Sn)`), and the CTR keystream of the whole chunk is one native call.
 *
 * @param key - 32, 48 or 64 bytes: K1 (S2V) || K2 (CTR), AES-128, AES-192 or AES-256
 * @returns the cipher; create it once per key
 * @throws CryptoError `INVALID_KEY`
 * @example
 * const siv = createAesSiv(dataKey);
 * const column = [new TextEncoder().encode('customer_profile.name')];
 * const tokens = siv.seal(names.map((name) => new TextEncoder().encode(name)), column);
 * siv.open(tokens, column); // the UTF-8 names again
 */
export function createAesSiv(key: Uint8Array): AesSivCipher {
  return new AesSivBatch(key);
}
