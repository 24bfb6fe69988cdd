import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchLedger } from '@cur/ingestion';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
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

/** Made-up customers; the first line of a file without a header row. */
const CANARY_ROWS = [
  'Q298765437,龔雀鳴,0771213,M,0955123987,zq.canary@example.test,臺南市安平區金絲雀路88巷7號3樓,001,1050301,3,ZQX9',
  'R187654329,歐陽金絲,0830419,F,0966321789,,新北市板橋區雀鳥街12號,002,1100715,2,ZQX8',
];

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
    expect(run.stderr).toContain('1 batch(es) were refused or quarantined: npx cur ingest status lists them');
    expect(run.code).toBe(3);
    expect(run.stderr + run.stdout).not.toContain('王小明');
  });

  it('a batch without a header row: neither push, sweep nor status prints any of its values (issue 12, finding 3)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-ingest-'));
    const env = { CUR_HOME: home };
    const dir = await mkdtemp(join(tmpdir(), 'cur-extracts-'));
    const csv = `${CANARY_ROWS.join('\r\n')}\r\n`;
    const control = { dataset: 'customer_profile', businessDate: '2026-11-25', file: 'customer_profile_20261125.csv', rowCount: 1, sha256: createHash('sha256').update(csv).digest('hex'), encoding: 'utf-8', schemaVersion: 1 };
    await writeFile(join(dir, 'customer_profile_20261125.csv'), csv);
    await writeFile(join(dir, 'customer_profile_20261125.ctl'), JSON.stringify(control));

    // The push refuses it on the sending side...
    const push = await runCli(['ingest', 'push', dir], env);
    expect(push.stderr).toContain('not sent     customer_profile/2026-11-25 BAD_HEADER');
    // ...and when it reaches landing anyway, the ingestion controller quarantines it into the ledger every role reads.
    const runtime = await createRuntime(loadPlatformConfig(env));
    try {
      await runtime.blobStore('landing').put('incoming/customer_profile/customer_profile_20261125.csv', csv);
      await runtime.blobStore('landing').put('incoming/customer_profile/customer_profile_20261125.ctl', JSON.stringify(control));
      // A ledger written before reasons were value-free: status scrubs what it prints.
      await new BatchLedger(runtime.keyValueStore).recordAttempt({ attemptId: 'old', batchId: 'customer_profile/2026-11-24', at: '2026-11-25T00:00:00.000Z', outcome: 'quarantined', reasonCode: 'BAD_HEADER', reason: `header is [${CANARY_ROWS[0]}]` });
    } finally {
      await runtime.close();
    }
    const sweep = await runCli(['ingest', 'sweep'], env);
    expect(sweep.stdout).toContain('quarantined  customer_profile/2026-11-25 BAD_HEADER');
    const status = await runCli(['ingest', 'status'], env);
    const json = await runCli(['ingest', 'status', '--json'], env);
    expect(json.stdout).toContain('are not column names');
    const printed = [push, sweep, status, json].map((run) => `${run.stdout}\n${run.stderr}`).join('\n');
    expect(printed).not.toMatch(/\p{Script=Han}/u);
    for (const value of ['Q298765437', '0955123987', 'zq.canary@example.test', '0771213']) expect(printed).not.toContain(value);
  });

  it('sweeps a landing zone with nothing waiting', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-ingest-')) };
    expect((await runCli(['ingest', 'sweep'], env)).stdout).toContain('nothing waiting in landing');
  });
});
