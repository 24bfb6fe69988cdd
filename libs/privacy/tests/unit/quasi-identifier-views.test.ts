import { describe, expect, it } from 'vitest';
import { getDataset } from '@cur/contracts';
import { createMaskingPolicy, parsePolicyOverrides } from '@cur/policy';
import { kAnonymityScopes, quasiIdentifierViews } from '../../src/index';

describe('quasiIdentifierViews', () => {
  it('gives every human role one shared view of customer_profile\'s quasi-identifiers, generalised as stored', () => {
    expect(quasiIdentifierViews(createMaskingPolicy(), getDataset('customer_profile'))).toEqual([
      { roles: ['DE', 'DA', 'DS', 'DM', 'AP'], columns: ['birth_date', 'gender', 'address', 'branch_code', 'open_date'] },
    ]);
  });

  it('leaves out a quasi-identifier a role sees redacted: it tells no one apart', () => {
    // Prepare: an override file that redacts the branch for human roles.
    const policy = createMaskingPolicy(parsePolicyOverrides([{ dataset: 'customer_features', columns: { branch_code: { method: 'redact', params: {} } } }]));

    // Act
    const views = quasiIdentifierViews(policy, getDataset('customer_features'), ['DA']);

    // Assess
    expect(views).toEqual([{ roles: ['DA'], columns: ['age_band', 'gender', 'tenure_months'] }]);
  });

  it('has nothing to measure for a dataset without quasi-identifiers', () => {
    expect(quasiIdentifierViews(createMaskingPolicy(), getDataset('card_transaction'))).toEqual([]);
  });
});

describe('kAnonymityScopes', () => {
  it('lists each dataset with quasi-identifiers in every zone a human role reads, never landing', () => {
    expect(kAnonymityScopes().map(({ dataset, zone }) => `${dataset.name}/${zone}`)).toEqual([
      'customer_profile/raw',
      'customer_profile/transformed',
      'customer_features/consumption',
    ]);
  });
});
