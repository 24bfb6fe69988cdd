import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQuerySandbox, DuckDbSqlEngine } from '../../src/index';

describe('DuckDbQuerySandbox', () => {
  let dir: string;
  let sandbox: DuckDbQuerySandbox;

  beforeAll(async () => {
    // Prepare: a published file with a column the view leaves out, a file no view names, and a secret beside them.
    dir = await mkdtemp(join(tmpdir(), 'cur-sandbox-'));
    const engine = await DuckDbSqlEngine.open();
    await engine.writeParquet("SELECT 'tok-1' AS cust_id, 'A' AS segment, 'sealed-ip' AS ip_address", join(dir, 'tags.parquet'));
    await engine.writeParquet("SELECT 'other' AS x", join(dir, 'unpublished.parquet'));
    await engine.close();
    await writeFile(join(dir, 'master.key'), 'not for you');
    sandbox = await DuckDbQuerySandbox.open({ views: [{ schema: 'consumption', name: 'customer_tags', columns: ['cust_id', 'segment'], files: [join(dir, 'tags.parquet')] }] });
  });
  afterAll(() => sandbox.close());

  it('answers a query over the offered views, and the ways of listing them', async () => {
    expect(await sandbox.query('SELECT segment, count(*) AS n FROM consumption.customer_tags GROUP BY 1')).toEqual([{ segment: 'A', n: '1' }]);
    expect(await sandbox.query('WITH t AS (FROM consumption.customer_tags) SELECT cust_id FROM t')).toEqual([{ cust_id: 'tok-1' }]);
    expect((await sandbox.query('SHOW ALL TABLES')).map((row) => row['name'])).toEqual(['customer_tags']);
    expect((await sandbox.query('DESCRIBE consumption.customer_tags')).map((row) => row['column_name'])).toEqual(['cust_id', 'segment']);
    expect(await sandbox.query('SELECT count(*) AS n FROM range(3)')).toEqual([{ n: '3' }]);
  });

  const refused: [string, string][] = [
    ['two statements', "SELECT 1; COPY (SELECT 1) TO 'OUT/x.csv'"],
    ['COPY', "COPY (SELECT * FROM consumption.customer_tags) TO 'OUT/copy.csv'"],
    ['ATTACH', "ATTACH 'OUT/x.db'"],
    ['SET', 'SET enable_external_access = true'],
    ['PRAGMA', 'PRAGMA version'],
    ['CREATE', "CREATE TABLE t AS SELECT 1"],
    ['read_blob of a key', "SELECT * FROM read_blob('DIR/master.key')"],
    ['read_csv', "SELECT * FROM read_csv('DIR/master.key')"],
    ['read_text', "SELECT * FROM read_text('DIR/master.key')"],
    ['glob', "SELECT * FROM glob('DIR/*')"],
    ['read_parquet of a published file, around the column list', "SELECT ip_address FROM read_parquet('DIR/tags.parquet')"],
    ['a file path as a table', "SELECT * FROM 'DIR/tags.parquet'"],
    ['a file path in DESCRIBE', "DESCRIBE 'DIR/tags.parquet'"],
    ['a table function inside a subquery', "SELECT * FROM consumption.customer_tags WHERE cust_id IN (SELECT file FROM glob('DIR/*'))"],
    ['the settings', 'SELECT * FROM duckdb_settings()'],
    ['query_table', "SELECT * FROM query_table('consumption.customer_tags')"],
    ['INSTALL', 'INSTALL httpfs'],
  ];
  it.each(refused)('refuses %s with QUERY_REFUSED and writes nothing', async (_what, template) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const sql = template.replaceAll('DIR', dir).replaceAll('OUT', out);
    await expect(sandbox.query(sql)).rejects.toMatchObject({ code: 'QUERY_REFUSED' });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}/x.csv`)).toBe(false);
  });

  it('has its database locked down too, should a query ever pass the statement and tree checks', async () => {
    const [settings] = await sandbox.query(
      "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked, current_setting('allowed_paths') AS paths",
    );
    expect(settings).toEqual({ external: false, locked: true, paths: [join(dir, 'tags.parquet')] });
  });

  it('says where a syntax error is', async () => {
    await expect(sandbox.query('SELECT 1 FROM range(3) WHER x')).rejects.toMatchObject({ code: 'QUERY_FAILED', message: expect.stringContaining('(line 1, column 29)') });
  });

  it('says which column does not exist without quoting data', async () => {
    await expect(sandbox.query('SELECT ip_address FROM consumption.customer_tags')).rejects.toMatchObject({ code: 'QUERY_FAILED', message: expect.stringContaining('ip_address') });
  });
});
