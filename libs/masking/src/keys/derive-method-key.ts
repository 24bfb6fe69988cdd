import { hkdfSync } from 'node:crypto';

/** What each method derives from a data key, and how many bytes. */
export const METHOD_KEY_BYTES = { ff1: 32, daead: 64, hmac: 32, plugin: 32 } as const;

/** A method that needs a key. */
export type KeyedMethod = keyof typeof METHOD_KEY_BYTES;

/**
 * Derives a method's own key from a data key with HKDF-SHA256, so FF1, AES-SIV and HMAC never share key bytes even
 * though one data key serves a whole key group.
 */
export function deriveMethodKey(dataKey: Uint8Array, method: KeyedMethod, keyGroup: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', dataKey, Buffer.from(`cur-masking/${keyGroup}`), Buffer.from(`method/${method}`), METHOD_KEY_BYTES[method]));
}
