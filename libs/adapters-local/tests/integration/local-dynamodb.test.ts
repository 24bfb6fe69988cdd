import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startLocalDynamoDb } from '../../src/index';

describe('startLocalDynamoDb', () => {
  it('serves the DynamoDB API on loopback and keeps tables in its data folder across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cur-dynalite-'));
    const client = (endpoint: string) =>
      new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

    const first = await startLocalDynamoDb({ dataDir });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await client(first.endpoint).send(
      new CreateTableCommand({
        TableName: 'persisted',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await first.close();

    const second = await startLocalDynamoDb({ dataDir });
    const tables = await client(second.endpoint).send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain('persisted');
    await second.close();
  });

  // LevelDB's background compaction thread never stops; had Node unloaded the addon when the server's thread ended,
  // that thread would run unmapped code (the intermittent SIGSEGV of a cur process after its runtime closed).
  it.skipIf(!existsSync('/proc/self/maps'))('keeps LevelDB\'s addon loaded in the process after the server\'s thread has ended', async () => {
    const addonMapped = (): boolean => readFileSync('/proc/self/maps', 'utf8').includes('/classic-level/');
    const server = await startLocalDynamoDb({ dataDir: await mkdtemp(join(tmpdir(), 'cur-dynalite-')) });
    await new DynamoDBClient({ endpoint: server.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }).send(new ListTablesCommand({}));
    expect(addonMapped()).toBe(true);
    await server.close();
    expect(addonMapped()).toBe(true);
  });
});

describe('startLocalDynamoDb data folder lock', () => {
  it('refuses a second server on the same folder with a clear message, and frees the folder on close', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'cur-dynalite-')), 'dynamodb');
    const first = await startLocalDynamoDb({ dataDir });
    await expect(startLocalDynamoDb({ dataDir })).rejects.toThrow(/already runs a local DynamoDB server/);
    await first.close();
    const second = await startLocalDynamoDb({ dataDir });
    await second.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'cur-dynalite-')), 'dynamodb');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dataDir}.lock`, '2147483646');
    const server = await startLocalDynamoDb({ dataDir });
    await server.close();
  });
});
