import { gcmsiv } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRYPTO_ERROR_CODES, CryptoError, createAesGcmSiv } from '../../src/index';
import { GCM_SIV_VECTORS, hex, toHex } from '../helpers/fixtures';

function catchError(run: () => unknown): CryptoError {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoError) return error;
    throw error;
  }
  throw new Error('expected a CryptoError');
}

const keyArbitrary = fc.constantFrom(16, 32).chain((length) => fc.uint8Array({ minLength: length, maxLength: length }));
const nonceArbitrary = fc.uint8Array({ minLength: 12, maxLength: 12 });
const plaintextArbitrary = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 40, maxLength: 3000 }));

describe('Function: createAesGcmSiv', () => {
  describe('RFC 8452 Appendix C', () => {
    it.each(GCM_SIV_VECTORS.map((vector) => [`${vector.group} #${vector.index}`, vector] as const))('passes %s', (_name, vector) => {
      // Prepare
      const gcm = createAesGcmSiv(hex(vector.key));

      // Act
      const [sealed] = gcm.seal([hex(vector.plaintext)], hex(vector.nonce), hex(vector.aad));
      const [opened] = gcm.open([hex(vector.result_ct_plus_tag)], hex(vector.nonce), hex(vector.aad));

      // Assess
      expect(toHex(sealed ?? new Uint8Array(0))).toBe(vector.result_ct_plus_tag);
      expect(toHex(opened ?? new Uint8Array(0))).toBe(vector.plaintext);
    });
  });

  describe('Method: seal and open', () => {
    it('round-trips any batch and agrees with @noble/ciphers gcmsiv', () => {
      fc.assert(
        fc.property(keyArbitrary, nonceArbitrary, fc.uint8Array({ maxLength: 60 }), fc.array(plaintextArbitrary, { maxLength: 10 }), (key, nonce, associatedData, plaintexts) => {
          // Act
          const gcm = createAesGcmSiv(key);
          const sealed = gcm.seal(plaintexts, nonce, associatedData);

          // Assess
          expect(gcm.open(sealed, nonce, associatedData).map(toHex)).toEqual(plaintexts.map(toHex));
          plaintexts.forEach((plaintext, i) => {
            expect(toHex(sealed[i] ?? new Uint8Array(0))).toBe(toHex(gcmsiv(key, nonce, associatedData).encrypt(plaintext)));
          });
        }),
        { numRuns: 60 },
      );
    });

    it('is deterministic under a fixed nonce and differs under another', () => {
      const gcm = createAesGcmSiv(new Uint8Array(32).fill(4));
      const names = ['王小明', '林美玲', '王小明'].map((name) => new TextEncoder().encode(name));
      const nonce = new Uint8Array(12).fill(1);
      const tokens = gcm.seal(names, nonce).map(toHex);
      expect(tokens[0]).toBe(tokens[2]);
      expect(tokens[0]).not.toBe(tokens[1]);
      expect(gcm.seal(names, new Uint8Array(12)).map(toHex)[0]).not.toBe(tokens[0]);
    });
  });

  describe('authentication', () => {
    it('detects any flipped bit, naming the index', () => {
      fc.assert(
        fc.property(keyArbitrary, nonceArbitrary, fc.array(plaintextArbitrary, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(7), (key, nonce, plaintexts, position, bit) => {
          const gcm = createAesGcmSiv(key);
          const sealed = gcm.seal(plaintexts, nonce).map((token) => Uint8Array.from(token));
          const index = position % sealed.length;
          const token = sealed[index] ?? new Uint8Array(16);
          const byte = position % token.length;
          token[byte] = (token[byte] ?? 0) ^ (1 << bit);
          const error = catchError(() => gcm.open(sealed, nonce));
          expect(error.code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
          expect(error.message).toContain(`index ${index}`);
        }),
        { numRuns: 60 },
      );
    });

    it('rejects another nonce, other associated data and truncated tokens', () => {
      const gcm = createAesGcmSiv(new Uint8Array(16).fill(8));
      const nonce = new Uint8Array(12);
      const sealed = gcm.seal([new TextEncoder().encode('0912345678')], nonce, new Uint8Array([1]));
      expect(catchError(() => gcm.open(sealed, new Uint8Array(12).fill(1), new Uint8Array([1]))).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
      expect(catchError(() => gcm.open(sealed, nonce)).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
      expect(catchError(() => gcm.open([new Uint8Array(15)], nonce)).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
    });
  });

  describe('arguments', () => {
    it('rejects bad key and nonce lengths', () => {
      expect(catchError(() => createAesGcmSiv(new Uint8Array(24))).code).toBe(CRYPTO_ERROR_CODES.INVALID_KEY);
      expect(catchError(() => createAesGcmSiv(new Uint8Array(16)).seal([], new Uint8Array(16))).code).toBe(CRYPTO_ERROR_CODES.INVALID_INPUT);
    });
  });
});
