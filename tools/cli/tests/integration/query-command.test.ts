import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

let env: Record<string, string>;
beforeAll(async () => {
  env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-query-')) };
  const demo = await runCli(['demo', '--customers', '300'], env);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);

const query = async (role: string, sql: string) => runCli(['--role', role, 'query', '--json', sql], env);

describe('cur query: each role sees what Lake Formation would show it', () => {
  it.each(['DE', 'DA', 'DS', 'DM', 'AP'])('%s sees tokens and generalisations, never a secret column', async (role) => {
    const profile = await query(role, 'SELECT cust_id, cust_name, birth_date, address FROM raw.customer_profile LIMIT 20');
    expect(profile.code, profile.stderr).toBe(0);
    // Raw keeps the generator's dirty rows too, so empty cells are allowed; plaintext never is.
    const rows = JSON.parse(profile.stdout) as Record<string, string | null>[];
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      expect(row['cust_id'] ?? 'v0.x').toMatch(/^[A-Z][1289]\d{8}$|^v\d+\./);
      expect(row['cust_name'] ?? 'v0.x').toMatch(/^v\d+\./);
      expect(row['birth_date'] ?? '0000').toMatch(/^\d{4}$|^\(unreadable\)$/);
      expect(row['address'] ?? '').not.toMatch(/號/);
    }
    const secret = await query(role, 'SELECT ip_address FROM raw.digital_activity LIMIT 1');
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain(`role ${role} cannot see`);
  });

  it('keeps the secret column (sealed) for SYSTEM', async () => {
    const system = await query('SYSTEM', 'SELECT ip_address FROM raw.digital_activity WHERE ip_address IS NOT NULL LIMIT 1');
    expect(system.code, system.stderr).toBe(0);
    expect((JSON.parse(system.stdout) as Record<string, string>[])[0]?.['ip_address']).toMatch(/^v\d+\./);
  });

  it('has no landing zone for anyone, and refuses statements that write', async () => {
    expect((await query('DE', 'SELECT * FROM landing.customer_profile')).code).toBe(1);
    const tables = JSON.parse((await query('DE', 'SHOW ALL TABLES')).stdout) as Record<string, string>[];
    expect(tables.map((t) => t['schema'])).not.toContain('landing');
    expect(tables.map((t) => `${t['schema']}.${t['name']}`)).toEqual(expect.arrayContaining(['consumption.customer_tags', 'mart.tag_metrics_monthly']));
    expect((await runCli(['query', 'DROP VIEW raw.customer_profile'], env)).code).toBe(1);
  });
});

describe('cur query is a sandbox', () => {
  const attempts: [string, (home: string) => string][] = [
    ['read_blob of the master key', (home) => `SELECT * FROM read_blob('${home}/keys/master.key')`],
    ['read_csv of an extract', (home) => `SELECT * FROM read_csv('${home}/extracts/*.csv')`],
    ['read_parquet of a published raw file', (home) => `SELECT * FROM read_parquet('${home}/lake/raw/digital_activity/*/*.parquet')`],
    ['glob of the state folder', (home) => `SELECT * FROM glob('${home}/**')`],
    ['COPY to a file', (home) => `COPY (SELECT * FROM consumption.customer_tags) TO '${home}/stolen.csv'`],
    ['ATTACH', (home) => `ATTACH '${home}/stolen.db'`],
    ['SET', () => 'SET enable_external_access = true'],
    ['two statements', (home) => `SELECT 1; COPY (SELECT 1) TO '${home}/stolen.csv'`],
    ['a _files view', () => 'SELECT * FROM raw_digital_activity_files'],
    ['a file path as a table', (home) => `SELECT * FROM '${home}/lake/raw/digital_activity/*/*.parquet'`],
  ];
  it.each(attempts)('refuses DA %s with a clear error and writes nothing', async (_what, sqlFor) => {
    const home = env['CUR_HOME'] ?? '';
    const result = await query('DA', sqlFor(home));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/\[(QUERY_REFUSED|VALIDATION_FAILED)\]/);
    expect(result.stderr).not.toMatch(/unexpected failure/);
    expect(existsSync(join(home, 'stolen.csv'))).toBe(false);
    expect(existsSync(join(home, 'stolen.db'))).toBe(false);
  });

  it('refuses to read a published file changed after publication', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-query-tamper-'));
    expect((await runCli(['demo', '--customers', '50'], { CUR_HOME: home })).code).toBe(0);
    const folder = join(home, 'lake', 'mart', 'tag_metrics_monthly');
    const [partition] = await readdir(folder);
    const [file] = await readdir(join(folder, partition ?? ''));
    await writeFile(join(folder, partition ?? '', file ?? ''), 'overwritten');
    const result = await runCli(['--role', 'DA', 'query', 'SELECT count(*) FROM mart.tag_metrics_monthly'], { CUR_HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[CONTENT_MISMATCH]');
  }, 120_000);
});

describe('cur query --reveal', () => {
  const sql = 'SELECT DISTINCT cust_id FROM consumption.customer_tags ORDER BY 1 LIMIT 3';

  it('gives SYSTEM the national IDs behind the tokens, through the audited token service', async () => {
    const tokens = JSON.parse((await query('SYSTEM', sql)).stdout) as { cust_id: string }[];
    const revealed = await runCli(['--role', 'SYSTEM', 'query', '--json', '--reveal', 'cust_id', sql], env);
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stderr).toContain('revealed 3 distinct value(s) of cust_id (audited)');
    const ids = (JSON.parse(revealed.stdout) as { cust_id: string }[]).map((row) => row.cust_id);
    expect(ids).toHaveLength(3);
    for (const [i, id] of ids.entries()) {
      expect(id).toMatch(/^[A-Z][12]\d{8}$/);
      expect(id).not.toBe(tokens[i]?.cust_id);
      // The revealed ID masks back to the very token the lake holds.
      const masked = await runCli(['--role', 'SYSTEM', 'mask', '-d', 'customer_profile', '-c', 'cust_id', id], env);
      expect(masked.stdout.trim()).toBe(tokens[i]?.cust_id);
    }
  });

  it('reveals an aliased column named as alias=dataset.column', async () => {
    const revealed = await runCli(['--role', 'SYSTEM', 'query', '--json', '--reveal', 'who=customer_tags.cust_id', 'SELECT cust_id AS who FROM consumption.customer_tags LIMIT 1'], env);
    expect(revealed.code, revealed.stderr).toBe(0);
    expect((JSON.parse(revealed.stdout) as { who: string }[])[0]?.who).toMatch(/^[A-Z][12]\d{8}$/);
  });

  it.each(['DE', 'DA', 'DS', 'DM', 'AP'])('refuses %s, prints nothing, and the refusal is the token service’s', async (role) => {
    const refused = await runCli(['--role', role, 'query', '--json', '--reveal', 'cust_id', sql], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`role ${role} may not detokenize`);
  });

  it('refuses columns that cannot be reversed, and result columns that do not exist', async () => {
    const generalised = await runCli(['--role', 'SYSTEM', 'query', '--reveal', 'birth_date', 'SELECT birth_date FROM raw.customer_profile LIMIT 1'], env);
    expect(generalised.code).toBe(1);
    expect(generalised.stderr).toContain('not a tokenized column that can be reversed');
    const missing = await runCli(['--role', 'SYSTEM', 'query', '--reveal', 'cust_id', 'SELECT tag FROM consumption.customer_tags LIMIT 1'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('the result has no such column');
  });
});
