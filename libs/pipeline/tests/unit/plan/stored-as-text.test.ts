import { describe, expect, it } from 'vitest';
import { createMaskingPolicy, parsePolicyOverrides } from '@cur/policy';
import { storedAsTextOf } from '../../../src/index';

describe('Function: storedAsTextOf', () => {
  it('names the masked columns declared as other than text: birth_date (a generalised year), not balance', () => {
    // Act
    const storedAsText = storedAsTextOf(createMaskingPolicy());

    // Assess
    expect(storedAsText.customer_profile.has('birth_date')).toBe(true);
    expect(storedAsText.account_balance.has('balance')).toBe(false);
  });

  it('follows the policy, as storedTypeOf does: a public number an override masks becomes text', () => {
    // Prepare
    const overridden = createMaskingPolicy(parsePolicyOverrides([{ dataset: 'account_balance', columns: { balance: { method: 'daead', params: {} } } }]));

    // Act
    const storedAsText = storedAsTextOf(overridden);

    // Assess
    expect(storedAsText.account_balance.has('balance')).toBe(true);
    expect(storedAsTextOf(createMaskingPolicy()).account_balance.has('balance')).toBe(false);
  });
});
