import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { getDataset } from '@cur/contracts';
import { createMaskingPolicy } from '@cur/policy';
import { checkKAnonymity } from '../../src/index';

let engine: DuckDbSqlEngine;
beforeAll(async () => (engine = await DuckDbSqlEngine.open({ threads: 1 })));
afterAll(() => engine.close());

const COLUMNS = ['cust_id', 'age_band', 'gender', 'branch_code', 'tenure_months', 'aum_total'];

/** customer_features rows: the token, the four quasi-identifiers, one sensitive attribute. */
async function features(rows: (string | null)[][]): Promise<void> {
  await engine.loadRows('features_rows', COLUMNS, (async function* () {
    yield rows;
  })());
  await engine.execute('CREATE OR REPLACE VIEW privacy_target AS SELECT * FROM features_rows');
}

const target = { dataset: getDataset('customer_features'), zone: 'consumption' as const, businessDate: '2026-11-25', view: 'privacy_target' };
const customer = (token: string, branch: string, tenure = '12'): string[] => [token, '25-34', 'F', branch, tenure, '1234567.89'];

describe('checkKAnonymity', () => {
  it('finds the smallest class and the customers in classes below the threshold, with counts only', async () => {
    // Prepare: five customers share branch 001; the only customer of branch 002 is alone in their class.
    await features([...['T1', 'T2', 'T3', 'T4', 'T5'].map((token) => customer(token, '001')), customer('T6', '002')]);

    // Act
    const [result, ...others] = await checkKAnonymity(engine, createMaskingPolicy(), target, { threshold: 5 });

    // Assess
    expect(others).toEqual([]);
    expect(result).toEqual({
      dataset: 'customer_features',
      zone: 'consumption',
      businessDate: '2026-11-25',
      roles: ['DE', 'DA', 'DS', 'DM', 'AP'],
      quasiIdentifiers: ['age_band', 'gender', 'branch_code', 'tenure_months'],
      threshold: 5,
      records: 6,
      classes: 2,
      k: 1,
      recordsBelowThreshold: 1,
      classesBelowThreshold: 1,
      passed: false,
    });
    expect(JSON.stringify(result)).not.toMatch(/T\d|00[12]|1234567|25-34/);
  });

  it('counts a customer repeated in a class once, and passes when every class reaches the threshold', async () => {
    // Prepare: two classes of two customers; one customer appears twice.
    await features([customer('T1', '001'), customer('T1', '001'), customer('T2', '001'), customer('T3', '002', '13'), customer('T4', '002', '13')]);

    // Act
    const [strict] = await checkKAnonymity(engine, createMaskingPolicy(), target, { threshold: 3 });
    const [loose] = await checkKAnonymity(engine, createMaskingPolicy(), target, { threshold: 2 });

    // Assess
    expect(strict).toMatchObject({ records: 4, classes: 2, k: 2, recordsBelowThreshold: 4, passed: false });
    expect(loose).toMatchObject({ k: 2, recordsBelowThreshold: 0, classesBelowThreshold: 0, passed: true });
  });

  it('counts every customer without a key as a person of their own', async () => {
    await features([[null, '25-34', 'F', '001', '12', '1'], [null, '25-34', 'F', '001', '12', '1'], customer('T1', '001')]);
    const [result] = await checkKAnonymity(engine, createMaskingPolicy(), target, { threshold: 3 });
    expect(result).toMatchObject({ records: 3, classes: 1, k: 3, passed: true });
  });

  it('passes an empty partition: there is no one to single out', async () => {
    await features([]);
    const [result] = await checkKAnonymity(engine, createMaskingPolicy(), target);
    expect(result).toMatchObject({ records: 0, classes: 0, k: null, threshold: 5, passed: true });
  });

  it('measures only the roles asked for', async () => {
    await features([customer('T1', '001')]);
    const results = await checkKAnonymity(engine, createMaskingPolicy(), target, { roles: ['AP'] });
    expect(results.map((result) => result.roles)).toEqual([['AP']]);
  });
});
