import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { SERVING_KEYS } from '@cur/serving';
import { runCurBin } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 1: a script or a scheduler must be able to trust `cur`'s exit code. These run the real executable,
 * whose `process.exit` used to overwrite the `process.exitCode` the commands set, so failures exited 0.
 */
const HEADER = 'cust_id,cust_name,birth_date,gender,mobile,email,address,branch_code,open_date,risk_level,occupation_code';
const ROW = 'A123456789,王小明,0780512,M,0912345678,,臺北市中正區重慶南路一段122號,001,1050301,3,A01';

/** A folder with one customer_profile batch whose control file declares `declaredRows` rows. */
async function extracts(declaredRows: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cur-exit-extracts-'));
  const csv = `${HEADER}\r\n${ROW}\r\n`;
  await writeFile(join(dir, 'customer_profile_20261125.csv'), csv);
  const control = { dataset: 'customer_profile', businessDate: '2026-11-25', file: 'customer_profile_20261125.csv', rowCount: declaredRows, sha256: createHash('sha256').update(csv).digest('hex'), encoding: 'utf-8', schemaVersion: 1 };
  await writeFile(join(dir, 'customer_profile_20261125.ctl'), JSON.stringify(control));
  return dir;
}

const freshHome = (): Promise<string> => mkdtemp(join(tmpdir(), 'cur-exit-'));

describe('cur exit codes (the real executable)', () => {
  it('exits 1 when cur run ends failed', async () => {
    // A date with nothing published: the consumption step finds no input and the run fails.
    const run = await runCurBin(['run', '--date', '2025-01-01'], await freshHome());
    expect(run.stdout).toMatch(/run \S+: failed/);
    expect(run.code).toBe(1);
  });

  it('exits 1 when cur demo ends failed, and says which run log names the step', async () => {
    // Prepare: another loader holds the serving lease, so the demo's serving load fails (and is attempted once).
    const home = await freshHome();
    const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
    try {
      await runtime.keyValueStore.put('serving', { ...SERVING_KEYS.lease, owner: 'another-loader', expiresAt: Date.now() + 10 * 60_000 });
    } finally {
      await runtime.close();
    }

    // Act
    const demo = await runCurBin(['demo', '--customers', '80'], home);

    // Assess
    expect(demo.stdout).toContain('demo, business date 2026-11-25, role DE: failed');
    expect(demo.stderr).toMatch(/FAILED\s+serving\s+2026-11-25 after 1 attempt\(s\): SERVING_LOAD_CONFLICT/);
    expect(demo.stderr).toMatch(/The run failed: its log system\/runs\/\S+\.json names the step/);
    expect(demo.code).toBe(1);
  });

  it('exits 3 when cur ingest push refused batches, and cur ingest status lists them with their reasons', async () => {
    const home = await freshHome();
    const push = await runCurBin(['ingest', 'push', await extracts(2)], home);
    expect(push.stderr).toContain('not sent     customer_profile/2026-11-25 COUNT_MISMATCH');
    expect(push.stderr).toContain('npx cur ingest status lists them with their reasons');
    expect(push.code).toBe(3);

    // The message points somewhere that shows them.
    const status = await runCurBin(['ingest', 'status'], home);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/customer_profile\/2026-11-25\s+NOT SENT\s+.*refused COUNT_MISMATCH/);
    expect(status.stdout).toMatch(/customer_profile\/2026-11-25 refused COUNT_MISMATCH: .*\(not sent: still in your folder\)/);
    expect(status.stdout).not.toContain('王小明');

    // Once the batch is fixed and pushed, it is accepted and the push exits 0.
    const fixed = await runCurBin(['ingest', 'push', await extracts(1)], home);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await runCurBin(['ingest', 'status'], home)).stdout).toMatch(/customer_profile\/2026-11-25\s+ACCEPTED\s+1/);
  });

  it('exits 2 for a wrong command line, 0 for --help', async () => {
    const home = await freshHome();
    expect((await runCurBin(['run', '--date', 'tomorrow'], home)).code).toBe(2);
    expect((await runCurBin(['frobnicate'], home)).code).toBe(2);
    expect((await runCurBin(['run', '--no-such-flag'], home)).code).toBe(2);
    expect((await runCurBin(['datasets', 'customers'], home)).code).toBe(2);
    const help = await runCurBin(['--help'], home);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 done, 1 failed, 2 usage, 3 some batches refused');
  });

  it.each([
    [['run', '--date', '2026-13-45']],
    [['run', '--date', '2026-02-30']],
    [['generate', '--start', '2026-02-30', '-o', 'unused']],
    [['dq', 'check', '-d', 'customer_profile', '-z', 'raw', '--date', '2026-04-31']],
    [['privacy', 'check', '--date', '2025-02-29']],
  ])('refuses an impossible calendar date up front, naming the flag: cur %j exits 2 and runs nothing', async (args) => {
    const home = await freshHome();
    const result = await runCurBin(args, home);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/option '--(date|start) <YYYY-MM-DD>' argument '[\d-]+' is invalid\. expected a calendar date as YYYY-MM-DD/);
    expect(result.stderr).not.toMatch(/unexpected failure|ZodError|✖/);
    expect(result.stdout).not.toMatch(/FAILED|skipped/);
  });
});
