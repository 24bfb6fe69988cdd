import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleOracleReplicator } from '../../src/handler';
import { createOracleReplicatorDependencies, type OracleReplicatorDependencies } from '../../src/wiring';
import { SEEDED_TAG_ROWS, seedCustomerTags } from '../helpers/seed-lake';

/** The event the pipeline publishes when customer_tags of 2026-11-25 is published, as EventBridge delivers it. */
const realEvent = (): { detail: Record<string, unknown> } & Record<string, unknown> => JSON.parse(readFileSync(new URL('../events/eventbridge-event.json', import.meta.url), 'utf8')) as { detail: Record<string, unknown> };

let opened: OracleReplicatorDependencies | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

const localDependencies = async (home: string): Promise<() => Promise<OracleReplicatorDependencies>> => {
  opened = await createOracleReplicatorDependencies({ CUR_HOME: home });
  const deps = opened;
  return () => Promise.resolve(deps);
};

describe('handleOracleReplicator on the local adapters', () => {
  it('replicates the published date into the SQLite replica and reconciles it with the lake', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-replicator-'));
    await seedCustomerTags(home, '2026-11-25');

    const outcome = await handleOracleReplicator(realEvent(), await localDependencies(home));

    expect(outcome.outcome).toBe('replicated');
    const report = outcome.outcome === 'replicated' ? outcome.report : undefined;
    expect(report?.status).toBe('matched');
    expect(report?.tables).toEqual([expect.objectContaining({ dataset: 'customer_tags', status: 'matched', lake: report?.tables[0]?.target, loadedRows: SEEDED_TAG_ROWS.length })]);
    expect(report?.target).toBe(`sqlite:${join(home, 'oracle', 'replica.sqlite')}`);
    expect(await readdir(join(home, 'lake', 'system', 'replication', 'runs'))).toHaveLength(1);
  });

  it('replaces the date when the event comes again: the same rows, the same digest', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-replicator-'));
    await seedCustomerTags(home, '2026-11-25');
    const deps = await localDependencies(home);

    const first = await handleOracleReplicator(realEvent(), deps);
    const second = await handleOracleReplicator(realEvent(), deps);

    const digest = (outcome: typeof first) => (outcome.outcome === 'replicated' ? outcome.report.tables[0]?.target : undefined);
    expect(digest(second)).toEqual(digest(first));
    expect(digest(second)?.rows).toBe(SEEDED_TAG_ROWS.length);
  });

  it('fails, so Lambda retries, when the event names a date that is not published', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-replicator-'));
    const event = { ...realEvent(), detail: { ...realEvent().detail, businessDate: '2026-11-26' } };

    await expect(handleOracleReplicator(event, await localDependencies(home))).rejects.toMatchObject({ code: 'INPUT_MISSING' });
  });

  it('leaves alone a layer that is not replicated', async () => {
    const event = { ...realEvent(), detail: { ...realEvent().detail, zone: 'transformed', datasets: ['customer_profile'] } };

    expect(await handleOracleReplicator(event, () => Promise.reject(new Error('not reached')))).toMatchObject({ outcome: 'ignored' });
  });

  it('rejects an event of another shape with a validation error', async () => {
    await expect(handleOracleReplicator({ hello: 'world' }, () => Promise.reject(new Error('not reached')))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('writes the replica owner-only', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-replicator-'));
    await seedCustomerTags(home, '2026-11-25');
    await handleOracleReplicator(realEvent(), await localDependencies(home));
    const { statSync } = await import('node:fs');
    expect(statSync(join(home, 'oracle', 'replica.sqlite')).mode & 0o077).toBe(0);
    expect(statSync(join(home, 'oracle')).mode & 0o077).toBe(0);
    expect((await readFile(join(home, 'oracle', 'replica.sqlite'))).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
