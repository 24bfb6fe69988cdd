import { describe, expect, it } from 'vitest';
import { HUMAN_ROLES } from '@cur/contracts';
import { createMaskingPolicy, parsePolicyOverrides } from '@cur/policy';
import { REDACTED_VALUE, ResponseShaper } from '../../src/index';

const stored = { cust_id: 'Q204718365', segment: 'MASS', aum_total: 1200, gender: 'F', branch_code: 'B012' };

describe('ResponseShaper', () => {
  it('shows every human role the stored token and public columns, and SYSTEM the token too (plaintext only by reveal)', () => {
    const shaper = new ResponseShaper(createMaskingPolicy());
    for (const role of [...HUMAN_ROLES, 'SYSTEM']) {
      expect(shaper.columns(role, 'customer_features', stored), role).toEqual(stored);
      expect(shaper.plaintextFor(role, 'customer_features', 'cust_id'), role).toBe(role === 'SYSTEM');
    }
  });

  it('applies overrides: drop leaves a column out, redact shows a marker, a method the API cannot apply leaves it out', () => {
    const policy = createMaskingPolicy(
      parsePolicyOverrides([{ dataset: 'customer_features', columns: { gender: { method: 'drop', params: {} }, aum_total: { method: 'redact', params: {} }, branch_code: { method: 'partial', params: { keepLast: 2 } } } }]),
    );
    const shaper = new ResponseShaper(policy);
    // The consumption layer stores public columns in plaintext, so a partial mask cannot be applied here: left out.
    expect(shaper.columns('AP', 'customer_features', stored)).toEqual({ cust_id: 'Q204718365', segment: 'MASS', aum_total: REDACTED_VALUE });
    expect(shaper.value('AP', 'customer_features', 'branch_code', 'B012')).toBeUndefined();
    expect(shaper.visible('AP', 'customer_features', 'gender')).toBe(false);
    // SYSTEM's treatment is plaintext whatever the overrides say: it still gets the stored token.
    expect(shaper.columns('SYSTEM', 'customer_features', stored)).toEqual(stored);
  });

  it('refuses an unknown role or dataset rather than show anything', () => {
    const shaper = new ResponseShaper(createMaskingPolicy());
    expect(() => shaper.columns('ROOT', 'customer_features', stored)).toThrow(/unknown role/);
    expect(() => shaper.columns('AP', 'customer_secrets', stored)).toThrow(/unknown dataset/);
  });
});
