import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

let env: Record<string, string>;
beforeAll(async () => {
  env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-dq-')) };
  const demo = await runCli(['demo', '--customers', '2000'], env);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);

describe('cur dq', () => {
  it('checks a dataset against its ruleset and prints the results as JSON in rule order', async () => {
    const run = await runCli(['dq', 'check', '--dataset', 'customer_profile', '--zone', 'transformed', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as { rule: string; Result: string }[];
    expect(results[0]).toMatchObject({ rule: 'RowCount > 0', Result: 'PASS' });
    expect(results.every((result) => ['PASS', 'FAIL', 'ERROR'].includes(result.Result))).toBe(true);
  });

  it('checks with a rules file of one\'s own', async () => {
    const rules = join(env['CUR_HOME'] ?? '', 'mine.dqdl');
    await writeFile(rules, 'Rules = [ RowCount > 100000000, IsUnique "txn_id" ]');
    const run = await runCli(['dq', 'check', '-d', 'card_transaction', '-z', 'transformed', '--rules', rules, '--json'], env);
    expect((JSON.parse(run.stdout) as { rule: string; Result: string }[]).map((r) => [r.rule, r.Result])).toEqual([
      ['RowCount > 100000000', 'FAIL'],
      ['IsUnique "txn_id"', 'PASS'],
    ]);
  });

  it('checks the date partition of Parquet files laid out as the Glue tables, without manifests (--tables), as the published one', async () => {
    // Prepare: the lake folder is <zone>/<dataset>/business_date=<date>/, the Glue tables' layout
    const lake = join(env['CUR_HOME'] ?? '', 'lake');
    const rules = (stdout: string): [string, string, unknown][] => (JSON.parse(stdout) as { rule: string; Result: string; EvaluatedMetrics: unknown }[]).map((r) => [r.rule, r.Result, r.EvaluatedMetrics]);

    // Act: a ruleset with a reference alias (customer_profile, read from the same date's transformed folder)
    const published = await runCli(['dq', 'check', '-d', 'account_balance', '-z', 'transformed', '--json'], env);
    const tables = await runCli(['dq', 'check', '-d', 'account_balance', '-z', 'transformed', '--date', '2026-11-25', '--tables', lake, '--json'], env);
    const missing = await runCli(['dq', 'check', '-d', 'account_balance', '-z', 'transformed', '--date', '2026-11-24', '--tables', lake], env);
    const undated = await runCli(['dq', 'check', '-d', 'account_balance', '-z', 'transformed', '--tables', lake], env);

    // Assess
    expect(tables.code, tables.stderr).toBe(0);
    expect(rules(tables.stdout)).toEqual(rules(published.stdout));
    expect(rules(tables.stdout).some(([rule]) => rule.startsWith('ReferentialIntegrity'))).toBe(true);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no Parquet file of account_balance in transformed for 2026-11-24');
    expect(undated.code).toBe(2);
    expect(undated.stderr).toContain('--tables needs --date');
  });

  it('shows that the generated dirty rows fired at least one warning rule, and notified it without row values', async () => {
    const results = await runCli(['dq', 'results'], env);
    expect(results.stdout).toMatch(/FAIL\s+warning/);
    const alerts = await readFile(join(env['CUR_HOME'] ?? '', 'outbox', 'dq-alerts.jsonl'), 'utf8');
    expect(alerts).toContain('DQ WARN');
    // Alerts name rules and metrics: no national ID, token or Chinese name.
    expect(alerts).not.toMatch(/"[A-Z][12]\d{8}"|v\d+\.[A-Za-z0-9_-]{20,}/);
  });
});
