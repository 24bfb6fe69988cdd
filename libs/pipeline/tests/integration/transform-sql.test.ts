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
    open_date: '2021-03',
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
  await engine.execute(`CREATE OR REPLACE VIEW marked AS ${sql.marked('checked', 'duplicates')}`);
  const accepted = await engine.query(`SELECT CAST(row_number() OVER () AS INTEGER) AS i, * FROM (${sql.accepted('marked')})`);
  const rejects = await engine.query(`SELECT CAST(row_number AS INTEGER) AS row_number, reason_code, column_name FROM (${sql.rejects('marked', 'b')})`);
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

  it('turns full-width codes half-width, null sentinels into nulls, and spares ASCII and generalised months', async () => {
    const { accepted, rejects } = await transform([
      row(1, 'A123456789', { branch_code: '０１２', gender: 'ｆ', open_date: '2010-01', occupation_code: 'N/A', risk_level: ' 4 ' }),
      row(2, 'B223456789', { occupation_code: '-', open_date: '2010-12' }),
      // Padded on one side only, a full-width space, and a quoted empty cell in a masked column.
      row(3, 'C123456789', { occupation_code: 'B02 ', branch_code: '　０１３', risk_level: ' 2', mobile: '' }),
    ]);
    expect(rejects).toEqual([]);
    expect(accepted.map((r) => [r['branch_code'], r['gender'], String(r['open_date']), r['occupation_code'], r['risk_level'], r['mobile']])).toEqual([
      ['012', 'F', '2010-01', null, 4, '0912345678'],
      ['012', 'M', '2010-12', null, 3, '0912345678'],
      ['013', 'M', '2021-03', 'B02', 2, null],
    ]);
  });

  it('rejects an open month the mask step could not read as INVALID_DATE, like a birth year', async () => {
    const { rejects } = await transform([row(1, 'A123456789', { open_date: '(unreadable)' })]);
    expect(rejects).toEqual([{ row_number: 1, reason_code: 'INVALID_DATE', column_name: 'open_date' }]);
  });

  it('turns ROC dates of a public date column into ISO dates, full-width digits included', async () => {
    const columns = ['source_row', 'business_date', 'acct_no', 'cust_id', 'product_type', 'currency', 'balance', 'as_of_date', 'branch_code'];
    const balance = (sourceRow: number, acctNo: string, asOf: string): string[] => [String(sourceRow), '2026-11-25', acctNo, 'A123456789', 'SAVINGS', 'TWD', '100.00', asOf, '012'];
    await engine.loadRows('raw_balance_rows', columns, (async function* () {
      yield [balance(1, '12345678901234', '０９９０１０２'), balance(2, '12345678901235', '991231'), balance(3, '12345678901236', '1151125')];
    })());
    await engine.execute('CREATE OR REPLACE VIEW raw_account_balance AS SELECT * REPLACE (CAST(source_row AS BIGINT) AS source_row) FROM raw_balance_rows');
    const sql = buildTransformSql(getDataset('account_balance'), createMaskingPolicy(), DUCKDB_DIALECT);
    await engine.execute(`CREATE OR REPLACE TABLE checked_balance AS ${sql.checked}`);
    const accepted = await engine.query(`SELECT CAST(as_of_date AS VARCHAR) AS as_of_date FROM (${sql.accepted('checked_balance')})`);
    expect(accepted.map((r) => r['as_of_date'])).toEqual(['2010-01-02', '2010-12-31', '2026-11-25']);
  });

  it('writes accepted rows in source row order (the duplicates are marked by a join, which keeps no order), and marks every later copy of a key', async () => {
    const { accepted, rejects } = await transform([row(1, 'C123456789'), row(2, 'A123456789'), row(3, 'C123456789'), row(4, 'B223456789'), row(5, 'C123456789')]);
    expect(accepted.map((r) => r['cust_id'])).toEqual(['C123456789', 'A123456789', 'B223456789']);
    expect(rejects.map((r) => [r['row_number'], r['reason_code']])).toEqual([[3, 'DUPLICATE'], [5, 'DUPLICATE']]);
    const sql = buildTransformSql(getDataset('customer_profile'), createMaskingPolicy(), DUCKDB_DIALECT);
    expect(sql.accepted('marked')).toMatch(/ORDER BY source_row$/);
    expect(sql.marked('checked', 'duplicates')).toMatch(/LEFT JOIN duplicates d ON c.source_row = d.source_row$/);
  });
});

/**
 * The same rows transformed in parts, as the transform step does a batch the mask step wrote in parts: the key
 * candidates over every row, then each part (its rows, in row order) with the candidate rows of the parts before it.
 */
async function transformInParts(parts: (string | null)[][][]) {
  const sql = buildTransformSql(getDataset('customer_profile'), createMaskingPolicy(), DUCKDB_DIALECT);
  await engine.loadRows('raw_rows', COLUMNS, (async function* () {
    yield parts.flat();
  })());
  await engine.execute('CREATE OR REPLACE VIEW raw_customer_profile AS SELECT * REPLACE (CAST(source_row AS BIGINT) AS source_row) FROM raw_rows');
  await engine.execute(`CREATE OR REPLACE TABLE key_candidates AS ${sql.keyCandidates}`);
  await engine.execute('CREATE OR REPLACE TABLE earlier (source_row BIGINT, cust_id VARCHAR)');
  const accepted: Record<string, unknown>[] = [];
  const rejects: Record<string, unknown>[] = [];
  for (const [index, part] of parts.entries()) {
    await engine.loadRows('raw_rows', COLUMNS, (async function* () {
      yield part;
    })());
    await engine.execute(`CREATE OR REPLACE TABLE checked AS ${sql.checked}`);
    await engine.execute(`CREATE OR REPLACE TABLE candidates AS ${sql.candidateRows('checked', 'key_candidates')}`);
    await engine.execute(`CREATE OR REPLACE TABLE duplicates AS ${sql.partDuplicates('candidates', index === 0 ? undefined : 'earlier')}`);
    await engine.execute(`CREATE OR REPLACE VIEW marked AS ${sql.marked('checked', 'duplicates')}`);
    accepted.push(...(await engine.query(sql.accepted('marked'))));
    rejects.push(...(await engine.query(`SELECT CAST(row_number AS INTEGER) AS row_number, reason_code, column_name FROM (${sql.rejects('marked', 'b')})`)));
    await engine.execute('INSERT INTO earlier SELECT * FROM candidates');
  }
  return { accepted: accepted.map((r, i) => ({ i: i + 1, ...r })), rejects, candidates: await engine.query('SELECT count(*) AS n FROM key_candidates') };
}

describe('the transform SQL in parts', () => {
  it('gives the rows of the whole batch: the first passing row of a key wins across parts, a failing first row does not count', async () => {
    const parts = [
      [row(1, 'A123456789'), row(2, 'B223456789', { birth_date: '(unreadable)' }), row(3, 'C123456789'), row(4, 'C123456789')],
      [row(5, 'A123456789'), row(6, 'B223456789'), row(7, 'D123456789')],
      [row(8, 'B223456789'), row(9, 'A123456789', { gender: 'X' }), row(10, 'E123456789'), row(11, 'D123456789')],
    ];
    const whole = await transform(parts.flat());
    const inParts = await transformInParts(parts);
    expect(inParts.accepted).toEqual(whole.accepted);
    expect(inParts.rejects).toEqual(whole.rejects);
    expect(whole.accepted.map((r) => [r['cust_id'], r['i']])).toEqual([['A123456789', 1], ['C123456789', 2], ['B223456789', 3], ['D123456789', 4], ['E123456789', 5]]);
    expect(whole.rejects.map((r) => [r['row_number'], r['reason_code']])).toEqual([[2, 'INVALID_DATE'], [4, 'DUPLICATE'], [5, 'DUPLICATE'], [8, 'DUPLICATE'], [9, 'INVALID_VALUE'], [11, 'DUPLICATE']]);
    // Hashes of the keys more than one row has, failing rows' included (A, B, C, D).
    expect(inParts.candidates).toEqual([{ n: '4' }]);
  });
});

describe('the transform SQL: every reject reason, in each dataset that can give it', () => {
  /** A valid masked digital_activity row as raw holds it. */
  const activity = (sourceRow: number, overrides: Record<string, string | null> = {}): Record<string, string | null> => ({
    source_row: String(sourceRow),
    business_date: '2026-11-25',
    event_id: `E${sourceRow}`,
    cust_id: 'A123456789',
    event_time: '2026-11-25T10:00:00',
    channel: 'APP',
    event_type: 'LOGIN',
    device_id: 'v1.device',
    ip_address: 'v1.sealed',
    session_seconds: '120',
    ...overrides,
  });
  const profile = (sourceRow: number, overrides: Record<string, string | null> = {}): Record<string, string | null> =>
    Object.fromEntries(COLUMNS.map((column, i) => [column, row(sourceRow, `A12345678${sourceRow % 10}`, overrides)[i] ?? null]));

  async function rejectsOf(dataset: string, rows: Record<string, string | null>[]) {
    const columns = Object.keys(rows[0] ?? {});
    await engine.loadRows(`raw_rows_${dataset}`, columns, (async function* () {
      yield rows.map((r) => columns.map((column) => r[column] ?? null));
    })());
    await engine.execute(`CREATE OR REPLACE VIEW raw_${dataset} AS SELECT * REPLACE (CAST(source_row AS BIGINT) AS source_row) FROM raw_rows_${dataset}`);
    const sql = buildTransformSql(getDataset(dataset), createMaskingPolicy(), DUCKDB_DIALECT);
    await engine.execute(`CREATE OR REPLACE TABLE checked_${dataset} AS ${sql.checked}`);
    await engine.execute(`CREATE OR REPLACE TABLE duplicates_${dataset} AS ${sql.duplicates(`checked_${dataset}`)}`);
    await engine.execute(`CREATE OR REPLACE VIEW marked_${dataset} AS ${sql.marked(`checked_${dataset}`, `duplicates_${dataset}`)}`);
    return engine.query(`SELECT CAST(row_number AS INTEGER) AS row_number, reason_code, column_name FROM (${sql.rejects(`marked_${dataset}`, 'b')}) ORDER BY 1`);
  }

  const cases: [string, string, string, Record<string, string | null>][] = [
    ['customer_profile', 'INVALID_IDENTIFIER', 'cust_id', { cust_id: 'not-a-token' }],
    ['customer_profile', 'MISSING_VALUE', 'branch_code', { branch_code: null }],
    ['customer_profile', 'INVALID_NUMBER', 'risk_level', { risk_level: 'high' }],
    ['customer_profile', 'INVALID_NUMBER', 'risk_level', { risk_level: '9' }],
    ['customer_profile', 'INVALID_ADDRESS', 'address', { address: '(unreadable)' }],
    ['digital_activity', 'INVALID_IDENTIFIER', 'cust_id', { cust_id: 'Z000' }],
    ['digital_activity', 'MISSING_VALUE', 'event_time', { event_time: null }],
    ['digital_activity', 'INVALID_TIMESTAMP', 'event_time', { event_time: 'yesterday at noon' }],
    ['digital_activity', 'INVALID_NUMBER', 'session_seconds', { session_seconds: '999999' }],
  ];
  it.each(cases)('%s: %s in %s (%j)', async (dataset, reason, column, overrides) => {
    // A valid row first, so the case's row is the only one rejected and for exactly its problem.
    const make = dataset === 'customer_profile' ? profile : activity;
    const rejects = await rejectsOf(dataset, [make(1), make(2, overrides)]);
    expect(rejects).toEqual([{ row_number: 2, reason_code: reason, column_name: column }]);
  });
});
