import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '@cur/masking';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { runCurBin } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 5: a corrected extract for a date already ingested was quarantined with "ask a DE to retire the old
 * batch", and no command did it. `cur ingest retire` does (DE only, audited), and the quarantine reason names it.
 * These spawn the real executable.
 */

const DATE = '2026-11-25';
let home: string;
let corrected: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-retire-'));
  corrected = await mkdtemp(join(tmpdir(), 'cur-retire-extracts-'));
  const demo = await runCurBin(['demo', '--customers', '40'], home);
  expect(demo.code, demo.stderr).toBe(0);
  // Other content for the same dataset and date: another seed.
  const generated = await runCurBin(['generate', '-n', '40', '-s', '2', '-o', corrected], home);
  expect(generated.code, generated.stderr).toBe(0);
}, 240_000);

describe('cur ingest retire (issue 17, point 5)', () => {
  it('a corrected batch is quarantined with the retire command to run; a DE retires the old one, audited, and the corrected one is accepted', async () => {
    // Act: the corrected extract before retirement.
    const first = await runCurBin(['ingest', 'push', corrected], home);

    // Assess: quarantined, and the reason names the command.
    expect(first.code).toBe(3);
    const status = await runCurBin(['ingest', 'status'], home);
    expect(status.stdout).toContain(`cur --role DE ingest retire customer_profile ${DATE} --reason corrected-extract`);

    // Act: refused for another role, then done by a DE.
    const refused = await runCurBin(['--role', 'DA', 'ingest', 'retire', 'customer_profile', DATE, '--reason', 'corrected-extract'], home);
    const retired = await runCurBin(['--role', 'DE', 'ingest', 'retire', 'customer_profile', DATE, '--reason', 'corrected-extract'], home);
    const again = await runCurBin(['--role', 'DE', 'ingest', 'retire', 'customer_profile', DATE, '--reason', 'corrected-extract'], home);
    const second = await runCurBin(['ingest', 'push', corrected], home);

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('role DA may not retire a batch; only a DE may');
    expect(refused.stderr).toContain('[ACCESS_DENIED]');
    expect(retired.code, retired.stderr).toBe(0);
    expect(retired.stdout).toMatch(new RegExp(`retired customer_profile/${DATE} \\(was MASKED, \\d+ rows`));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[BATCH_NOT_SETTLED]');
    // The other datasets' corrected batches are still quarantined (exit 3); customer_profile's is accepted.
    expect(second.code).toBe(3);
    expect(second.stdout + second.stderr).toMatch(new RegExp(`accepted +customer_profile/${DATE}`));
    const ledger = await runCurBin(['ingest', 'status', '--json'], home);
    const rows = JSON.parse(ledger.stdout) as { batchId: string; record?: { status: string }; attempts: { outcome: string; reasonCode?: string }[] }[];
    const profile = rows.find((row) => row.batchId === `customer_profile/${DATE}`);
    expect(profile?.record?.status).toBe('ACCEPTED');
    expect(profile?.attempts.map((attempt) => attempt.outcome)).toEqual(expect.arrayContaining(['accepted', 'quarantined', 'retired', 'accepted']));

    const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
    try {
      const entries = (await new AuditLog(runtime.keyValueStore).day(new Date().toISOString().slice(0, 10))).filter((entry) => entry.operation === 'retire-batch');
      expect(entries.map((entry) => [entry.role, entry.outcome, entry.dataset, entry.reason])).toEqual([
        ['DA', 'refused', 'customer_profile', 'ROLE_NOT_ALLOWED'],
        ['DE', 'allowed', 'customer_profile', 'corrected-extract'],
      ]);
      expect(entries[1]?.count).toBeGreaterThan(0);
    } finally {
      await runtime.close();
    }
  }, 240_000);

  it('validates its arguments up front: exit 2 naming the argument and the allowed values', async () => {
    const cases: [string[], RegExp][] = [
      [['ingest', 'retire', 'customer_profile', DATE], /required option '--reason <code>' not specified/],
      [['ingest', 'retire', 'customer_profile', DATE, '--reason', 'because'], /--reason <code>' argument 'because' is invalid. Allowed choices are corrected-extract, wrong-extract, test-data/],
      [['ingest', 'retire', 'customers', DATE, '--reason', 'test-data'], /value 'customers' is invalid for argument 'dataset'. Allowed choices are customer_profile, /],
      [['ingest', 'retire', 'customer_profile', '2026-02-30', '--reason', 'test-data'], /expected a calendar date as YYYY-MM-DD/],
    ];
    for (const [args, message] of cases) {
      const result = await runCurBin(args, home);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const help = await runCurBin(['ingest', 'retire', '--help'], home);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('role DE only; audited');
    expect(help.stdout).toContain('npx cur --role DE ingest retire customer_profile 2026-11-25 --reason corrected-extract');
  }, 120_000);
});
