import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRYPTO_ERROR_CODES, CryptoError, HMAC_TOKEN_DEFAULT_BYTES, createHmacTokenizer, hmacToken } from '../../src/index';

function reference(key: Uint8Array, value: string | Uint8Array, bytes: number): string {
  return createHmac('sha256', key).update(value).digest().subarray(0, bytes).toString('base64url');
}

function catchError(run: () => unknown): CryptoError {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoError) return error;
    throw error;
  }
  throw new Error('expected a CryptoError');
}

describe('Function: createHmacTokenizer', () => {
  it('equals truncated node:crypto HMAC-SHA256 in base64url for strings and bytes of any length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 100 }),
        fc.integer({ min: 16, max: 32 }),
        fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 150 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.uint8Array({ maxLength: 300 })), { maxLength: 20 }),
        (key, bytes, values) => {
          // Act
          const tokens = createHmacTokenizer(key, { bytes }).tokens(values);

          // Assess
          expect(tokens).toEqual(values.map((value) => reference(key, value, bytes)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('covers the block boundaries of the midstate path', () => {
    const key = new Uint8Array(32).fill(0x42);
    const values = Array.from({ length: 130 }, (_, length) => 'a'.repeat(length));
    expect(hmacToken(key, values)).toEqual(values.map((value) => reference(key, value, HMAC_TOKEN_DEFAULT_BYTES)));
  });

  it('tokens a batch larger than one chunk like one value at a time', () => {
    const key = new Uint8Array(16).fill(1);
    const tokenizer = createHmacTokenizer(key);
    const values = Array.from({ length: 9_000 }, (_, i) => `0912${String(i).padStart(6, '0')}`);
    const tokens = tokenizer.tokens(values);
    expect(tokens[8_999]).toBe(reference(key, values[8_999] ?? '', 16));
    expect(new Set(tokens).size).toBe(values.length);
    expect(tokens.every((token) => /^[A-Za-z0-9_-]{22}$/.test(token))).toBe(true);
  });

  it('reports its token length', () => {
    expect(createHmacTokenizer(new Uint8Array(16)).length).toBe(22);
    expect(createHmacTokenizer(new Uint8Array(16), { bytes: 32 }).length).toBe(43);
  });

  it('rejects short keys and out-of-range truncation', () => {
    expect(catchError(() => createHmacTokenizer(new Uint8Array(15))).code).toBe(CRYPTO_ERROR_CODES.INVALID_KEY);
    expect(catchError(() => createHmacTokenizer(new Uint8Array(16), { bytes: 8 })).code).toBe(CRYPTO_ERROR_CODES.INVALID_INPUT);
    expect(catchError(() => createHmacTokenizer(new Uint8Array(16), { bytes: 33 })).code).toBe(CRYPTO_ERROR_CODES.INVALID_INPUT);
  });
});
