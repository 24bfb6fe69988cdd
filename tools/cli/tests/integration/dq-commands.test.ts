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

  it('shows that the generated dirty rows fired at least one warning rule, and notified it without row values', async () => {
    const results = await runCli(['dq', 'results'], env);
    expect(results.stdout).toMatch(/FAIL\s+warning/);
    const alerts = await readFile(join(env['CUR_HOME'] ?? '', 'outbox', 'dq-alerts.jsonl'), 'utf8');
    expect(alerts).toContain('DQ WARN');
    // Alerts name rules and metrics: no national ID, token or Chinese name.
    expect(alerts).not.toMatch(/"[A-Z][12]\d{8}"|v\d+\.[A-Za-z0-9_-]{20,}/);
  });
});
