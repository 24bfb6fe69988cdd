import { FF1 } from '@noble/ciphers/ff1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRYPTO_ERROR_CODES, CryptoError, FF1_ALPHABETS, createFf1 } from '../../src/index';
import { FF1_VECTORS, hex } from '../helpers/fixtures';

/** Radix-r alphabet: the NIST one up to 36, then BMP characters, then astral ones past the surrogate range. */
function symbolsOf(radix: number): string[] {
  if (radix <= 36) return Array.from(FF1_ALPHABETS.LOWER_ALPHANUMERIC.slice(0, radix));
  return Array.from({ length: radix }, (_, i) => String.fromCodePoint(0x100 + i < 0xd800 ? 0x100 + i : 0x10000 + i));
}

function minLengthOf(radix: number): number {
  let length = 2;
  while (radix ** length < 1_000_000) length++;
  return length;
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

describe('Function: createFf1', () => {
  describe('NIST SP 800-38G samples', () => {
    it.each(FF1_VECTORS.map((vector) => [vector.sample, vector] as const))('passes sample %i', (_sample, vector) => {
      // Prepare
      const ff1 = createFf1(hex(vector.key), FF1_ALPHABETS.LOWER_ALPHANUMERIC.slice(0, vector.radix));
      const tweak = hex(vector.tweak);

      // Act
      const [ciphertext] = ff1.encrypt([vector.plaintext], tweak);
      const [plaintext] = ff1.decrypt([vector.ciphertext], tweak);

      // Assess
      expect(ciphertext).toBe(vector.ciphertext);
      expect(plaintext).toBe(vector.plaintext);
    });

    it('passes all samples of one key in one mixed batch', () => {
      const key = FF1_VECTORS[0]?.key ?? '';
      const samples = FF1_VECTORS.filter((vector) => vector.key === key && vector.radix === 10 && vector.tweak === '');
      const ff1 = createFf1(hex(key), FF1_ALPHABETS.DIGITS);
      expect(ff1.encrypt(samples.map((vector) => vector.plaintext))).toEqual(samples.map((vector) => vector.ciphertext));
    });
  });

  describe('Method: encrypt and decrypt', () => {
    it('round-trips random keys, tweaks, radixes and lengths, and agrees with @noble/ciphers FF1', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(16, 24, 32).chain((keyLength) => fc.uint8Array({ minLength: keyLength, maxLength: keyLength })),
          fc.uint8Array({ maxLength: 40 }),
          fc.oneof(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 2, max: 65_535 })),
          fc.array(fc.tuple(fc.nat(36), fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 80, maxLength: 80 })), { minLength: 1, maxLength: 4 }),
          (key, tweak, radix, specs) => {
            // Prepare: numeral strings of lengths minLength..minLength+36 over the radix-r alphabet.
            const symbols = symbolsOf(radix);
            const ff1 = createFf1(key, symbols.join(''));
            const numerals = specs.map(([extra, fractions]) =>
              fractions.slice(0, minLengthOf(radix) + extra).map((fraction) => Math.floor(fraction * radix)),
            );
            const values = numerals.map((digits) => digits.map((digit) => symbols[digit]).join(''));

            // Act
            const encrypted = ff1.encrypt(values, tweak);
            const decrypted = ff1.decrypt(encrypted, tweak);

            // Assess
            expect(decrypted).toEqual(values);
            const reference = FF1(radix, key, tweak);
            numerals.forEach((digits, i) => {
              expect(Array.from(encrypted[i] ?? '')).toHaveLength(digits.length);
              expect(encrypted[i]).toBe(reference.encrypt(digits).map((digit) => symbols[digit]).join(''));
            });
          },
        ),
        { numRuns: 150 },
      );
    });

    it('gives the same result in a large mixed-length batch as value by value', () => {
      // Prepare: more values than one chunk, lengths 6..30 so both the Number and the BigInt path run.
      const ff1 = createFf1(hex('2B7E151628AED2A6ABF7158809CF4F3C'), FF1_ALPHABETS.DIGITS);
      const values = Array.from({ length: 10_000 }, (_, i) => String((i * 7_919_993) % 1e9).padStart(6 + (i % 25), String(i % 10)));
      const tweak = new TextEncoder().encode('account_no');

      // Act
      const batch = ff1.encrypt(values, tweak);

      // Assess
      for (let i = 0; i < values.length; i += 397) expect(batch[i]).toBe(ff1.encrypt([values[i] ?? ''], tweak)[0]);
      expect(ff1.decrypt(batch, tweak)).toEqual(values);
      expect(new Set(batch).size).toBe(new Set(values).size);
    });

    it('is deterministic, keyed and tweaked', () => {
      const key = hex('2B7E151628AED2A6ABF7158809CF4F3C');
      const ff1 = createFf1(key, FF1_ALPHABETS.DIGITS);
      const values = ['0912345678', '0912345679'];
      expect(ff1.encrypt(values)).toEqual(createFf1(key, FF1_ALPHABETS.DIGITS).encrypt(values));
      expect(ff1.encrypt(values)).not.toEqual(ff1.encrypt(values, new Uint8Array([1])));
      expect(ff1.encrypt(values)).not.toEqual(createFf1(new Uint8Array(16), FF1_ALPHABETS.DIGITS).encrypt(values));
    });

    it('keeps the alphabet of upper-case and 62-character alphabets', () => {
      const key = new Uint8Array(32).fill(7);
      for (const alphabet of [FF1_ALPHABETS.UPPER_ALPHANUMERIC, FF1_ALPHABETS.ALPHANUMERIC]) {
        const ff1 = createFf1(key, alphabet);
        const [masked] = ff1.encrypt(['AB12CD34EF']);
        expect(masked).toMatch(alphabet === FF1_ALPHABETS.ALPHANUMERIC ? /^[0-9A-Za-z]{10}$/ : /^[0-9A-Z]{10}$/);
        expect(ff1.decrypt([masked ?? ''])).toEqual(['AB12CD34EF']);
      }
    });

    it('returns an empty array for an empty batch', () => {
      expect(createFf1(new Uint8Array(16), FF1_ALPHABETS.DIGITS).encrypt([])).toEqual([]);
    });
  });

  describe('domain', () => {
    it('reports the NIST minimum length per radix', () => {
      const key = new Uint8Array(16);
      expect(createFf1(key, FF1_ALPHABETS.DIGITS).minLength).toBe(6);
      expect(createFf1(key, FF1_ALPHABETS.LOWER_ALPHANUMERIC).minLength).toBe(4);
      expect(createFf1(key, '01').minLength).toBe(20);
      expect(createFf1(key, symbolsOf(65_536).join('')).minLength).toBe(2);
    });

    it('rejects a value below the minimum domain, naming its length and not its content', () => {
      const error = catchError(() => createFf1(new Uint8Array(16), FF1_ALPHABETS.DIGITS).encrypt(['0123456789', '98765']));
      expect(error.code).toBe(CRYPTO_ERROR_CODES.FF1_DOMAIN);
      expect(error.message).toContain('length 5');
      expect(error.message).not.toContain('98765');
    });

    it('rejects a character outside the alphabet, naming the index and not the value', () => {
      const error = catchError(() => createFf1(new Uint8Array(16), FF1_ALPHABETS.DIGITS).decrypt(['0123456789', '01234x6789']));
      expect(error.code).toBe(CRYPTO_ERROR_CODES.FF1_DOMAIN);
      expect(error.message).toContain('index 1');
      expect(error.message).not.toContain('01234x6789');
    });

    it('rejects bad alphabets and keys', () => {
      expect(catchError(() => createFf1(new Uint8Array(16), '0')).code).toBe(CRYPTO_ERROR_CODES.INVALID_ALPHABET);
      expect(catchError(() => createFf1(new Uint8Array(16), '0120')).code).toBe(CRYPTO_ERROR_CODES.INVALID_ALPHABET);
      expect(catchError(() => createFf1(new Uint8Array(15), FF1_ALPHABETS.DIGITS)).code).toBe(CRYPTO_ERROR_CODES.INVALID_KEY);
    });
  });
});
