import { createHash, createHmac } from 'node:crypto';
import { writeBase64Url } from './base64url';
import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';
import { SHA256_IV, sha256Compress } from './sha256-compress';
import type { HmacTokenOptions, HmacTokenizer } from './types/hmac-tokenizer';

/** Digest bytes a token keeps unless told otherwise: 128 bits, 22 base64url characters. */
export const HMAC_TOKEN_DEFAULT_BYTES = 16;
/** Shortest accepted token key: 128 bits. */
export const HMAC_TOKEN_MIN_KEY_BYTES = 16;

/** Values up to this many bytes hash in JavaScript from the midstates (at most two message blocks). */
const MIDSTATE_MAX_BYTES = 119;
const CHUNK = 4096;

function midstate(key: Uint8Array, pad: number): Int32Array {
  const block = new Uint8Array(64);
  for (let i = 0; i < 64; i++) block[i] = (key[i] ?? 0) ^ pad;
  const words = new Int32Array(16);
  const view = new DataView(block.buffer);
  for (let i = 0; i < 16; i++) words[i] = view.getInt32(i * 4);
  const state = Int32Array.from(SHA256_IV);
  sha256Compress(state, words, 0);
  return state;
}

/**
 * Creates an HMAC-SHA256 tokenizer for irreversible masking (pseudonymous join keys).
 *
 * Tokens are the first `bytes` bytes of HMAC-SHA256(key, UTF-8 value) as unpadded base64url: URL-, file-name- and
 * CSV-safe, case-sensitive, 22 characters by default. Base64url rather than base32 because it is 20% shorter and Node
 * encodes it natively; tokens are compared by machines, not read aloud. The inner and outer key blocks are compressed
 * once; a value up to 119 bytes then costs two or three SHA-256 compressions in JavaScript, longer ones use
 * `node:crypto`. Both paths give the standard HMAC (tests compare against `createHmac`).
 *
 * @param key - at least 16 bytes; longer than 64 bytes is hashed first, as HMAC specifies
 * @param options - see {@link HmacTokenOptions}
 * @throws CryptoError `INVALID_KEY` for a short key, `INVALID_INPUT` for `bytes` outside 16..32
 * @example
 * const tokenizer = createHmacTokenizer(tokenKey);
 * tokenizer.tokens(['A123456789', 'B234567890']); // two 22-character tokens
 */
export function createHmacTokenizer(key: Uint8Array, options: HmacTokenOptions = {}): HmacTokenizer {
  if (key.length < HMAC_TOKEN_MIN_KEY_BYTES) {
    throw new CryptoError(
      CRYPTO_ERROR_CODES.INVALID_KEY,
      `HMAC token key must be at least ${HMAC_TOKEN_MIN_KEY_BYTES} bytes, got ${key.length} bytes`,
    );
  }
  const bytes = options.bytes ?? HMAC_TOKEN_DEFAULT_BYTES;
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 32) {
    throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_INPUT, `HMAC token bytes must be 16..32, got ${bytes}`);
  }
  const keyCopy = Uint8Array.from(key);
  const blockKey = key.length > 64 ? new Uint8Array(createHash('sha256').update(key).digest()) : keyCopy;
  const inner = midstate(blockKey, 0x36);
  const outer = midstate(blockKey, 0x5c);
  const length = Math.ceil((4 * bytes) / 3);

  const message = Buffer.alloc(512);
  const messageView = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const words = new Int32Array(32);
  const outerWords = new Int32Array(16);
  const state = new Int32Array(8);
  const digest = new Uint8Array(32);
  const digestView = new DataView(digest.buffer);
  const text = Buffer.alloc(CHUNK * length);

  /** HMAC of message[0, size) from the midstates into `digest`. */
  const hashMessage = (size: number): void => {
    const blocks = size + 9 <= 64 ? 1 : 2;
    const end = blocks * 64;
    message[size] = 0x80;
    message.fill(0, size + 1, end);
    messageView.setUint32(end - 4, (64 + size) * 8);
    for (let i = 0, n = blocks * 16; i < n; i++) words[i] = messageView.getInt32(i * 4);
    state.set(inner);
    sha256Compress(state, words, 0);
    if (blocks === 2) sha256Compress(state, words, 16);
    outerWords.set(state);
    outerWords[8] = 0x80000000 | 0;
    outerWords.fill(0, 9, 15);
    outerWords[15] = (64 + 32) * 8;
    state.set(outer);
    sha256Compress(state, outerWords, 0);
    for (let i = 0; i < 8; i++) digestView.setInt32(i * 4, state[i] ?? 0);
  };

  /** Writes the digest of one value into `digest`. */
  const hashValue = (value: string | Uint8Array): void => {
    let size = -1;
    if (typeof value === 'string') {
      if (value.length <= MIDSTATE_MAX_BYTES) {
        size = 0;
        for (let i = 0; i < value.length; i++) {
          const code = value.charCodeAt(i);
          if (code >= 0x80) {
            size = message.write(value, 0, 'utf8');
            break;
          }
          message[size++] = code;
        }
      }
    } else if (value.length <= MIDSTATE_MAX_BYTES) {
      message.set(value);
      size = value.length;
    }
    if (size >= 0 && size <= MIDSTATE_MAX_BYTES) {
      hashMessage(size);
    } else {
      digest.set(createHmac('sha256', keyCopy).update(value).digest());
    }
  };

  return {
    bytes,
    length,
    tokens(values) {
      const out = new Array<string>(values.length);
      for (let start = 0; start < values.length; start += CHUNK) {
        const count = Math.min(CHUNK, values.length - start);
        for (let j = 0; j < count; j++) {
          hashValue(values[start + j] ?? '');
          writeBase64Url(digest, 0, bytes, text, j * length);
        }
        const decoded = text.toString('latin1', 0, count * length);
        for (let j = 0; j < count; j++) out[start + j] = decoded.slice(j * length, j * length + length);
      }
      return out;
    },
  };
}

/**
 * One-shot form of {@link createHmacTokenizer}: HMAC-SHA256 tokens of a batch, truncated to 16 bytes by default and
 * encoded as unpadded base64url. Prefer the tokenizer when you call it repeatedly with one key.
 *
 * @param key - at least 16 bytes
 * @param values - strings (hashed as UTF-8) or bytes
 * @param options - see {@link HmacTokenOptions}
 * @returns one token per value, same order
 * @example
 * hmacToken(tokenKey, ['0912345678']); // ['…22 base64url characters…']
 */
export function hmacToken(key: Uint8Array, values: readonly (string | Uint8Array)[], options?: HmacTokenOptions): string[] {
  return createHmacTokenizer(key, options).tokens(values);
}
