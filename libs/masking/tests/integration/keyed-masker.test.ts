import { isValidNationalId, nationalIdCheckDigit } from '@cur/crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '@cur/runtime';
import { DAEAD_TOKEN, KeyRing, createColumnMasker, type KeyRing as KeyRingType } from '../../src/index';
import { maskingRuntime } from '../helpers/masking-runtime';

let runtime: Runtime;
let keyRing: KeyRingType;
let home: string;
beforeAll(async () => ({ runtime, keyRing, home } = await maskingRuntime()));
afterAll(() => runtime.close());

const nationalId = fc
  .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.constantFrom('1', '2'), fc.stringMatching(/^\d{7}$/))
  .map(([letter, gender, body]) => `${letter}${gender}${body}${nationalIdCheckDigit(`${letter}${gender}${body}`)}`);
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('王小明', '陳美麗', '歐陽娜娜', '', 'a.b+c@example.com.tw'));

describe('ff1 national_id', () => {
  const masker = () => createColumnMasker({ method: 'ff1', params: { format: 'national_id' } }, 'national_id', { keyRing });

  it('gives a valid national ID that shares nothing with the input but the format, and reverses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nationalId, { minLength: 1, maxLength: 50 }), async (ids) => {
        const { tokens, keyVersion } = await masker().mask(ids);
        for (const [i, token] of tokens.entries()) {
          expect(isValidNationalId(token ?? '')).toBe(true);
          expect(token).not.toBe(ids[i]);
        }
        expect(await masker().unmask(tokens, keyVersion)).toEqual(ids);
      }),
      { numRuns: 30 },
    );
  });

  it('seals a dirty ID as a DAEAD token that still reverses, and keeps nulls and empties', async () => {
    const values = ['A123456789', 'a123456789', 'A12345678X', null, '', 'Ａ１２３４５６７８９'];
    const { tokens, keyVersion } = await masker().mask(values);
    expect(tokens[2]).toMatch(DAEAD_TOKEN);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[5]).toBe(tokens[0]);
    expect(tokens[3]).toBeNull();
    expect(tokens[4]).toBe('');
    expect(await masker().unmask(tokens, keyVersion)).toEqual(['A123456789', 'A123456789', 'A12345678X', null, '', 'A123456789']);
  });
});

describe('ff1 mobile and digits', () => {
  it('keeps 09 and ten digits for a mobile number and enciphers the rest', async () => {
    const masker = createColumnMasker({ method: 'ff1', params: { format: 'mobile' } }, 'mobile', { keyRing });
    const { tokens, keyVersion } = await masker.mask(['0912345678', '0912-345-678']);
    expect(tokens[0]).toMatch(/^09\d{8}$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect(await masker.unmask(tokens, keyVersion)).toEqual(['0912345678', '0912345678']);
  });

  it('keeps the length of account and card numbers', async () => {
    const masker = createColumnMasker({ method: 'ff1', params: { format: 'digits' } }, 'card_number', { keyRing });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.stringMatching(/^\d{14,16}$/), { minLength: 1, maxLength: 40 }), async (numbers) => {
        const { tokens, keyVersion } = await masker.mask(numbers);
        tokens.forEach((token, i) => expect(token).toHaveLength(numbers[i]?.length ?? -1));
        expect(await masker.unmask(tokens, keyVersion)).toEqual(numbers);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses to reverse FF1 tokens without the column key version', async () => {
    const masker = createColumnMasker({ method: 'ff1', params: { format: 'digits' } }, 'card_number', { keyRing });
    const { tokens } = await masker.mask(['4111111111111111']);
    await expect(masker.unmask(tokens)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});

describe('daead', () => {
  const masker = () => createColumnMasker({ method: 'daead', params: {} }, 'person_name', { keyRing });

  it('round-trips any text, Chinese, empty and null included, with the version in the token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 40 }), async (values) => {
        const { tokens } = await masker().mask(values);
        tokens.forEach((token, i) => (values[i] === null ? expect(token).toBeNull() : expect(token).toMatch(DAEAD_TOKEN)));
        expect(await masker().unmask(tokens)).toEqual(values);
      }),
      { numRuns: 40 },
    );
  });

  it('does not open a token of another key group or an altered token', async () => {
    const { tokens } = await masker().mask(['王小明']);
    const other = createColumnMasker({ method: 'daead', params: {} }, 'email', { keyRing });
    await other.mask(['someone@example.com.tw']);
    await expect(other.unmask(tokens)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    const token = tokens[0] ?? '';
    const altered = token.slice(0, -2) + (token.endsWith('A') ? 'B' : 'A') + token.slice(-1);
    await expect(masker().unmask([altered])).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});

describe('determinism and rotation', () => {
  it('gives the same token in another run on the same state folder', async () => {
    const treatment = { method: 'daead', params: {} } as const;
    const first = await createColumnMasker(treatment, 'email', { keyRing }).mask(['amy@example.com.tw']);
    // A state folder serves one process at a time: close this run and start the next on the same folder.
    await runtime.close();
    ({ runtime, keyRing } = await maskingRuntime(home));
    const second = await createColumnMasker(treatment, 'email', { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) }).mask(['amy@example.com.tw']);
    expect(second.tokens).toEqual(first.tokens);
  });

  it('uses the new version after rotation and still reverses tokens of the old one', async () => {
    const treatment = { method: 'ff1', params: { format: 'national_id' } } as const;
    const before = await createColumnMasker(treatment, 'rotating_id', { keyRing }).mask(['B234567891'.slice(0, 9) + nationalIdCheckDigit('B23456789')]);
    await keyRing.rotate('rotating_id');
    const masker = createColumnMasker(treatment, 'rotating_id', { keyRing });
    const after = await masker.mask([await masker.unmask(before.tokens, before.keyVersion).then((v) => v[0] ?? null)]);
    expect(after.keyVersion).toBe((before.keyVersion ?? 0) + 1);
    expect(after.tokens).not.toEqual(before.tokens);
    expect(await masker.unmask(before.tokens, before.keyVersion)).toEqual(await masker.unmask(after.tokens, after.keyVersion));
  });
});

describe('hmac', () => {
  it('is deterministic and irreversible', async () => {
    const masker = createColumnMasker({ method: 'hmac', params: {} }, 'device_id', { keyRing });
    const { tokens } = await masker.mask(['dev-1', 'dev-1', 'dev-2']);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[0]).not.toBe(tokens[2]);
    await expect(masker.unmask(tokens)).rejects.toMatchObject({ code: 'NOT_REVERSIBLE' });
  });
});

describe('join preservation', () => {
  it('counts the same customer_profile JOIN card_transaction rows on masked keys as on plaintext keys', async () => {
    // Prepare: 500 customers, 3000 transactions, some by customers missing from the profile extract.
    const ids = fc.sample(nationalId, { numRuns: 600, seed: 42 });
    const profileIds = [...new Set(ids)].slice(0, 500);
    const transactionIds = fc.sample(fc.constantFrom(...new Set(ids)), { numRuns: 3000, seed: 7 });
    const count = (left: readonly (string | null)[], right: readonly (string | null)[]): number => {
      const counts = new Map<string | null, number>();
      for (const key of left) counts.set(key, (counts.get(key) ?? 0) + 1);
      return right.reduce((sum, key) => sum + (counts.get(key) ?? 0), 0);
    };

    // Act: each dataset masks its own column, in its own batch, as the pipeline does.
    const treatment = { method: 'ff1', params: { format: 'national_id' } } as const;
    const maskedProfile = await createColumnMasker(treatment, 'national_id', { keyRing }).mask(profileIds);
    const maskedTransactions = await createColumnMasker(treatment, 'national_id', { keyRing }).mask(transactionIds);

    // Assess
    const plaintextCount = count(profileIds, transactionIds);
    expect(plaintextCount).toBeGreaterThan(1000);
    expect(count(maskedProfile.tokens, maskedTransactions.tokens)).toBe(plaintextCount);
  });
});

describe('mask(values, { distinct: true })', () => {
  it('gives the same tokens as the deduping path, for every method, and falls back when a null slips in', async () => {
    const treatments = [
      [{ method: 'ff1', params: { format: 'national_id' } }, 'national_id', ['A123456789', 'B234567890', 'bad', '']],
      [{ method: 'daead', params: {} }, 'email', ['a@b.tw', 'c@d.tw', '']],
      [{ method: 'generalize', params: { generaliser: 'birth_year' } }, 'birth_date', ['0800101', '1990-02-03', 'x']],
    ] as const;
    for (const [treatment, keyGroup, values] of treatments) {
      const masker = createColumnMasker(treatment, keyGroup, { keyRing });
      const deduped = await masker.mask(values);
      expect((await masker.mask(values, { distinct: true })).tokens).toEqual(deduped.tokens);
      expect((await masker.mask([...values, null], { distinct: true })).tokens).toEqual([...deduped.tokens, null]);
    }
  });
});
