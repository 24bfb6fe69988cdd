import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '@cur/runtime';
import { createMaskingPolicy } from '@cur/policy';
import { AuditLog, LookupRateLimit, TokenService, type KeyRing } from '../../src/index';
import { maskingRuntime } from '../helpers/masking-runtime';

let runtime: Runtime;
let keyRing: KeyRing;
let service: TokenService;
let audit: AuditLog;
beforeAll(async () => {
  ({ runtime, keyRing } = await maskingRuntime());
  audit = new AuditLog(runtime.keyValueStore);
  service = new TokenService({ keyRing, policy: createMaskingPolicy(), audit, lookupLimit: new LookupRateLimit(runtime.keyValueStore, { limit: 3, windowMs: 3_600_000 }) });
});
afterAll(() => runtime.close());

const today = (): string => new Date().toISOString().slice(0, 10);

describe('TokenService', () => {
  it('tokenizes and detokenizes for SYSTEM, auditing who, what and how many', async () => {
    const { tokens, keyVersion } = await service.tokenize({ principal: 'pipeline', role: 'SYSTEM' }, { dataset: 'customer_profile', column: 'cust_id', values: ['A123456789'] });
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
    const caller = { principal: 'pipeline', role: 'SYSTEM' };
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
    await expect(service.tokenize({ principal: 'x', role: 'SYSTEM' }, { dataset: 'customer_profile', column: 'cust_id', values: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(service.tokenize({ principal: 'x', role: '' }, { dataset: 'customer_profile', column: 'cust_id', values: ['A123456789'] })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it.each(['DE', 'DA', 'DS', 'DM', 'AP', 'ROOT'])('refuses %s to tokenize chosen values, secret columns included, and audits it without the values', async (role) => {
    for (const [dataset, column, value] of [['customer_profile', 'mobile', '0912345678'], ['digital_activity', 'ip_address', '10.1.2.3']] as const) {
      await expect(service.tokenize({ principal: `user-${role}`, role }, { dataset, column, values: [value] })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
      const entries = await audit.day(today());
      expect(entries.at(-1)).toMatchObject({ principal: `user-${role}`, operation: 'tokenize', outcome: 'refused', dataset, column, count: 1 });
      expect(JSON.stringify(entries)).not.toContain(value);
    }
  });

  it('looks one customer up by national ID for AP, as the pipeline tokenized it, audited, within its rate', async () => {
    const system = await service.tokenize({ principal: 'pipeline', role: 'SYSTEM' }, { dataset: 'customer_profile', column: 'cust_id', values: ['F223456785'] });
    const caller = { principal: 'app-lookup', role: 'AP' };
    const found = await service.lookupCustomerToken(caller, 'F223456785');
    expect(found).toEqual({ token: system.tokens[0], keyVersion: system.keyVersion });
    const entries = await audit.day(today());
    expect(entries.at(-1)).toMatchObject({ principal: 'app-lookup', role: 'AP', operation: 'lookup', outcome: 'allowed', keyGroup: 'national_id', count: 1 });
    expect(JSON.stringify(entries)).not.toContain('F223456785');
    // Three a window here: the third call passes, the fourth is refused and audited, and other principals are unaffected.
    await service.lookupCustomerToken(caller, 'F223456785');
    await service.lookupCustomerToken(caller, 'F223456785');
    await expect(service.lookupCustomerToken(caller, 'F223456785')).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    expect((await audit.day(today())).at(-1)).toMatchObject({ principal: 'app-lookup', operation: 'lookup', outcome: 'refused', reason: 'rate limit' });
    await expect(service.lookupCustomerToken({ principal: 'app-other', role: 'AP' }, 'F223456785')).resolves.toMatchObject({ token: system.tokens[0] });
  });

  it.each(['DE', 'DA', 'DS', 'DM'])('refuses %s a lookup by national ID, audited', async (role) => {
    await expect(service.lookupCustomerToken({ principal: `user-${role}`, role }, 'A123456789')).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect((await audit.day(today())).at(-1)).toMatchObject({ principal: `user-${role}`, operation: 'lookup', outcome: 'refused' });
  });
});
