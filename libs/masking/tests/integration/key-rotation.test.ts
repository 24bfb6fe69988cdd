import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '@cur/runtime';
import { createMaskingPolicy } from '@cur/policy';
import { AuditLog, TokenService, type KeyRing } from '../../src/index';
import { maskingRuntime } from '../helpers/masking-runtime';

let runtime: Runtime;
let keyRing: KeyRing;
let service: TokenService;
let audit: AuditLog;
beforeAll(async () => {
  ({ runtime, keyRing } = await maskingRuntime());
  audit = new AuditLog(runtime.keyValueStore);
  service = new TokenService({ keyRing, policy: createMaskingPolicy(), audit });
});
afterAll(() => runtime.close());

const today = (): string => new Date().toISOString().slice(0, 10);
const SYSTEM = { principal: 'pipeline', role: 'SYSTEM' };
const DM = { principal: 'dm-1', role: 'DM' };

describe('Method: TokenService.rotate', () => {
  it.each([SYSTEM, DM])('refuses a bare rotation of the national_id join-key group for $role, naming --retokenize, and audits it', async (caller) => {
    // Prepare
    const active = await keyRing.activeVersion('national_id');

    // Act
    const refused = service.rotate(caller, 'national_id');

    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'ROTATION_BREAKS_JOINS', details: { keyGroup: 'national_id' } });
    await expect(refused).rejects.toThrow(/--retokenize/);
    await expect(refused).rejects.toThrow(/joins across business dates would silently stop matching/);
    expect(await keyRing.activeVersion('national_id')).toBe(active);
    expect((await audit.day(today())).at(-1)).toMatchObject({ principal: caller.principal, operation: 'rotate', outcome: 'refused', keyGroup: 'national_id' });
  });

  it('refuses a bare rotation of account_number, a primary-key group, too', async () => {
    await expect(service.rotate(DM, 'account_number')).rejects.toMatchObject({ code: 'ROTATION_BREAKS_JOINS' });
  });

  it('refuses a key group the policy does not define, creates nothing, and audits it without the name', async () => {
    await expect(service.rotate(DM, 'evil/../x')).rejects.toMatchObject({ code: 'KEY_GROUP_UNKNOWN' });
    await expect(service.rotate(SYSTEM, 'evil')).rejects.toMatchObject({ code: 'KEY_GROUP_UNKNOWN' });

    const groups = (await service.describe(DM)).map((key) => key.keyGroup);
    expect(groups.filter((group) => group.includes('evil'))).toEqual([]);
    const entries = await audit.day(today());
    expect(entries.at(-1)).toMatchObject({ operation: 'rotate', outcome: 'refused', reason: 'unknown key group' });
    expect(JSON.stringify(entries)).not.toContain('evil');
  });

  it('rotates a join-key group for the re-tokenise job, SYSTEM only', async () => {
    const active = await keyRing.activeVersion('national_id');

    await expect(service.rotate(DM, 'national_id', { retokenize: true })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(await service.rotate(SYSTEM, 'national_id', { retokenize: true })).toBe(active + 1);
    expect((await audit.day(today())).at(-1)).toMatchObject({ operation: 'rotate', outcome: 'allowed', keyGroup: 'national_id', role: 'SYSTEM' });
  });

  it('still rotates a group that is no join key (e-mail) on a bare request', async () => {
    const active = await keyRing.activeVersion('email');

    expect(await service.rotate(DM, 'email')).toBe(active + 1);
  });
});

describe('Method: TokenService.retokenize', () => {
  it('turns tokens of one key version into the tokens the same values get under another, FF1, sealed and DAEAD alike', async () => {
    // Prepare: a clean national ID, a dirty one (sealed with AES-SIV), and an e-mail, tokenized under today's versions
    const ids = { dataset: 'customer_profile', column: 'cust_id', values: ['A123456789', 'A12345', null] };
    const emails = { dataset: 'customer_profile', column: 'email', values: ['amy@example.com.tw'] };
    const oldIds = await service.tokenize(SYSTEM, ids);
    const oldEmails = await service.tokenize(SYSTEM, emails);
    const idVersion = await service.rotate(SYSTEM, 'national_id', { retokenize: true });
    const emailVersion = await service.rotate(SYSTEM, 'email');

    // Act
    const newIds = await service.retokenize(SYSTEM, { ...ids, values: oldIds.tokens, keyVersion: oldIds.keyVersion ?? 0 }, idVersion);
    const newEmails = await service.retokenize(SYSTEM, { ...emails, values: oldEmails.tokens, keyVersion: oldEmails.keyVersion ?? 0 }, emailVersion);

    // Assess
    expect(newIds).toEqual((await service.tokenize(SYSTEM, ids)).tokens);
    expect(newIds).not.toEqual(oldIds.tokens);
    expect(newIds[2]).toBeNull();
    expect(newEmails).toEqual((await service.tokenize(SYSTEM, emails)).tokens);
    const entries = await audit.day(today());
    const retokenized = entries.filter((entry) => entry.operation === 'retokenize');
    expect(retokenized.at(-2)).toMatchObject({ outcome: 'allowed', dataset: 'customer_profile', column: 'cust_id', keyGroup: 'national_id', count: 3, reason: `version ${oldIds.keyVersion} to ${idVersion}` });
    expect(retokenized.at(-1)).toMatchObject({ outcome: 'allowed', dataset: 'customer_profile', column: 'email', keyGroup: 'email', count: 1 });
    for (const secret of ['A123456789', 'amy@example.com.tw', ...oldIds.tokens, ...newIds].filter((value): value is string => value !== null)) {
      expect(JSON.stringify(entries)).not.toContain(secret);
    }
  });

  it.each(['DE', 'DA', 'DS', 'DM', 'AP', 'ROOT'])('refuses %s and audits the refusal', async (role) => {
    const { tokens, keyVersion } = await service.tokenize(SYSTEM, { dataset: 'customer_profile', column: 'cust_id', values: ['A123456789'] });

    await expect(service.retokenize({ principal: `user-${role}`, role }, { dataset: 'customer_profile', column: 'cust_id', values: tokens, keyVersion: keyVersion ?? 1 }, 1)).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
    expect((await audit.day(today())).at(-1)).toMatchObject({ principal: `user-${role}`, operation: 'retokenize', outcome: 'refused' });
  });
});
