import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_DYNAMODB_PLACEHOLDER_ENDPOINT, LocalDynamoDbLink, localDynamoDbLockFile, readLockRecord } from '../../src/index';

const links: LocalDynamoDbLink[] = [];

function linkedClient(dataDir: string): { link: LocalDynamoDbLink; client: DynamoDBClient } {
  const link = new LocalDynamoDbLink({ dataDir, waitMs: 3_000 });
  links.push(link);
  const client = new DynamoDBClient({
    endpoint: LOCAL_DYNAMODB_PLACEHOLDER_ENDPOINT,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  link.attach(client);
  return { link, client };
}

async function newDataDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cur-link-')), 'dynamodb');
}

const TABLE: CreateTableCommandInput = {
  TableName: 'shared',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
};

afterEach(async () => {
  for (const link of links.splice(0)) await link.close();
});

describe('LocalDynamoDbLink (issue 17, point 4)', () => {
  it('starts nothing and writes no lock file until the first request', async () => {
    // Prepare
    const dataDir = await newDataDir();
    const { link } = linkedClient(dataDir);

    // Assess
    expect(await link.serving()).toBe(false);
    await expect(stat(localDynamoDbLockFile(dataDir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the first link serves the folder and records port and token in an owner-only lock file; the second connects to it', async () => {
    // Prepare
    const dataDir = await newDataDir();
    const first = linkedClient(dataDir);
    const second = linkedClient(dataDir);

    // Act
    await first.client.send(new CreateTableCommand(TABLE));
    await second.client.send(new PutItemCommand({ TableName: 'shared', Item: { pk: { S: 'written-by-second' } } }));
    const read = await first.client.send(new GetItemCommand({ TableName: 'shared', Key: { pk: { S: 'written-by-second' } } }));

    // Assess
    expect(read.Item?.pk?.S).toBe('written-by-second');
    expect(await first.link.serving()).toBe(true);
    expect(await second.link.serving()).toBe(false);
    const record = await readLockRecord(localDynamoDbLockFile(dataDir));
    expect(record).toMatchObject({ pid: process.pid, port: expect.any(Number), token: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await stat(localDynamoDbLockFile(dataDir))).mode & 0o777).toBe(0o600);
  });

  it('refuses a request without the lock file token', async () => {
    // Prepare
    const dataDir = await newDataDir();
    const { client } = linkedClient(dataDir);
    await client.send(new ListTablesCommand({}));
    const record = await readLockRecord(localDynamoDbLockFile(dataDir));

    // Act
    const stranger = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${record?.port}`,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });

    // Assess
    await expect(stranger.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    stranger.destroy();
  });

  it('when the serving link closes, the other takes the folder over on its next request, data intact', async () => {
    // Prepare
    const dataDir = await newDataDir();
    const first = linkedClient(dataDir);
    const second = linkedClient(dataDir);
    await first.client.send(new CreateTableCommand(TABLE));
    await second.client.send(new PutItemCommand({ TableName: 'shared', Item: { pk: { S: 'kept' } } }));

    // Act
    await first.link.close();
    const read = await second.client.send(new GetItemCommand({ TableName: 'shared', Key: { pk: { S: 'kept' } } }));

    // Assess
    expect(read.Item?.pk?.S).toBe('kept');
    expect(await second.link.serving()).toBe(true);
    expect((await readLockRecord(localDynamoDbLockFile(dataDir)))?.pid).toBe(process.pid);
  });

  it('takes over a lock file left by a process that no longer runs, old or new format', async () => {
    for (const stale of ['2147483646', JSON.stringify({ pid: 2147483646, port: 9, token: 'a'.repeat(64) })]) {
      // Prepare
      const dataDir = await newDataDir();
      await writeFile(localDynamoDbLockFile(dataDir), stale);
      const { client, link } = linkedClient(dataDir);

      // Act
      await client.send(new ListTablesCommand({}));

      // Assess
      expect(await link.serving()).toBe(true);
      expect(JSON.parse(await readFile(localDynamoDbLockFile(dataDir), 'utf8'))).toMatchObject({ pid: process.pid });
    }
  });

  it('waits for a live holder that does not serve, then fails with STATE_FOLDER_BUSY naming it', async () => {
    // Prepare: this process's parent holds the lock (alive) but never serves.
    const dataDir = await newDataDir();
    await writeFile(localDynamoDbLockFile(dataDir), JSON.stringify({ pid: process.ppid }));
    const link = new LocalDynamoDbLink({ dataDir, waitMs: 300 });
    links.push(link);

    // Act & Assess
    await expect(link.target()).rejects.toMatchObject({ code: 'STATE_FOLDER_BUSY', message: expect.stringContaining(`process ${process.ppid}`) });
  });
});
