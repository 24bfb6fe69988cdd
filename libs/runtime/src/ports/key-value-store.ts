import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableName } from '@cur/contracts';
import type { KeyValueStore, PlatformConfig } from '@cur/platform';
import { makeOwnerOnly } from './local-home';
import { captured, type PortFactoryOptions } from './port-factory-options';

/** The DynamoDB-backed key-value port of one process, its client, and how to let go of it (and of a local server). */
export interface KeyValuePorts {
  readonly keyValueStore: KeyValueStore;
  /** The client behind {@link keyValueStore}, for other DynamoDB-backed ports (`createIdempotencyStore`). */
  readonly dynamoDb: DynamoDBClient;
  /** The physical name of a platform table; locally the table is created first if missing. */
  tableName(table: TableName): Promise<string>;
  close(): Promise<void>;
}

/**
 * The `KeyValueStore` port wired alone (subpath `@cur/runtime/key-value-store`): DynamoDB in AWS; locally the same
 * adapter against dynalite with its data under `<home>/dynamodb`, shared by every `cur` process on that state folder
 * (the first one to send a request serves it on loopback, the others connect: `LocalDynamoDbLink`), unless
 * CUR_DYNAMODB_ENDPOINT names a running server. Only the DynamoDB client is loaded.
 *
 * @example
 * const { keyValueStore, close } = await createKeyValuePorts(loadPlatformConfig());
 */
export async function createKeyValuePorts(config: PlatformConfig, options: PortFactoryOptions = {}): Promise<KeyValuePorts> {
  const [{ DynamoDbKeyValueStore }, { DynamoDBClient }] = await Promise.all([import('@cur/adapters-aws/key-value-store'), import('@aws-sdk/client-dynamodb')]);
  if (config.mode === 'aws') {
    const dynamoDb = captured(options, new DynamoDBClient({ region: config.region, ...(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {}) }));
    const keyValueStore = new DynamoDbKeyValueStore(dynamoDb, { tablePrefix: config.tablePrefix });
    return {
      keyValueStore,
      dynamoDb,
      tableName: (table) => Promise.resolve(keyValueStore.physicalName(table)),
      close: () => {
        dynamoDb.destroy();
        return Promise.resolve();
      },
    };
  }
  await makeOwnerOnly(config.home);
  const { LocalDynamoDbLink, LOCAL_DYNAMODB_PLACEHOLDER_ENDPOINT } = await import('@cur/adapters-local/key-value-store');
  // The state folder's DynamoDB is shared by every cur process of its owner: the first to need it serves it, the
  // others connect; nothing starts before the first request (LocalDynamoDbLink).
  const link = config.dynamoDbEndpoint === undefined ? new LocalDynamoDbLink({ dataDir: join(config.home, 'dynamodb') }) : undefined;
  const dynamoDb = new DynamoDBClient({
    endpoint: config.dynamoDbEndpoint ?? LOCAL_DYNAMODB_PLACEHOLDER_ENDPOINT,
    region: config.region,
    // dynalite accepts any credentials; fixed ones keep the SDK from searching the machine for real ones.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  link?.attach(dynamoDb);
  const keyValueStore = new DynamoDbKeyValueStore(dynamoDb, { tablePrefix: config.tablePrefix, createMissingTables: true });
  return {
    keyValueStore,
    dynamoDb,
    tableName: (table) => keyValueStore.ensureTable(table),
    close: async () => {
      dynamoDb.destroy();
      await link?.close();
    },
  };
}
