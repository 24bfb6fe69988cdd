import { FF1 } from '@noble/ciphers/ff1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CRYPTO_ERROR_CODES,
  CryptoError,
  NATIONAL_ID_CLASS_DIGITS,
  NATIONAL_ID_DOMAIN,
  createNationalIdFpe,
  isValidNationalId,
  nationalIdCheckDigit,
} from '../../src/index';
import { NATIONAL_ID_RADIX } from '../../src/national-id-fpe';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The ID whose first nine characters encode x = ((letter * 4) + class) * 10^7 + middle. */
function idOf(x: number): string {
  const middle = x % 10_000_000;
  const rest = (x - middle) / 10_000_000;
  const first9 = `${LETTERS[Math.floor(rest / 4)]}${NATIONAL_ID_CLASS_DIGITS[rest % 4]}${String(middle).padStart(7, '0')}`;
  return first9 + nationalIdCheckDigit(first9);
}

function indexOf(id: string): number {
  return ((LETTERS.indexOf(id[0] ?? '') * 4 + NATIONAL_ID_CLASS_DIGITS.indexOf(id[1] ?? '')) * 10_000_000) + Number(id.slice(2, 9));
}

/** The scheme restated on @noble/ciphers: FF1 over two radix-32250 numerals, cycle walking into the domain. */
function referenceEncrypt(key: Uint8Array, tweak: Uint8Array, id: string): string {
  const ff1 = FF1(NATIONAL_ID_RADIX, key, tweak);
  let x = indexOf(id);
  do {
    const [high = 0, low = 0] = ff1.encrypt([Math.floor(x / NATIONAL_ID_RADIX), x % NATIONAL_ID_RADIX]);
    x = high * NATIONAL_ID_RADIX + low;
  } while (x >= NATIONAL_ID_DOMAIN);
  return idOf(x);
}

const idArbitrary = fc.integer({ min: 0, max: NATIONAL_ID_DOMAIN - 1 }).map(idOf);
const keyArbitrary = fc.constantFrom(16, 24, 32).chain((length) => fc.uint8Array({ minLength: length, maxLength: length }));

describe('Function: createNationalIdFpe', () => {
  it('maps valid IDs to valid IDs and back, equal to FF1 on @noble/ciphers with cycle walking', () => {
    fc.assert(
      fc.property(keyArbitrary, fc.uint8Array({ maxLength: 20 }), fc.array(idArbitrary, { minLength: 1, maxLength: 20 }), (key, tweak, ids) => {
        // Act
        const fpe = createNationalIdFpe(key);
        const masked = fpe.encrypt(ids, tweak);

        // Assess
        expect(masked.every(isValidNationalId)).toBe(true);
        expect(fpe.decrypt(masked, tweak)).toEqual(ids);
        masked.forEach((value, i) => expect(value).toBe(referenceEncrypt(key, tweak, ids[i] ?? '')));
      }),
      { numRuns: 100 },
    );
  });

  it('walks a cycle when the first FF1 image leaves the ID domain', () => {
    // Prepare: under this key FF1 sends x = 19481 (A100194811) to 1,040,016,381 >= 1.04e9, so one more FF1 pass runs.
    const key = new Uint8Array(16).fill(0x11);
    const id = idOf(19_481);
    expect(id).toBe('A100194811');
    const [high = 0, low = 0] = FF1(NATIONAL_ID_RADIX, key).encrypt([Math.floor(19_481 / NATIONAL_ID_RADIX), 19_481 % NATIONAL_ID_RADIX]);
    expect(high * NATIONAL_ID_RADIX + low).toBeGreaterThanOrEqual(NATIONAL_ID_DOMAIN);
    const fpe = createNationalIdFpe(key);

    // Act
    const [masked = ''] = fpe.encrypt([id]);

    // Assess
    expect(isValidNationalId(masked)).toBe(true);
    expect(masked).toBe(referenceEncrypt(key, new Uint8Array(0), id));
    expect(fpe.decrypt([masked])).toEqual([id]);
  });

  it('gives the documented example under an all-zero key', () => {
    const fpe = createNationalIdFpe(new Uint8Array(16));
    expect(fpe.encrypt(['A123456789'])).toEqual(['X239938292']);
    expect(referenceEncrypt(new Uint8Array(16), new Uint8Array(0), 'A123456789')).toBe('X239938292');
    expect(fpe.decrypt(['X239938292'])).toEqual(['A123456789']);
  });

  it('is a bijection on a large batch: distinct IDs stay distinct', () => {
    const fpe = createNationalIdFpe(new Uint8Array(32).fill(7));
    const ids = Array.from({ length: 20_000 }, (_, i) => idOf((i * 52_000_003) % NATIONAL_ID_DOMAIN));
    const masked = fpe.encrypt(ids);
    expect(new Set(masked).size).toBe(new Set(ids).size);
    expect(masked.every(isValidNationalId)).toBe(true);
    expect(fpe.decrypt(masked)).toEqual(ids);
  });

  it('keeps nothing but the format: letters and class digits spread over the whole range', () => {
    const fpe = createNationalIdFpe(new Uint8Array(16).fill(2));
    const masked = fpe.encrypt(Array.from({ length: 5_000 }, (_, i) => idOf(i)));
    expect(new Set(masked.map((id) => id[0])).size).toBe(26);
    expect(new Set(masked.map((id) => id[1])).size).toBe(4);
  });

  it('rejects invalid IDs by index without echoing them', () => {
    const fpe = createNationalIdFpe(new Uint8Array(16));
    for (const bad of ['A123456788', 'a123456789', 'A12345678', 'A323456789']) {
      try {
        fpe.encrypt(['A123456789', bad]);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CryptoError);
        expect((error as CryptoError).code).toBe(CRYPTO_ERROR_CODES.NATIONAL_ID_INVALID);
        expect((error as CryptoError).message).toContain('index 1');
        expect((error as CryptoError).message).not.toContain(bad);
      }
    }
  });
});
