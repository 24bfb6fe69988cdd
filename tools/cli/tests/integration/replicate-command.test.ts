import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPLICATED_DATASET_NAMES } from '@cur/replication';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

/** The demo's business date (see demo-command.ts). */
const DATE = '2026-11-25';

describe('cur replicate', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cur-replicate-'));
    const demo = await runCli(['demo', '--customers', '200'], { CUR_HOME: home });
    expect(demo.code, demo.stderr).toBe(0);
  }, 300_000);

  it('loads the demo date into the local replica and prints a matching reconciliation per table', async () => {
    const run = await runCli(['replicate', '--date', DATE], { CUR_HOME: home });

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`CUR replication of ${DATE} to sqlite:${join(home, 'oracle', 'replica.sqlite')}: matched`);
    for (const table of ['CUSTOMER_FEATURES', 'CUSTOMER_TAGS', 'TAG_METRICS_MONTHLY', 'SEGMENT_METRICS_MONTHLY']) {
      expect(run.stdout).toMatch(new RegExp(`${table}\\s+(\\d+)\\s+\\1\\s+match [0-9a-f]{12}\\s+matched`));
    }
  });

  it('reports an altered replica row as a mismatch, exits 1 and notifies pipeline-failures; a reload repairs it', async () => {
    await runCli(['replicate', '--date', DATE], { CUR_HOME: home });
    const db = new Database(join(home, 'oracle', 'replica.sqlite'));
    db.prepare(`UPDATE CUSTOMER_TAGS SET TAG = 'tampered' WHERE rowid = (SELECT min(rowid) FROM CUSTOMER_TAGS)`).run();
    db.close();

    const check = await runCli(['replicate', '--date', DATE, '--check'], { CUR_HOME: home });

    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/CUSTOMER_TAGS\s+(\d+)\s+\1\s+DIFFERS\s+mismatch/);
    expect(check.stdout).toMatch(/CUSTOMER_FEATURES\s+(\d+)\s+\1\s+match/);
    expect(check.stderr).toContain('the replica differs from the lake');
    const failures = (await readFile(join(home, 'outbox', 'pipeline-failures.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { subject: string; attributes?: Record<string, string> });
    expect(failures.at(-1)).toMatchObject({ subject: `CUR replication: replica differs from the lake for ${DATE}`, attributes: { code: 'REPLICA_MISMATCH' } });
    expect(JSON.stringify(failures.at(-1))).not.toContain('tampered');

    const reload = await runCli(['replicate', '--date', DATE], { CUR_HOME: home });
    expect(reload.code, reload.stderr).toBe(0);
  });

  it('prints the generated Oracle DDL and DMS JSON', async () => {
    const ddl = await runCli(['replicate', '--ddl'], { CUR_HOME: home });
    expect(ddl.stdout).toContain('CREATE TABLE CUR_REPLICA.CUSTOMER_TAGS (');
    const bootstrap = await runCli(['replicate', '--bootstrap'], { CUR_HOME: home });
    expect(bootstrap.stdout).toContain('CREATE USER CUR_REPLICA IDENTIFIED BY "&&replica_owner_password"');
    expect(bootstrap.stdout).toContain('HIDE');
    const dms = await runCli(['replicate', '--date', DATE, '--dms'], { CUR_HOME: home });
    expect(JSON.parse(dms.stdout)).toMatchObject({ fullLoadTask: { MigrationType: 'full-load' }, externalTableDefinition: { TableCount: String(REPLICATED_DATASET_NAMES.length) } });
    // Every consumption and mart dataset is replicated, model_tags included.
    expect(REPLICATED_DATASET_NAMES).toContain('model_tags');
  });

  it('refuses a date that is not a day, as a usage error', async () => {
    const run = await runCli(['replicate', '--date', '2026-13-01'], { CUR_HOME: home });
    expect(run.code).toBe(2);
  });
});
