import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';

/** The base64url alphabet (RFC 4648, section 5). */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const CODES = Uint8Array.from(BASE64URL_ALPHABET, (char) => char.charCodeAt(0));
const PATTERN = /^[A-Za-z0-9_-]*$/;

/**
 * Encodes bytes as unpadded base64url (RFC 4648, section 5): URL-, file-name- and CSV-safe.
 *
 * @param bytes - any bytes
 * @returns the text, `ceil(4n / 3)` characters, no `=` padding
 * @example
 * encodeBase64Url(new Uint8Array([0xfb, 0xff])); // '-_8'
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
}

/**
 * Decodes unpadded base64url strictly: only the 64 alphabet characters, no padding, no whitespace, and the unused
 * trailing bits must be zero, so every byte string has exactly one accepted text.
 *
 * @param text - base64url text
 * @returns the bytes
 * @throws CryptoError `INVALID_INPUT` when the text is not canonical base64url (the message never quotes it)
 * @example
 * decodeBase64Url('-_8'); // Uint8Array [0xfb, 0xff]
 */
export function decodeBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1 || !PATTERN.test(text)) {
    throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_INPUT, `not canonical base64url (length ${text.length})`);
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_INPUT, `not canonical base64url (length ${text.length})`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Writes base64url of `source[from, from + length)` into `target` at `at` as ASCII codes, for batch encoders that
 * decode a whole chunk of tokens into one string at once.
 *
 * @returns the number of characters written
 * @internal
 */
export function writeBase64Url(source: Uint8Array, from: number, length: number, target: Uint8Array, at: number): number {
  let p = at;
  let i = from;
  const end = from + length;
  for (; i + 2 < end; i += 3) {
    const n = ((source[i] ?? 0) << 16) | ((source[i + 1] ?? 0) << 8) | (source[i + 2] ?? 0);
    target[p++] = CODES[n >>> 18] ?? 0;
    target[p++] = CODES[(n >>> 12) & 63] ?? 0;
    target[p++] = CODES[(n >>> 6) & 63] ?? 0;
    target[p++] = CODES[n & 63] ?? 0;
  }
  if (end - i === 1) {
    const n = source[i] ?? 0;
    target[p++] = CODES[n >>> 2] ?? 0;
    target[p++] = CODES[(n & 3) << 4] ?? 0;
  } else if (end - i === 2) {
    const n = ((source[i] ?? 0) << 8) | (source[i + 1] ?? 0);
    target[p++] = CODES[n >>> 10] ?? 0;
    target[p++] = CODES[(n >>> 4) & 63] ?? 0;
    target[p++] = CODES[(n & 15) << 2] ?? 0;
  }
  return p - at;
}

const SEXTETS = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) SEXTETS[CODES[i] ?? 0] = i;

/**
 * Decodes canonical unpadded base64url `text` into `target` at `at` (the batch counterpart of
 * {@link decodeBase64Url}: no allocation per value).
 *
 * @returns the number of bytes written, or -1 when the text is not canonical base64url (nothing meaningful written)
 * @internal
 */
export function readBase64Url(text: string, target: Uint8Array, at: number): number {
  const length = text.length;
  const rest = length % 4;
  if (rest === 1) return -1;
  let p = at;
  let i = 0;
  for (const end = length - rest; i < end; i += 4) {
    const a = SEXTETS[text.charCodeAt(i)] ?? -1;
    const b = SEXTETS[text.charCodeAt(i + 1)] ?? -1;
    const c = SEXTETS[text.charCodeAt(i + 2)] ?? -1;
    const d = SEXTETS[text.charCodeAt(i + 3)] ?? -1;
    if ((a | b | c | d) < 0) return -1;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    target[p++] = n >>> 16;
    target[p++] = (n >>> 8) & 0xff;
    target[p++] = n & 0xff;
  }
  if (rest === 2) {
    const a = SEXTETS[text.charCodeAt(i)] ?? -1;
    const b = SEXTETS[text.charCodeAt(i + 1)] ?? -1;
    if ((a | b) < 0 || (b & 15) !== 0) return -1;
    target[p++] = (a << 2) | (b >>> 4);
  } else if (rest === 3) {
    const a = SEXTETS[text.charCodeAt(i)] ?? -1;
    const b = SEXTETS[text.charCodeAt(i + 1)] ?? -1;
    const c = SEXTETS[text.charCodeAt(i + 2)] ?? -1;
    if ((a | b | c) < 0 || (c & 3) !== 0) return -1;
    target[p++] = (a << 2) | (b >>> 4);
    target[p++] = ((b & 15) << 4) | (c >>> 2);
  }
  return p - at;
}
