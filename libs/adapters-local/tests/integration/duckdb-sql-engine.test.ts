import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '../../src/index';

let engine: DuckDbSqlEngine;
beforeAll(async () => (engine = await DuckDbSqlEngine.open({ threads: 1 })));
afterAll(() => engine.close());

async function* chunks(rows: (string | null)[][]): AsyncGenerator<(string | null)[][]> {
  yield rows.slice(0, 1);
  yield rows.slice(1);
}

describe('DuckDbSqlEngine', () => {
  it('loads rows as VARCHAR, writes Parquet and reads it back as a view', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cur-duck-'));
    expect(await engine.loadRows('staged', ['cust_id', 'cust_name'], chunks([['A1', '王小明'], ['B2', null], ['C3', "O'Neil"]]))).toBe(3);
    const file = join(dir, 'part.parquet');
    expect(await engine.writeParquet('SELECT * FROM staged ORDER BY cust_id', file)).toBe(3);
    await engine.registerParquetView('raw_view', [file]);
    expect(await engine.query('SELECT cust_name FROM raw_view ORDER BY cust_id')).toEqual([{ cust_name: '王小明' }, { cust_name: null }, { cust_name: "O'Neil" }]);
  });

  it('gives an empty view with named columns when there are no files', async () => {
    await engine.registerParquetView('nothing', [], ['cust_id']);
    const [row] = await engine.query('SELECT count(*) AS n FROM nothing');
    expect(Number(row?.['n'])).toBe(0);
  });

  it('never repeats the data in its error messages', async () => {
    await engine.loadRows('bad', ['v'], chunks([['A123456789'], ['x']]));
    await expect(engine.query('SELECT CAST(v AS INTEGER) FROM bad')).rejects.toThrow(/^DuckDB could not run a query \(Conversion Error\)$/);
  });
});
