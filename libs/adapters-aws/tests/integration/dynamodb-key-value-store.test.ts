import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKeyValueStoreContract } from '@cur/platform/testing';
import { DynamoDbKeyValueStore } from '../../src/index';
import { startDynalite } from '../helpers/dynalite-server';

let server: Awaited<ReturnType<typeof startDynalite>>;
let client: DynamoDBClient;

beforeAll(async () => {
  server = await startDynalite();
  client = new DynamoDBClient({ endpoint: server.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

// Each store gets its own table prefix, so every contract case starts from empty tables.
describeKeyValueStoreContract('DynamoDbKeyValueStore on dynalite', () =>
  new DynamoDbKeyValueStore(client, { tablePrefix: `t${randomUUID().slice(0, 8)}`, createMissingTables: true }),
);

describe('DynamoDbKeyValueStore', () => {
  it('maps logical tables to prefixed physical names', () => {
    expect(new DynamoDbKeyValueStore(client, { tablePrefix: 'cur-dev' }).physicalName('batch-ledger')).toBe('cur-dev-batch-ledger');
  });

  it('reports a missing table as an adapter error naming the logical table when it may not create it', async () => {
    const store = new DynamoDbKeyValueStore(client, { tablePrefix: 'absent' });
    await expect(store.get('batch-ledger', { pk: 'x', sk: 'y' })).rejects.toThrow(/DynamoDB get on table 'batch-ledger' failed \(ResourceNotFoundException\)/);
  });

  it('creates a missing table once even when many calls race', async () => {
    const store = new DynamoDbKeyValueStore(client, { tablePrefix: `race${randomUUID().slice(0, 6)}`, createMissingTables: true });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.put('serving', { pk: `c#${i}`, sk: 'tags' })));
    expect((await store.query('serving', 'c#3')).items).toHaveLength(1);
  });
});
