import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

const HEADER = 'cust_id,cust_name,birth_date,gender,mobile,email,address,branch_code,open_date,risk_level,occupation_code';

async function extracts(rows: string[], declaredRows = rows.length): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cur-extracts-'));
  const csv = `${[HEADER, ...rows].join('\r\n')}\r\n`;
  await writeFile(join(dir, 'customer_profile_20261125.csv'), csv);
  const control = { dataset: 'customer_profile', businessDate: '2026-11-25', file: 'customer_profile_20261125.csv', rowCount: declaredRows, sha256: createHash('sha256').update(csv).digest('hex'), encoding: 'utf-8', schemaVersion: 1 };
  await writeFile(join(dir, 'customer_profile_20261125.ctl'), JSON.stringify(control));
  return dir;
}

const ROW = 'A123456789,王小明,0780512,M,0912345678,,臺北市中正區重慶南路一段122號,001,1050301,3,A01';

describe('cur ingest', () => {
  it('pushes, ingests, skips a re-push, and shows the ledger', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-ingest-')) };
    const dir = await extracts([ROW]);
    const first = await runCli(['ingest', 'push', dir], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('pushed       customer_profile/2026-11-25 (1 rows');
    expect(first.stdout).toContain('accepted     customer_profile/2026-11-25 (1 rows)');

    const again = await runCli(['ingest', 'push', dir], env);
    expect(again.stderr).toContain('skipped      customer_profile/2026-11-25');

    const status = await runCli(['ingest', 'status'], env);
    expect(status.stdout).toMatch(/customer_profile\/2026-11-25\s+ACCEPTED\s+1/);
    expect(status.stdout).not.toContain('A123456789');
  });

  it('does not send a batch whose control file lies, and says why without values', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-ingest-')) };
    const run = await runCli(['ingest', 'push', await extracts([ROW], 2)], env);
    expect(run.stderr).toContain('not sent     customer_profile/2026-11-25 COUNT_MISMATCH');
    expect(run.stderr).toContain('1 batch(es) were not ingested');
    expect(run.stderr + run.stdout).not.toContain('王小明');
  });

  it('sweeps a landing zone with nothing waiting', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-ingest-')) };
    expect((await runCli(['ingest', 'sweep'], env)).stdout).toContain('nothing waiting in landing');
  });
});
