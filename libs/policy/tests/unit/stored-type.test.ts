import { getDataset, ZONES } from '@cur/contracts';
import { describe, expect, it } from 'vitest';
import { createMaskingPolicy, parsePolicyOverrides, storedTypeOf } from '../../src/index';

const policy = createMaskingPolicy();
const column = (dataset: string, name: string) => {
  const spec = getDataset(dataset);
  const found = spec.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${dataset}.${name}`);
  return { dataset: spec, column: found };
};

describe('Function: storedTypeOf', () => {
  it('stores every column of landing and raw as text, whatever its contract type', () => {
    // Prepare
    const { dataset, column: balance } = column('account_balance', 'balance');

    // Assess
    expect(balance.type).not.toBe('string');
    expect(storedTypeOf(dataset, balance, 'landing', policy)).toBe('string');
    expect(storedTypeOf(dataset, balance, 'raw', policy)).toBe('string');
  });

  it('keeps a masked column text in transformed, and types a plaintext one as its contract says', () => {
    // Prepare
    const birth = column('customer_profile', 'birth_date');
    const balance = column('account_balance', 'balance');

    // Assess: birth_date is stored generalised (a year), balance in plaintext
    expect(birth.column.type).toBe('date');
    expect(storedTypeOf(birth.dataset, birth.column, 'transformed', policy)).toBe('string');
    expect(storedTypeOf(balance.dataset, balance.column, 'transformed', policy)).toBe(balance.column.type);
  });

  it('follows the policy: a public column an override masks is stored as text in transformed', () => {
    // Prepare
    const overridden = createMaskingPolicy(parsePolicyOverrides([{ dataset: 'account_balance', columns: { balance: { method: 'daead', params: {} } } }]));
    const balance = column('account_balance', 'balance');

    // Assess
    expect(storedTypeOf(balance.dataset, balance.column, 'transformed', policy)).toBe(balance.column.type);
    expect(storedTypeOf(balance.dataset, balance.column, 'transformed', overridden)).toBe('string');
  });

  it('types the computed zones as the contract says', () => {
    const features = getDataset('customer_features');
    for (const zone of ZONES.filter((z) => z === 'consumption' || z === 'mart')) {
      for (const spec of features.columns) expect(storedTypeOf(features, spec, zone, policy)).toBe(spec.type);
    }
  });
});
