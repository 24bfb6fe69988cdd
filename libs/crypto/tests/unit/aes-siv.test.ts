import { aessiv } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AES_SIV_MAX_ASSOCIATED_DATA, CRYPTO_ERROR_CODES, CryptoError, createAesSiv, encodeBase64Url } from '../../src/index';
import { AES_SIV_VECTORS, hex, toHex } from '../helpers/fixtures';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function catchError(run: () => unknown): CryptoError {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoError) return error;
    throw error;
  }
  throw new Error('expected a CryptoError');
}

const keyArbitrary = fc.constantFrom(32, 48, 64).chain((length) => fc.uint8Array({ minLength: length, maxLength: length }));
/** Plaintext lengths around every boundary: empty, <16, 16, 17..32, multi-block, and past the native-call cut-off. */
const plaintextArbitrary = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.uint8Array({ minLength: 40, maxLength: 600 }),
  fc.uint8Array({ minLength: 4000, maxLength: 5000 }),
);

describe('Function: createAesSiv', () => {
  describe('RFC 5297 Appendix A', () => {
    it.each(AES_SIV_VECTORS.map((vector) => [vector.name, vector] as const))('passes %s', (_name, vector) => {
      // Prepare
      const siv = createAesSiv(hex(vector.key));
      const associatedData = vector.ad.map(hex);

      // Act
      const [sealed] = siv.seal([hex(vector.plaintext)], associatedData);
      const [opened] = siv.open([hex(vector.output)], associatedData);

      // Assess
      expect(toHex(sealed ?? new Uint8Array(0))).toBe(vector.output);
      expect(toHex(opened ?? new Uint8Array(0))).toBe(vector.plaintext);
    });
  });

  describe('Method: seal and open', () => {
    it('round-trips any batch and agrees with @noble/ciphers aessiv', () => {
      fc.assert(
        fc.property(keyArbitrary, fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 3 }), fc.array(plaintextArbitrary, { maxLength: 12 }), (key, associatedData, plaintexts) => {
          // Act
          const siv = createAesSiv(key);
          const sealed = siv.seal(plaintexts, associatedData);
          const opened = siv.open(sealed, associatedData);

          // Assess
          expect(opened.map(toHex)).toEqual(plaintexts.map(toHex));
          plaintexts.forEach((plaintext, i) => {
            expect(toHex(sealed[i] ?? new Uint8Array(0))).toBe(toHex(aessiv(key, ...associatedData).encrypt(plaintext)));
          });
        }),
        { numRuns: 60 },
      );
    });

    it('round-trips empty, Chinese UTF-8 and multi-KB plaintexts in one batch', () => {
      const siv = createAesSiv(new Uint8Array(64).fill(3));
      const texts = ['', '陳', '王小明', '歐陽娜娜', 'user@example.com.tw', '台北市中正區重慶南路一段122號'.repeat(200)];
      const sealed = siv.seal(texts.map((text) => encoder.encode(text)));
      expect(sealed.map((token) => token.length)).toEqual(texts.map((text) => 16 + encoder.encode(text).length));
      expect(siv.open(sealed).map((bytes) => decoder.decode(bytes))).toEqual(texts);
    });

    it('is deterministic: equal plaintexts and associated data give equal tokens', () => {
      const key = new Uint8Array(32).fill(9);
      const column = [encoder.encode('customer_profile.name')];
      const names = ['王小明', '林美玲', '王小明'].map((name) => encoder.encode(name));
      const first = createAesSiv(key).seal(names, column).map(toHex);
      expect(createAesSiv(key).seal(names, column).map(toHex)).toEqual(first);
      expect(first[0]).toBe(first[2]);
      expect(first[0]).not.toBe(first[1]);
      expect(createAesSiv(key).seal(names).map(toHex)[0]).not.toBe(first[0]);
    });

    it('matches value-by-value sealing across chunk boundaries with mixed lengths', () => {
      const siv = createAesSiv(new Uint8Array(32).fill(5));
      const plaintexts = Array.from({ length: 9_000 }, (_, i) => encoder.encode(`user.${i}@example.com`.repeat(1 + (i % 40 === 0 ? 30 : i % 3))));
      const sealed = siv.seal(plaintexts);
      for (let i = 0; i < plaintexts.length; i += 331) {
        expect(toHex(sealed[i] ?? new Uint8Array(0))).toBe(toHex(siv.seal([plaintexts[i] ?? new Uint8Array(0)])[0] ?? new Uint8Array(0)));
      }
      expect(siv.open(sealed).map(toHex)).toEqual(plaintexts.map(toHex));
    });
  });

  describe('Method: sealText and openText', () => {
    it('equals seal of the UTF-8 bytes in base64url, and opens back to the string', () => {
      fc.assert(
        fc.property(
          keyArbitrary,
          fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 2 }),
          fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 700 })), { maxLength: 12 }),
          (key, associatedData, values) => {
            // Act
            const siv = createAesSiv(key);
            const tokens = siv.sealText(values, associatedData);

            // Assess: lone surrogates become U+FFFD, exactly as TextEncoder would have sealed them.
            expect(tokens).toEqual(siv.seal(values.map((value) => encoder.encode(value)), associatedData).map(encodeBase64Url));
            expect(siv.openText(tokens, associatedData)).toEqual(values.map((value) => decoder.decode(encoder.encode(value))));
          },
        ),
        { numRuns: 80 },
      );
    });

    it('handles chunks of ASCII and of Chinese text beyond one chunk', () => {
      const siv = createAesSiv(new Uint8Array(32).fill(6));
      const values = Array.from({ length: 9_000 }, (_, i) => (i < 4_096 ? `user.${i}@example.com` : `王小明${i}`));
      const tokens = siv.sealText(values);
      expect(tokens[8_999]).toBe(encodeBase64Url(siv.seal([encoder.encode(values[8_999] ?? '')])[0] ?? new Uint8Array(0)));
      expect(siv.openText(tokens)).toEqual(values);
    });

    it('rejects non-canonical base64url and altered tokens by index', () => {
      const siv = createAesSiv(new Uint8Array(32).fill(6));
      const tokens = siv.sealText(['0912345678', 'A123456789']);
      const bad = catchError(() => siv.openText([tokens[0] ?? '', `${tokens[1] ?? ''}=`]));
      expect(bad.code).toBe(CRYPTO_ERROR_CODES.INVALID_INPUT);
      expect(bad.message).toContain('index 1');
      const flipped = (tokens[1] ?? '').replace(/^./, (first) => (first === 'A' ? 'B' : 'A'));
      const altered = catchError(() => siv.openText([tokens[0] ?? '', flipped]));
      expect(altered.code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
      expect(altered.message).toContain('index 1');
      expect(catchError(() => siv.openText(['AAAA'])).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
    });
  });

  describe('authentication', () => {
    it('detects any flipped bit, naming the index', () => {
      fc.assert(
        fc.property(keyArbitrary, fc.array(plaintextArbitrary, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(7), (key, plaintexts, position, bit) => {
          // Prepare
          const siv = createAesSiv(key);
          const sealed = siv.seal(plaintexts).map((token) => Uint8Array.from(token));
          const index = position % sealed.length;
          const token = sealed[index] ?? new Uint8Array(16);
          const byte = position % token.length;
          token[byte] = (token[byte] ?? 0) ^ (1 << bit);

          // Act
          const error = catchError(() => siv.open(sealed));

          // Assess
          expect(error.code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
          expect(error.message).toContain(`index ${index}`);
        }),
        { numRuns: 60 },
      );
    });

    it('rejects other associated data, another key and truncated tokens', () => {
      const key = new Uint8Array(32).fill(1);
      const sealed = createAesSiv(key).seal([encoder.encode('0912345678')], [encoder.encode('phone')]);
      expect(catchError(() => createAesSiv(key).open(sealed, [encoder.encode('email')])).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
      expect(catchError(() => createAesSiv(key).open(sealed)).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
      expect(catchError(() => createAesSiv(new Uint8Array(32)).open(sealed, [encoder.encode('phone')])).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
      expect(catchError(() => createAesSiv(key).open([new Uint8Array(15)])).code).toBe(CRYPTO_ERROR_CODES.SIV_AUTH_FAILED);
    });

    it('never puts plaintext into the error message', () => {
      const siv = createAesSiv(new Uint8Array(32));
      const [token] = siv.seal([encoder.encode('A123456789')]);
      const tampered = Uint8Array.from(token ?? new Uint8Array(0));
      tampered[20] = (tampered[20] ?? 0) ^ 1;
      expect(catchError(() => siv.open([tampered])).message).not.toMatch(/A12345/);
    });
  });

  describe('arguments', () => {
    it('rejects keys that are not 32, 48 or 64 bytes', () => {
      for (const length of [16, 24, 31, 65]) {
        expect(catchError(() => createAesSiv(new Uint8Array(length))).code).toBe(CRYPTO_ERROR_CODES.INVALID_KEY);
      }
    });

    it(`rejects more than ${AES_SIV_MAX_ASSOCIATED_DATA} associated-data components`, () => {
      const tooMany = Array.from({ length: AES_SIV_MAX_ASSOCIATED_DATA + 1 }, () => new Uint8Array(1));
      expect(catchError(() => createAesSiv(new Uint8Array(32)).seal([new Uint8Array(1)], tooMany)).code).toBe(CRYPTO_ERROR_CODES.INVALID_INPUT);
    });
  });
});
