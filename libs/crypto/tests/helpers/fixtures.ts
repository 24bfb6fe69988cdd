import { readFileSync } from 'node:fs';

/** One NIST SP 800-38G FF1 sample. */
export interface Ff1Vector {
  readonly sample: number;
  readonly cipher: string;
  readonly key: string;
  readonly radix: number;
  readonly tweak: string;
  readonly plaintext: string;
  readonly ciphertext: string;
}

/** One RFC 8452 AES-GCM-SIV vector (result = ciphertext || tag). */
export interface GcmSivVector {
  readonly group: string;
  readonly index: number;
  readonly key: string;
  readonly nonce: string;
  readonly aad: string;
  readonly plaintext: string;
  readonly result_ct_plus_tag: string;
  readonly tag: string;
}

/** One RFC 5297 AES-SIV vector. */
export interface AesSivVector {
  readonly name: string;
  readonly key: string;
  readonly ad: readonly string[];
  readonly plaintext: string;
  readonly output: string;
}

function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** The nine NIST FF1 samples. */
export const FF1_VECTORS = readFixture<{ vectors: Ff1Vector[] }>('ff1-nist-vectors.json').vectors;

const sivFile = readFixture<{ vectors: GcmSivVector[]; aes_siv_rfc5297: AesSivVector[] }>('aes-gcm-siv-vectors.json');
/** RFC 8452 Appendix C vectors (subset). */
export const GCM_SIV_VECTORS = sivFile.vectors;
/** RFC 5297 Appendix A vectors. */
export const AES_SIV_VECTORS = sivFile.aes_siv_rfc5297;

/** Hex to bytes. */
export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Bytes to hex. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
