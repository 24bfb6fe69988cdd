import { createAesSiv, decodeBase64Url, type AesSivCipher } from '@cur/crypto';
import { MaskingError } from '../masking-error';

/** A DAEAD token: `v<key version>.<base64url of SIV and ciphertext>`, URL- and CSV-safe. */
export const DAEAD_TOKEN = /^v(\d{1,6})\.([A-Za-z0-9_-]{22,})$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Seals values with AES-SIV under one key version. The key group is the associated data, so a token moved to
 * another column group does not open.
 */
export function sealTokens(cipher: AesSivCipher, keyGroup: string, version: number, values: readonly string[]): string[] {
  const prefix = `v${version}.`;
  return cipher.sealText(values, [encoder.encode(keyGroup)]).map((token) => prefix + token);
}

/** Splits a DAEAD token into its version and sealed bytes. @throws MaskingError TOKEN_INVALID */
export function parseDaeadToken(token: string, position: number): { version: number; sealed: Uint8Array } {
  const match = DAEAD_TOKEN.exec(token);
  if (!match) throw new MaskingError('TOKEN_INVALID', `value #${position + 1} is not a DAEAD token (v<version>.<base64url>)`);
  return { version: Number(match[1]), sealed: decodeBase64Url(match[2] ?? '') };
}

/** Opens sealed bytes back into text. @throws MaskingError TOKEN_INVALID when a token does not authenticate */
export function openTokens(cipher: AesSivCipher, keyGroup: string, sealed: readonly Uint8Array[]): string[] {
  try {
    return cipher.open(sealed, [encoder.encode(keyGroup)]).map((bytes) => decoder.decode(bytes));
  } catch (error) {
    throw new MaskingError('TOKEN_INVALID', `a token of key group '${keyGroup}' does not authenticate: altered, or made for another column`, {
      cause: error,
    });
  }
}

/** Builds the AES-SIV cipher for a derived 64-byte key. */
export function daeadCipher(key: Uint8Array): AesSivCipher {
  return createAesSiv(key);
}
