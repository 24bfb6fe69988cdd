import { FF1_ALPHABETS, createFf1, createHmacTokenizer, createNationalIdFpe, isValidNationalId, type AesSivCipher, type Ff1Cipher, type NationalIdFpe } from '@cur/crypto';
import type { Treatment } from '@cur/policy';
import { deriveMethodKey } from '../keys/derive-method-key';
import type { KeyRing } from '../keys/key-ring';
import { MaskingError } from '../masking-error';
import type { ColumnMasker, MaskedBatch } from './column-masker';
import { mapDistinct, type MaskOptions } from './column-masker';
import { DAEAD_TOKEN, daeadCipher, openTokens, parseDaeadToken, sealTokens } from './daead-token';

type KeyedTreatment = Extract<Treatment, { method: 'ff1' | 'daead' | 'hmac' }>;
type Ff1Format = Extract<Treatment, { method: 'ff1' }>['params']['format'];

/** The ciphers of one key version, built once. */
interface VersionCiphers {
  readonly daead: AesSivCipher;
  readonly ff1: Ff1Cipher;
  readonly nationalId: NationalIdFpe;
  readonly hmac: ReturnType<typeof createHmacTokenizer>;
}

/** Canonical form per FF1 format, and how to split it into a kept prefix and the enciphered part. */
const FF1_FORMATS: Readonly<Record<Ff1Format, { canonical: (value: string) => string; valid: RegExp; keep: number }>> = {
  // The letter, the gender digit class and the check digit are rebuilt by the national-ID FPE: nothing is kept.
  national_id: { canonical: (value) => value.normalize('NFKC').trim().toUpperCase(), valid: /^[A-Z]\d{9}$/, keep: 0 },
  // Every Taiwanese mobile number starts 09: the prefix is format, not information, so it is kept.
  mobile: { canonical: (value) => value.normalize('NFKC').replace(/[\s-]/g, ''), valid: /^09\d{8}$/, keep: 2 },
  // Account and card numbers: all digits enciphered, length kept.
  digits: { canonical: (value) => value.normalize('NFKC').replace(/[\s-]/g, ''), valid: /^\d{6,36}$/, keep: 0 },
};

/**
 * Masks with a data key of the column's key group: FF1 (format-preserving), DAEAD (AES-SIV token) or HMAC
 * (irreversible). A value that does not fit its FF1 format (a dirty row) is sealed as a DAEAD token instead, so it
 * is still protected and still reversible, and downstream format checks catch it.
 */
export class KeyedMasker implements ColumnMasker {
  readonly method: KeyedTreatment['method'];
  readonly reversible: boolean;
  readonly #treatment: KeyedTreatment;
  readonly #keyGroup: string;
  readonly #keyRing: KeyRing;
  readonly #tweak: Uint8Array;
  readonly #ciphers = new Map<number, Promise<VersionCiphers>>();

  constructor(treatment: KeyedTreatment, keyGroup: string, keyRing: KeyRing) {
    this.#treatment = treatment;
    this.method = treatment.method;
    this.reversible = treatment.method !== 'hmac';
    this.#keyGroup = keyGroup;
    this.#keyRing = keyRing;
    this.#tweak = new TextEncoder().encode(keyGroup);
  }

  async mask(values: readonly (string | null)[], options?: MaskOptions): Promise<MaskedBatch> {
    const version = options?.keyVersion ?? (await this.#keyRing.activeVersion(this.#keyGroup));
    const ciphers = await this.#ciphersAt(version);
    const tokens = await mapDistinct(values, (distinct) => this.#maskDistinct(ciphers, version, distinct), options);
    return { tokens, keyVersion: version };
  }

  async unmask(tokens: readonly (string | null)[], keyVersion?: number): Promise<(string | null)[]> {
    if (!this.reversible) {
      throw new MaskingError('NOT_REVERSIBLE', `key group '${this.#keyGroup}' uses ${this.method}, which cannot be reversed`);
    }
    return mapDistinct(tokens, async (distinct) => {
      const out = new Array<string>(distinct.length);
      const sealedByVersion = new Map<number, { at: number[]; sealed: Uint8Array[] }>();
      const fpe: { at: number[]; tokens: string[] } = { at: [], tokens: [] };
      distinct.forEach((token, position) => {
        if (token === '' && this.method === 'ff1') {
          out[position] = '';
        } else if (this.method === 'daead' || DAEAD_TOKEN.test(token)) {
          const { version, sealed } = parseDaeadToken(token, position);
          const group = sealedByVersion.get(version) ?? { at: [], sealed: [] };
          group.at.push(position);
          group.sealed.push(sealed);
          sealedByVersion.set(version, group);
        } else {
          fpe.at.push(position);
          fpe.tokens.push(token);
        }
      });
      for (const [version, group] of sealedByVersion) {
        const opened = openTokens((await this.#ciphersAt(version)).daead, this.#keyGroup, group.sealed);
        group.at.forEach((position, i) => (out[position] = opened[i] ?? ''));
      }
      if (fpe.tokens.length > 0) {
        if (keyVersion === undefined) {
          throw new MaskingError('TOKEN_INVALID', `FF1 tokens of key group '${this.#keyGroup}' carry no key version: pass the column's key version`);
        }
        const plain = this.#ff1Decrypt(await this.#ciphersAt(keyVersion), fpe.tokens);
        fpe.at.forEach((position, i) => (out[position] = plain[i] ?? ''));
      }
      return out;
    });
  }

  #maskDistinct(ciphers: VersionCiphers, version: number, distinct: string[]): string[] {
    if (this.#treatment.method === 'daead') return sealTokens(ciphers.daead, this.#keyGroup, version, distinct);
    if (this.#treatment.method === 'hmac') return ciphers.hmac.tokens(distinct).map((token) => `v${version}.${token}`);
    const format = FF1_FORMATS[this.#treatment.params.format];
    const out = new Array<string>(distinct.length);
    const fit: { at: number[]; values: string[] } = { at: [], values: [] };
    const misfit: { at: number[]; values: string[] } = { at: [], values: [] };
    distinct.forEach((value, position) => {
      const canonical = format.canonical(value);
      if (canonical === '') out[position] = '';
      else if (format.valid.test(canonical) && (this.#treatment.params.format !== 'national_id' || isValidNationalId(canonical))) {
        fit.at.push(position);
        fit.values.push(canonical);
      } else {
        misfit.at.push(position);
        misfit.values.push(value);
      }
    });
    const enciphered = this.#ff1Encrypt(ciphers, fit.values);
    fit.at.forEach((position, i) => (out[position] = enciphered[i] ?? ''));
    const sealed = sealTokens(ciphers.daead, this.#keyGroup, version, misfit.values);
    misfit.at.forEach((position, i) => (out[position] = sealed[i] ?? ''));
    return out;
  }

  #ff1Encrypt(ciphers: VersionCiphers, values: string[]): string[] {
    if (values.length === 0) return [];
    if (this.#treatment.method !== 'ff1') return [];
    const format = this.#treatment.params.format;
    if (format === 'national_id') return ciphers.nationalId.encrypt(values, this.#tweak);
    const keep = FF1_FORMATS[format].keep;
    const enciphered = ciphers.ff1.encrypt(
      values.map((value) => value.slice(keep)),
      this.#tweak,
    );
    return values.map((value, i) => value.slice(0, keep) + (enciphered[i] ?? ''));
  }

  #ff1Decrypt(ciphers: VersionCiphers, tokens: string[]): string[] {
    if (this.#treatment.method !== 'ff1') return [];
    const format = this.#treatment.params.format;
    const shape = FF1_FORMATS[format];
    tokens.forEach((token, position) => {
      if (!shape.valid.test(token)) throw new MaskingError('TOKEN_INVALID', `value #${position + 1} is not a ${format} token of key group '${this.#keyGroup}'`);
    });
    if (format === 'national_id') return ciphers.nationalId.decrypt(tokens, this.#tweak);
    const deciphered = ciphers.ff1.decrypt(
      tokens.map((token) => token.slice(shape.keep)),
      this.#tweak,
    );
    return tokens.map((token, i) => token.slice(0, shape.keep) + (deciphered[i] ?? ''));
  }

  #ciphersAt(version: number): Promise<VersionCiphers> {
    let ciphers = this.#ciphers.get(version);
    if (!ciphers) {
      ciphers = this.#keyRing.keyAt(this.#keyGroup, version).then((dataKey) => ({
        daead: daeadCipher(deriveMethodKey(dataKey, 'daead', this.#keyGroup)),
        ff1: createFf1(deriveMethodKey(dataKey, 'ff1', this.#keyGroup), FF1_ALPHABETS.DIGITS),
        nationalId: createNationalIdFpe(deriveMethodKey(dataKey, 'ff1', this.#keyGroup)),
        hmac: createHmacTokenizer(deriveMethodKey(dataKey, 'hmac', this.#keyGroup)),
      }));
      this.#ciphers.set(version, ciphers);
      ciphers.catch(() => this.#ciphers.delete(version));
    }
    return ciphers;
  }
}
