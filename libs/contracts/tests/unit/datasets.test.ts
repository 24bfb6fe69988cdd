import { describe, expect, it } from 'vitest';
import {
  DATASETS,
  DATASET_NAMES,
  DatasetSpecSchema,
  SENSITIVE_COLUMN_NAMES,
  defineDataset,
  getColumn,
  getDataset,
  sensitiveColumns,
} from '../../src/index';

describe('datasets', () => {
  it('declares the four source datasets of the landing contract', () => {
    expect(DATASET_NAMES).toEqual(['customer_profile', 'account_balance', 'card_transaction', 'digital_activity']);
  });

  it('declares customer_profile exactly as the landing contract orders it', () => {
    expect(DATASETS.customer_profile.columns.map((column) => column.name)).toEqual([
      'cust_id', 'cust_name', 'birth_date', 'gender', 'mobile', 'email', 'address', 'branch_code', 'open_date', 'risk_level', 'occupation_code',
    ]);
    expect(DATASETS.customer_profile.columns.filter((c) => c.classification === 'direct').map((c) => c.name)).toEqual(['cust_id', 'cust_name', 'mobile', 'email']);
    expect(DATASETS.customer_profile.columns.filter((c) => c.classification === 'quasi').map((c) => c.name)).toEqual(['birth_date', 'address', 'open_date']);
  });

  it('classifies open_date quasi, generalised to its month: with birth year, gender, district and branch the full date singles a customer out', () => {
    expect(getColumn('customer_profile', 'open_date')).toMatchObject({ classification: 'quasi', generaliser: 'year_month' });
  });

  it('declares the quasi-identifier sets the k-anonymity check groups by', () => {
    expect(getDataset('customer_profile').quasiIdentifiers).toEqual(['birth_date', 'gender', 'address', 'branch_code', 'open_date']);
    expect(getDataset('customer_features').quasiIdentifiers).toEqual(['age_band', 'gender', 'branch_code', 'tenure_months']);
    expect(getDataset('card_transaction').quasiIdentifiers).toEqual([]);
  });

  it.each(DATASET_NAMES)('%s re-validates against the dataset schema', (name) => {
    expect(DatasetSpecSchema.safeParse(DATASETS[name]).success).toBe(true);
  });

  it('classifies every identifier in every dataset as direct', () => {
    const identifierNames = ['cust_id', 'acct_no', 'card_no', 'mobile', 'email', 'cust_name', 'device_id'];
    for (const dataset of Object.values(DATASETS)) {
      for (const column of dataset.columns.filter((c) => identifierNames.includes(c.name))) {
        expect(column.classification, `${dataset.name}.${column.name}`).toBe('direct');
      }
    }
  });

  it('references only datasets and columns that exist', () => {
    for (const dataset of Object.values(DATASETS)) {
      for (const reference of dataset.references) {
        expect(() => getColumn(reference.dataset, reference.targetColumn)).not.toThrow();
      }
    }
  });

  it('collects sensitive column names across datasets', () => {
    expect([...SENSITIVE_COLUMN_NAMES].sort()).toEqual(
      ['acct_no', 'address', 'birth_date', 'card_no', 'cust_id', 'cust_name', 'device_id', 'email', 'ip_address', 'mobile', 'open_date'].sort(),
    );
    expect(sensitiveColumns(getDataset('digital_activity')).map((c) => c.name)).toEqual(['cust_id', 'device_id', 'ip_address']);
  });

  it('is frozen so no caller can alter a declaration', () => {
    expect(Object.isFrozen(DATASETS.customer_profile.columns[0])).toBe(true);
  });

  it('names the known datasets when asked for an unknown one', () => {
    expect(() => getDataset('customers')).toThrow(/unknown dataset 'customers'.*customer_profile/);
    expect(() => getColumn('customer_profile', 'name')).toThrow(/no column 'name'.*cust_name/);
  });
});

describe('defineDataset', () => {
  const base = {
    name: 'branch',
    description: 'branches',
    owner: 'de',
    schemaVersion: 1,
    zones: ['raw'] as ['raw'],
    primaryKey: ['branch_code'] as [string],
    partitionColumns: [],
  };

  it('rejects a quasi column without a generaliser', () => {
    expect(() =>
      defineDataset({ ...base, columns: [{ name: 'branch_code', type: 'string', nullable: false, classification: 'quasi', description: 'x' }] }),
    ).toThrow(/generaliser/);
  });

  it('rejects a direct column without a semantic kind', () => {
    expect(() =>
      defineDataset({ ...base, columns: [{ name: 'branch_code', type: 'string', nullable: false, classification: 'direct', description: 'x' }] }),
    ).toThrow(/semantic/);
  });

  it('rejects a primary key that is not a column, and duplicate columns', () => {
    expect(() =>
      defineDataset({ ...base, primaryKey: ['nope'], columns: [{ name: 'branch_code', type: 'string', nullable: false, classification: 'public', description: 'x' }] }),
    ).toThrow(/primary key 'nope'/);
    const column = { name: 'branch_code', type: 'string', nullable: false, classification: 'public', description: 'x' } as const;
    expect(() => defineDataset({ ...base, columns: [column, column] })).toThrow(/duplicate column/);
  });

  it('rejects a quasi column left out of the quasi-identifiers, an unknown one, and a direct identifier among them', () => {
    const quasi = { name: 'open_date', type: 'date', nullable: false, classification: 'quasi', generaliser: 'year_month', description: 'x' } as const;
    const key = { name: 'branch_code', type: 'string', nullable: false, classification: 'public', description: 'x' } as const;
    const token = { name: 'cust_id', type: 'string', nullable: false, classification: 'direct', semantic: 'national_id', description: 'x' } as const;
    expect(() => defineDataset({ ...base, columns: [key, quasi] })).toThrow(/quasi column 'open_date' must be in quasiIdentifiers/);
    expect(() => defineDataset({ ...base, columns: [key, quasi], quasiIdentifiers: ['open_date', 'nope'] })).toThrow(/quasi-identifier 'nope' is not a column/);
    expect(() => defineDataset({ ...base, columns: [key, quasi, token], quasiIdentifiers: ['open_date', 'cust_id'] })).toThrow(/'cust_id' is direct/);
    expect(defineDataset({ ...base, columns: [key, quasi], quasiIdentifiers: ['branch_code', 'open_date'] }).quasiIdentifiers).toEqual(['branch_code', 'open_date']);
  });

  it('accepts decimal types with precision and scale and rejects malformed ones', () => {
    const ok = defineDataset({ ...base, columns: [{ name: 'branch_code', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'x' }] });
    expect(ok.columns[0]?.type).toBe('decimal(18,2)');
    expect(() =>
      defineDataset({ ...base, columns: [{ name: 'branch_code', type: 'decimal' as 'string', nullable: false, classification: 'public', description: 'x' }] }),
    ).toThrow();
  });
});

describe('derived datasets', () => {
  it('are declared beside the sources and found by name, but are not landing datasets', async () => {
    const { ALL_DATASET_NAMES, isSourceDatasetName, getDataset: find } = await import('../../src/index');
    expect(ALL_DATASET_NAMES).toEqual(expect.arrayContaining(['customer_features', 'customer_tags', 'tag_metrics_monthly', 'segment_metrics_monthly', 'transform_rejects']));
    expect(find('customer_features').zones).toEqual(['consumption']);
    expect(isSourceDatasetName('customer_features')).toBe(false);
    expect(isSourceDatasetName('customer_profile')).toBe(true);
  });

  it('classify the customer token like the source identifier it comes from', async () => {
    const { getColumn: column } = await import('../../src/index');
    expect(column('customer_features', 'cust_id')).toMatchObject({ classification: 'direct', semantic: 'national_id' });
  });
});
