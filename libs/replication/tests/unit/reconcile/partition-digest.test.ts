import { describe, expect, it } from 'vitest';
import { canonicalValue, digestRows, replicaTable } from '../../../src/index';

const tags = replicaTable('customer_tags');
const features = replicaTable('customer_features');

describe('canonicalValue', () => {
  it('writes a decimal with its scale whatever form a store gives it', () => {
    const spec = { type: 'decimal(18,2)' } as const;
    for (const value of [12.3, '12.3', '12.30', '012.300', 12.3]) expect(canonicalValue(spec, value)).toBe('12.30');
    expect(canonicalValue(spec, 0)).toBe('0.00');
    expect(canonicalValue(spec, '-0')).toBe('0.00');
    expect(canonicalValue(spec, '-.5')).toBe('-0.50');
    expect(canonicalValue(spec, '12.301')).toBe('12.301');
  });

  it('writes integers from numbers, bigints and text alike', () => {
    for (const value of [41, 41n, '41']) expect(canonicalValue({ type: 'bigint' }, value)).toBe('41');
  });

  it('keeps doubles to the bit and dates to the day', () => {
    expect(canonicalValue({ type: 'double' }, 1 / 3)).toBe('0.3333333333333333');
    expect(canonicalValue({ type: 'double' }, -0)).toBe('0');
    expect(canonicalValue({ type: 'date' }, new Date('2026-11-25T00:00:00Z'))).toBe('2026-11-25');
    expect(canonicalValue({ type: 'date' }, '2026-11-25')).toBe('2026-11-25');
  });

  it('tells null from every text', () => {
    expect(canonicalValue({ type: 'string' }, null)).toBeNull();
    expect(canonicalValue({ type: 'string' }, 'null')).toBe('null');
  });
});

describe('digestRows', () => {
  const rows = [
    { cust_id: 'A123456789', tag: 'high_value' },
    { cust_id: 'A123456789', tag: 'digital_native' },
    { cust_id: 'B223456789', tag: '旅遊達人' },
  ];

  it('does not depend on row order', async () => {
    expect(await digestRows(tags, [...rows].reverse())).toEqual(await digestRows(tags, rows));
  });

  it('sees a changed value, a missing row and a repeated row', async () => {
    const base = await digestRows(tags, rows);
    expect((await digestRows(tags, [...rows.slice(0, 2), { cust_id: 'B223456789', tag: '旅遊達人 ' }])).sha256Sum).not.toBe(base.sha256Sum);
    expect(await digestRows(tags, rows.slice(1))).not.toEqual(base);
    const repeated = await digestRows(tags, [...rows, rows[0] as (typeof rows)[number]]);
    expect(repeated.rows).toBe(4);
    expect(repeated.sha256Sum).not.toBe(base.sha256Sum);
  });

  it('hashes the contract columns only, in the contract order, however a store keys and types them', async () => {
    const lake = { cust_id: 'A1', age_band: '25-34', gender: 'F', branch_code: '001', risk_level: 2, tenure_months: 14, aum_total: 1200.5, aum_deposit: 1000, aum_investment: 200.5, loan_balance: 0, card_spend_1m: 10, card_spend_3m: 20, card_spend_6m: 30, card_txn_count_1m: 1, top_mcc_1m: null, digital_events_30d: 3, digital_logins_30d: 1, app_share: 0.5, segment: 'MASS', business_date: new Date('2026-11-25') };
    const oracle = { ...lake, risk_level: '2', tenure_months: '14', aum_total: '1200.5', aum_deposit: '1000', aum_investment: '200.5', loan_balance: '0', card_spend_1m: '10', card_spend_3m: '20', card_spend_6m: '30', card_txn_count_1m: '1', digital_events_30d: '3', digital_logins_30d: '1', business_date: undefined };
    expect(await digestRows(features, [oracle])).toEqual(await digestRows(features, [lake]));
  });
});
