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

describe('TokenService', () => {
  it('tokenizes for any role and detokenizes for SYSTEM, auditing who, what and how many', async () => {
    const { tokens, keyVersion } = await service.tokenize({ principal: 'app-crm', role: 'AP' }, { dataset: 'customer_profile', column: 'cust_id', values: ['A123456789'] });
    const values = await service.detokenize(
      { principal: 'pipeline', role: 'SYSTEM' },
      { dataset: 'customer_profile', column: 'cust_id', values: tokens, ...(keyVersion === undefined ? {} : { keyVersion }) },
    );
    expect(values).toEqual(['A123456789']);
    const entries = await audit.day(today());
    expect(entries.at(-1)).toMatchObject({ principal: 'pipeline', role: 'SYSTEM', operation: 'detokenize', outcome: 'allowed', dataset: 'customer_profile', column: 'cust_id', keyGroup: 'national_id', count: 1 });
  });

  it.each(['DE', 'DA', 'DS', 'DM', 'AP', 'ROOT'])('refuses to detokenize for %s and audits the refusal without the tokens', async (role) => {
    const { tokens } = await service.tokenize({ principal: 'x', role: 'SYSTEM' }, { dataset: 'customer_profile', column: 'email', values: ['amy@example.com.tw'] });
    await expect(service.detokenize({ principal: `user-${role}`, role }, { dataset: 'customer_profile', column: 'email', values: tokens })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const entries = await audit.day(today());
    const refusal = entries.at(-1);
    expect(refusal).toMatchObject({ principal: `user-${role}`, operation: 'detokenize', outcome: 'refused', count: 1 });
    expect(JSON.stringify(entries)).not.toContain(tokens[0] ?? '(none)');
    expect(JSON.stringify(entries)).not.toContain('amy@example.com.tw');
  });

  it('lets SYSTEM and DM rotate, refuses others, and lists keys without material', async () => {
    await expect(service.rotate({ principal: 'dev', role: 'DE' }, 'email')).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const version = await service.rotate({ principal: 'dm-1', role: 'DM' }, 'email');
    expect(version).toBe(2);
    const keys = await service.describe({ principal: 'dev', role: 'DE' });
    expect(keys.find((key) => key.keyGroup === 'email' && key.active)?.version).toBe(2);
  });

  it('tokenizes under an older key version on request, to find values in partitions masked before a rotation', async () => {
    const caller = { principal: 'app-crm', role: 'AP' };
    const batch = { dataset: 'card_transaction', column: 'card_no', values: ['4000123412341234'] };
    const before = await service.tokenize(caller, batch);
    const rotated = await service.rotate({ principal: 'dm-1', role: 'DM' }, 'card_number');
    const after = await service.tokenize(caller, batch);
    expect(after.keyVersion).toBe(rotated);
    expect(after.tokens).not.toEqual(before.tokens);
    expect(await service.tokenize(caller, { ...batch, keyVersion: before.keyVersion ?? 0 })).toEqual(before);
    await expect(service.tokenize(caller, { ...batch, keyVersion: 99 })).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
  });

  it('refuses empty and oversized batches and callers without a role', async () => {
    await expect(service.tokenize({ principal: 'x', role: 'AP' }, { dataset: 'customer_profile', column: 'cust_id', values: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(service.tokenize({ principal: 'x', role: '' }, { dataset: 'customer_profile', column: 'cust_id', values: ['A123456789'] })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });
});
