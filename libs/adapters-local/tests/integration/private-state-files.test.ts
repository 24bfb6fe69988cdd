import { mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine, FsBlobStore, KeyFileVault, OutboxEventPublisher, OutboxNotifier, startLocalDynamoDb, writeFileAtomic } from '../../src/index';

/** Every file and folder under `root` (itself included) that grants group or other any access, with its mode. */
async function notPrivate(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const paths = [root, ...entries.map((entry) => join(entry.parentPath, entry.name))];
  const open: string[] = [];
  for (const path of paths) {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) open.push(`${path} ${(mode & 0o777).toString(8)}`);
  }
  return open;
}

// The modes must come from the adapters, not from the umask: every test runs with the most permissive one.
let previousUmask: number;
beforeEach(() => {
  previousUmask = process.umask(0);
});
afterEach(() => {
  process.umask(previousUmask);
});

const freshRoot = (): Promise<string> => mkdtemp(join(tmpdir(), 'cur-private-'));

describe('local adapters write owner-only state, whatever the umask', () => {
  it('FsBlobStore: objects 0600 in folders 0700, root and bucket included', async () => {
    const root = join(await freshRoot(), 'lake');
    const store = new FsBlobStore(root, 'quarantine');
    await store.put('MISSING_HEADER/customer_profile/2026-11-25/1/customer_profile_20261125.csv', 'A123456789,王小明\n');
    await store.put('MISSING_HEADER/customer_profile/2026-11-25/1/reason.json', '{}');
    expect(await notPrivate(root)).toEqual([]);
    const file = await stat(join(root, 'quarantine', 'MISSING_HEADER', 'customer_profile', '2026-11-25', '1', 'reason.json'));
    expect(file.mode & 0o777).toBe(0o600);
  });

  it('FsBlobStore: narrows an existing group-readable bucket folder it writes into', async () => {
    const root = await freshRoot();
    await mkdir(join(root, 'landing'), { mode: 0o755 });
    await new FsBlobStore(root, 'landing').put('x.csv', 'a');
    expect((await stat(join(root, 'landing'))).mode & 0o777).toBe(0o700);
  });

  it('writeFileAtomic, the outbox and the event outbox: files 0600, folders 0700', async () => {
    const home = await freshRoot();
    await writeFileAtomic(join(home, 'state', 'small.json'), '{}');
    await new OutboxNotifier(join(home, 'outbox')).publish('pipeline-failures', { subject: 'CUR pipeline: mask failed', body: 'see the run log' });
    await new OutboxEventPublisher(join(home, 'outbox')).publish('Layer Published', {
      step: 'consumption',
      zone: 'consumption',
      datasets: ['customer_tags'],
      businessDate: '2026-11-25',
      manifestKey: 'manifests/consumption/customer_tags/business_date=2026-11-25.json',
      rowCount: 1,
    });
    expect(await readdir(join(home, 'outbox'))).toEqual(expect.arrayContaining(['pipeline-failures.jsonl', 'events.jsonl']));
    expect(await notPrivate(home)).toEqual([]);
  });

  it('KeyFileVault: the master key 0600 in a 0700 folder', async () => {
    const home = await freshRoot();
    await new KeyFileVault(join(home, 'keys', 'master.key')).generateDataKey({ keyGroup: 'national_id', version: 1 }, 32);
    expect(await notPrivate(home)).toEqual([]);
  });

  it('startLocalDynamoDb: the data folder and every LevelDB file owner-only once the server closes', async () => {
    const home = await freshRoot();
    const dataDir = join(home, 'dynamodb');
    const server = await startLocalDynamoDb({ dataDir });
    const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await client.send(
        new CreateTableCommand({ TableName: 'ledger', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
      );
      await client.send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'batch-1' } } }));
      // The lock file is private too while the server runs.
      expect(((await stat(`${dataDir}.lock`)).mode & 0o777)).toBe(0o600);
    } finally {
      client.destroy();
      await server.close();
    }
    expect((await readdir(dataDir)).length).toBeGreaterThan(0);
    expect(await notPrivate(home)).toEqual([]);
  });

  it('DuckDbSqlEngine: spills to the temp folder it is given, not to .tmp under the working directory', async () => {
    const spill = join(await freshRoot(), 'duckdb-spill');
    const engine = await DuckDbSqlEngine.open({ threads: 1, tempDirectory: spill });
    try {
      expect(await engine.query("SELECT current_setting('temp_directory') AS dir")).toEqual([{ dir: spill }]);
    } finally {
      await engine.close();
    }
  });
});
