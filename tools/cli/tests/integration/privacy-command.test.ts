import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

let env: Record<string, string>;
beforeAll(async () => {
  env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-privacy-')) };
  const demo = await runCli(['demo', '--customers', '2000'], env);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);

interface Result {
  dataset: string;
  zone: string;
  roles: string[];
  quasiIdentifiers: string[];
  records: number;
  k: number | null;
  recordsBelowThreshold: number;
  passed: boolean;
}

describe('cur privacy check', () => {
  it('shows a human role the month a relationship started, never the full date', async () => {
    const run = await runCli(['--role', 'DE', 'query', '--json', 'SELECT open_date FROM transformed.customer_profile'], env);
    expect(run.code, run.stderr).toBe(0);
    const months = (JSON.parse(run.stdout) as { open_date: string }[]).map((row) => row.open_date);
    expect(months.length).toBeGreaterThan(1000);
    expect(months.every((month) => /^\d{4}-(0[1-9]|1[0-2])$/.test(month))).toBe(true);
  });

  it('measures every dataset with quasi-identifiers in every zone as every human role sees it, and fails below k = 5', async () => {
    // Act
    const run = await runCli(['privacy', 'check', '--json'], env);

    // Assess: 2,000 customers over ~120 branches: k = 1 in every view, so the check fails with its code.
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/3 of 3 view\(s\) below k = 5 .*\[K_ANONYMITY_BELOW_THRESHOLD\]/);
    const results = JSON.parse(run.stdout) as Result[];
    expect(results.map((r) => `${r.dataset}/${r.zone}`)).toEqual(['customer_profile/raw', 'customer_profile/transformed', 'customer_features/consumption']);
    expect(results.every((r) => r.roles.join(',') === 'DE,DA,DS,DM,AP' && r.k === 1 && !r.passed)).toBe(true);
    expect(results[1]).toMatchObject({ quasiIdentifiers: ['birth_date', 'gender', 'address', 'branch_code', 'open_date'] });
    expect(results[1]?.recordsBelowThreshold).toBeLessThanOrEqual(results[1]?.records ?? 0);
    // Column names, counts and k only: no district, branch, year, month or token.
    expect(run.stdout).not.toMatch(/[\u4e00-\u9fff]|"\d{3}"|"\d{4}(-\d{2})?"|[A-Z][12]\d{8}/);
  });

  it('measures only the role --role names, with the threshold given, and passes when it is reached', async () => {
    const run = await runCli(['--role', 'DA', 'privacy', 'check', '--dataset', 'customer_features', '--threshold', '1'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/customer_features\s+consumption\s+2026-11-25\s+DA\s+age_band, gender, branch_code, tenure_months\s+\d+\s+\d+\s+1\s+0\s+ok/);
    expect(run.stderr).toContain('every view reaches k = 1');
  });

  it('refuses SYSTEM, which sees plaintext by design, and a dataset without quasi-identifiers', async () => {
    expect(await runCli(['--role', 'SYSTEM', 'privacy', 'check'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('measures what human roles see') });
    expect(await runCli(['privacy', 'check', '--dataset', 'card_transaction'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--dataset must be one of customer_profile, customer_features') });
  });
});
