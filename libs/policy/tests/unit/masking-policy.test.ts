import { describe, expect, it } from 'vitest';
import { DATASETS, HUMAN_ROLES, ROLES } from '@cur/contracts';
import { createMaskingPolicy, parsePolicyOverrides, type Treatment } from '../../src/index';

const policy = createMaskingPolicy();

/** The expected human treatment of every column, written out by hand (not derived from the code under test). */
const EXPECTED_HUMAN: Record<string, Record<string, Treatment['method'] | `ff1:${string}` | `generalize:${string}`>> = {
  customer_profile: {
    cust_id: 'ff1:national_id', cust_name: 'daead', birth_date: 'generalize:birth_year', gender: 'plaintext', mobile: 'ff1:mobile',
    email: 'daead', address: 'generalize:city_district', branch_code: 'plaintext', open_date: 'generalize:year_month', risk_level: 'plaintext', occupation_code: 'plaintext',
  },
  account_balance: {
    acct_no: 'ff1:digits', cust_id: 'ff1:national_id', product_type: 'plaintext', currency: 'plaintext', balance: 'plaintext', as_of_date: 'plaintext', branch_code: 'plaintext',
  },
  card_transaction: {
    txn_id: 'plaintext', card_no: 'ff1:digits', cust_id: 'ff1:national_id', txn_time: 'plaintext', merchant_category: 'plaintext', merchant_name: 'plaintext',
    amount: 'plaintext', currency: 'plaintext', channel: 'plaintext',
  },
  digital_activity: {
    event_id: 'plaintext', cust_id: 'ff1:national_id', event_time: 'plaintext', channel: 'plaintext', event_type: 'plaintext', device_id: 'daead',
    ip_address: 'drop', session_seconds: 'plaintext',
  },
};

const describeTreatment = (treatment: Treatment): string =>
  treatment.method === 'ff1' ? `ff1:${treatment.params.format}` : treatment.method === 'generalize' ? `generalize:${treatment.params.generaliser}` : treatment.method;

const matrix = ROLES.flatMap((role) =>
  Object.values(DATASETS).flatMap((dataset) => dataset.columns.map((column) => [role, dataset.name, column.name] as const)),
);

describe('createMaskingPolicy: every role x every column of every dataset', () => {
  it('has an expectation for every declared column', () => {
    for (const dataset of Object.values(DATASETS)) {
      expect(Object.keys(EXPECTED_HUMAN[dataset.name] ?? {})).toEqual(dataset.columns.map((column) => column.name));
    }
  });

  it.each(matrix)('%s on %s.%s', (role, dataset, column) => {
    const treatment = policy.treatmentFor(role, dataset, column);
    if (role === 'SYSTEM') expect(treatment.method).toBe('plaintext');
    else expect(describeTreatment(treatment)).toBe(EXPECTED_HUMAN[dataset]?.[column]);
  });

  it('never gives a human role plaintext of a quasi, direct or secret column', () => {
    for (const role of HUMAN_ROLES) {
      for (const dataset of Object.values(DATASETS)) {
        for (const column of dataset.columns.filter((c) => c.classification !== 'public')) {
          expect(policy.treatmentFor(role, dataset.name, column.name).method, `${role} ${dataset.name}.${column.name}`).not.toBe('plaintext');
        }
      }
    }
  });
});

describe('denial', () => {
  it.each([
    ['an unknown role', 'ADMIN', 'customer_profile', 'cust_id', /unknown role 'ADMIN'/],
    ['a lower-case role', 'de', 'customer_profile', 'cust_id', /unknown role/],
    ['an unknown dataset', 'DE', 'customers', 'cust_id', /unknown dataset 'customers'/],
    ['an unclassified column', 'SYSTEM', 'customer_profile', 'salary', /unknown column 'customer_profile.salary'/],
  ])('refuses %s rather than show plaintext', (_label, role, dataset, column, message) => {
    expect(() => policy.treatmentFor(role, dataset, column)).toThrow(message);
    try {
      policy.treatmentFor(role, dataset, column);
    } catch (error) {
      expect(error).toMatchObject({ code: 'POLICY_DENIED' });
    }
  });
});

describe('viewOf', () => {
  it.each(HUMAN_ROLES)('gives %s the month of open_date, never the full date (with birth year, gender, district and branch it singled customers out)', (role) => {
    const openDate = policy.viewOf(role, 'customer_profile').find((entry) => entry.column.name === 'open_date');
    expect(openDate?.treatment).toEqual({ method: 'generalize', params: { generaliser: 'year_month' } });
    expect(policy.storageTreatmentFor('customer_profile', 'open_date')).toEqual({ method: 'generalize', params: { generaliser: 'year_month' } });
  });

  it('leaves dropped columns out of a human view and keeps them for SYSTEM', () => {
    expect(policy.viewOf('DS', 'digital_activity').map((entry) => entry.column.name)).not.toContain('ip_address');
    expect(policy.viewOf('SYSTEM', 'digital_activity').map((entry) => entry.column.name)).toContain('ip_address');
  });
});

describe('keyGroupFor', () => {
  it('shares one key group for the same identifier across datasets, so joins survive masking', () => {
    expect(policy.keyGroupFor('customer_profile', 'cust_id')).toBe('national_id');
    expect(policy.keyGroupFor('card_transaction', 'cust_id')).toBe('national_id');
    expect(policy.keyGroupFor('card_transaction', 'card_no')).toBe('card_number');
  });
});

describe('overrides', () => {
  it('change a human treatment, e.g. keep the last four digits of a card number', () => {
    const overridden = createMaskingPolicy(
      parsePolicyOverrides([{ dataset: 'card_transaction', columns: { card_no: { method: 'partial', params: { keepLast: 4 } } } }]),
    );
    expect(overridden.treatmentFor('AP', 'card_transaction', 'card_no')).toEqual({ method: 'partial', params: { keepLast: 4, maskChar: '*' } });
    expect(overridden.treatmentFor('SYSTEM', 'card_transaction', 'card_no').method).toBe('plaintext');
    expect(overridden.treatmentFor('AP', 'customer_profile', 'cust_id').method).toBe('ff1');
  });

  it('choose the bank plug-in per column', () => {
    const overridden = createMaskingPolicy(
      parsePolicyOverrides([{ dataset: 'customer_profile', columns: { cust_name: { method: 'plugin', params: { plugin: 'bank-cipher' } } } }]),
    );
    expect(overridden.treatmentFor('DE', 'customer_profile', 'cust_name')).toEqual({ method: 'plugin', params: { plugin: 'bank-cipher' } });
  });

  it.each([
    ['plaintext of a direct column', { dataset: 'customer_profile', columns: { cust_id: { method: 'plaintext', params: {} } } }, /plaintext to human roles/],
    ['revealing a secret column', { dataset: 'digital_activity', columns: { ip_address: { method: 'hmac', params: {} } } }, /only be dropped or redacted/],
    ['an unknown column', { dataset: 'customer_profile', columns: { salary: { method: 'drop', params: {} } } }, /unknown column/],
    ['an unknown dataset', { dataset: 'loans', columns: {} }, /unknown dataset/],
    ['an unknown method', { dataset: 'customer_profile', columns: { cust_id: { method: 'rot13', params: {} } } }, /malformed/],
  ])('refuse %s', (_label, file, message) => {
    expect(() => parsePolicyOverrides([file])).toThrow(message);
  });
});

describe('storageTreatmentFor', () => {
  it('stores what humans see, but seals secret columns so SYSTEM can recover them', () => {
    expect(policy.storageTreatmentFor('digital_activity', 'ip_address')).toEqual({ method: 'daead', params: {} });
    expect(policy.storageTreatmentFor('customer_profile', 'cust_id')).toEqual({ method: 'ff1', params: { format: 'national_id' } });
    expect(policy.storageTreatmentFor('customer_profile', 'birth_date')).toEqual({ method: 'generalize', params: { generaliser: 'birth_year' } });
    expect(policy.storageTreatmentFor('customer_profile', 'gender').method).toBe('plaintext');
  });

  it('never stores a sensitive column in plaintext', () => {
    for (const dataset of Object.values(DATASETS)) {
      for (const column of dataset.columns.filter((c) => c.classification !== 'public')) {
        expect(policy.storageTreatmentFor(dataset.name, column.name).method, `${dataset.name}.${column.name}`).not.toBe('plaintext');
      }
    }
  });
});
