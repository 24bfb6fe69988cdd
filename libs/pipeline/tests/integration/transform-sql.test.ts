import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { getDataset } from '@cur/contracts';
import { createMaskingPolicy } from '@cur/policy';
import { DUCKDB_DIALECT, buildTransformSql } from '../../src/index';

let engine: DuckDbSqlEngine;
beforeAll(async () => (engine = await DuckDbSqlEngine.open({ threads: 1 })));
afterAll(() => engine.close());

const COLUMNS = ['source_row', 'business_date', 'cust_id', 'cust_name', 'birth_date', 'gender', 'mobile', 'email', 'address', 'branch_code', 'open_date', 'risk_level', 'occupation_code'];

/** A masked customer_profile row as raw holds it: tokens, generalisations, public columns as sent. */
function row(sourceRow: number, custId: string, overrides: Record<string, string | null> = {}): (string | null)[] {
  const base: Record<string, string | null> = {
    source_row: String(sourceRow),
    business_date: '2026-11-25',
    cust_id: custId,
    cust_name: 'v1.name',
    birth_date: '1980',
    gender: 'M',
    mobile: '0912345678',
    email: 'v1.mail',
    address: '臺北市中正區',
    branch_code: '012',
    open_date: '1100315',
    risk_level: '3',
    occupation_code: 'A01',
    ...overrides,
  };
  return COLUMNS.map((column) => base[column] ?? null);
}

async function transform(rows: (string | null)[][]) {
  await engine.loadRows('raw_rows', COLUMNS, (async function* () {
    yield rows;
  })());
  await engine.execute('CREATE OR REPLACE VIEW raw_customer_profile AS SELECT * REPLACE (CAST(source_row AS BIGINT) AS source_row) FROM raw_rows');
  const sql = buildTransformSql(getDataset('customer_profile'), createMaskingPolicy(), DUCKDB_DIALECT);
  await engine.execute(`CREATE OR REPLACE TABLE checked AS ${sql.checked}`);
  await engine.execute(`CREATE OR REPLACE TABLE duplicates AS ${sql.duplicates('checked')}`);
  await engine.update(sql.markDuplicates('checked', 'duplicates'));
  const accepted = await engine.query(`SELECT CAST(row_number() OVER () AS INTEGER) AS i, * FROM (${sql.accepted('checked')})`);
  const rejects = await engine.query(`SELECT CAST(row_number AS INTEGER) AS row_number, reason_code, column_name FROM (${sql.rejects('checked', 'b')})`);
  return { accepted, rejects };
}

describe('the transform SQL', () => {
  it('keeps the first passing row of a key, rejects later copies as DUPLICATE and a row with a problem for its problem', async () => {
    const { accepted, rejects } = await transform([
      row(1, 'A123456789'),
      row(2, 'A123456789'),
      row(3, 'B223456789', { birth_date: '(unreadable)' }),
      row(4, 'B223456789'),
      row(5, 'C123456789', { gender: 'X' }),
    ]);
    expect(accepted.map((r) => r['cust_id'])).toEqual(['A123456789', 'B223456789']);
    expect(rejects).toEqual([
      { row_number: 2, reason_code: 'DUPLICATE', column_name: null },
      { row_number: 3, reason_code: 'INVALID_DATE', column_name: 'birth_date' },
      { row_number: 5, reason_code: 'INVALID_VALUE', column_name: 'gender' },
    ]);
  });

  it('turns full-width codes half-width, null sentinels into nulls, ROC dates into ISO dates, and spares ASCII', async () => {
    const { accepted, rejects } = await transform([
      row(1, 'A123456789', { branch_code: '０１２', gender: 'ｆ', open_date: '０９９０１０２', occupation_code: 'N/A', risk_level: ' 4 ' }),
      row(2, 'B223456789', { occupation_code: '-', open_date: '991231' }),
      // Padded on one side only, a full-width space, and a quoted empty cell in a masked column.
      row(3, 'C123456789', { occupation_code: 'B02 ', branch_code: '　０１３', risk_level: ' 2', mobile: '' }),
    ]);
    expect(rejects).toEqual([]);
    expect(accepted.map((r) => [r['branch_code'], r['gender'], String(r['open_date']), r['occupation_code'], r['risk_level'], r['mobile']])).toEqual([
      ['012', 'F', '2010-01-02', null, 4, '0912345678'],
      ['012', 'M', '2010-12-31', null, 3, '0912345678'],
      ['013', 'M', '2021-03-15', 'B02', 2, null],
    ]);
  });

  it('keeps raw order among accepted rows without sorting, and marks every later copy of a key', async () => {
    const { accepted, rejects } = await transform([row(1, 'C123456789'), row(2, 'A123456789'), row(3, 'C123456789'), row(4, 'B223456789'), row(5, 'C123456789')]);
    expect(accepted.map((r) => r['cust_id'])).toEqual(['C123456789', 'A123456789', 'B223456789']);
    expect(rejects.map((r) => [r['row_number'], r['reason_code']])).toEqual([[3, 'DUPLICATE'], [5, 'DUPLICATE']]);
    const sql = buildTransformSql(getDataset('customer_profile'), createMaskingPolicy(), DUCKDB_DIALECT);
    expect(sql.accepted('checked')).not.toMatch(/ORDER BY|JOIN|EXISTS/);
  });
});
