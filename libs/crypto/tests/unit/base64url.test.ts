import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRYPTO_ERROR_CODES, CryptoError, decodeBase64Url, encodeBase64Url } from '../../src/index';
import { readBase64Url, writeBase64Url } from '../../src/base64url';

describe('Function: encodeBase64Url / decodeBase64Url', () => {
  it('round-trips any bytes and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(Array.from(decodeBase64Url(text))).toEqual(Array.from(bytes));
      }),
    );
  });

  it('writes the same characters in the batch encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const target = new Uint8Array(100);
        const written = writeBase64Url(bytes, 0, bytes.length, target, 0);
        expect(Buffer.from(target.subarray(0, written)).toString('latin1')).toBe(encodeBase64Url(bytes));
      }),
    );
  });

  it('reads the same bytes in the batch decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const target = new Uint8Array(64);
        const read = readBase64Url(encodeBase64Url(bytes), target, 0);
        expect(Array.from(target.subarray(0, read))).toEqual(Array.from(bytes));
      }),
    );
    for (const text of ['AQ==', 'a+b/', 'AQID BA', 'AQIDB', 'AR', 'ABC', 'é123']) expect(readBase64Url(text, new Uint8Array(8), 0), text).toBe(-1);
  });

  it.each([
    ['padding', 'AQ=='],
    ['standard base64 characters', 'a+b/'],
    ['whitespace', 'AQID BA'],
    ['an impossible length', 'AQIDB'],
    ['non-zero trailing bits', 'AR'],
  ])('rejects %s', (_label, text) => {
    let error: unknown;
    try {
      decodeBase64Url(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe(CRYPTO_ERROR_CODES.INVALID_INPUT);
  });
});
