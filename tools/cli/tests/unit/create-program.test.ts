import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

describe('cur', () => {
  it('lists every command with a one-line description in --help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['demo', 'datasets', 'status', 'invoke']) {
      expect(run.stdout).toMatch(new RegExp(`\\n  ${command}\\b.*\\S`));
    }
    expect(run.stdout).toContain('--role <role>');
  });

  it('prints help when called with no command', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: cur');
  });

  it('refuses an unknown role as a usage error (exit 2), naming the valid ones', async () => {
    const run = await runCli(['--role', 'ADMIN', 'datasets']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--role must be one of DE, DA, DS, DM, AP, SYSTEM');
  });

  it('fails on an unknown command with a hint, as a usage error (exit 2)', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });

  it('shows the landing contract of a dataset with each column classified', async () => {
    const run = await runCli(['datasets', 'customer_profile']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/cust_id\s+string\s+no\s+direct\s+national_id/);
    expect(run.stdout).toMatch(/birth_date\s+date\s+no\s+quasi\s+birth_date/);
  });

  it('names the known datasets when asked for an unknown one', async () => {
    const run = await runCli(['datasets', 'customers']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown dataset 'customers'");
  });
});
