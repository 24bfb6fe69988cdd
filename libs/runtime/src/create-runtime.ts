import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { TableName, TopicName, Zone } from '@cur/contracts';
import { ZONES } from '@cur/contracts';
import type { BlobStore, EventPublisher, KeyValueStore, KeyVault, Notifier, PlatformConfig } from '@cur/platform';
import { ConfigError } from '@cur/platform';

/** Buckets beside the zones: where bad batches are kept, and the platform's own records (manifests, run logs). */
export const EXTRA_BUCKETS = ['quarantine', 'system'] as const;

/** A zone or an extra bucket. */
export type BucketName = Zone | (typeof EXTRA_BUCKETS)[number];

/** Every bucket the platform uses, zones first. */
export const BUCKET_NAMES: readonly BucketName[] = [...ZONES, ...EXTRA_BUCKETS];

/**
 * The adapters one process works with, wired once from configuration. Business code receives a `Runtime` (or just
 * the ports it needs) and never asks whether it runs locally or in AWS.
 */
export interface Runtime {
  readonly config: PlatformConfig;
  /** The store of one zone's bucket (locally `<home>/lake/<zone>`, in AWS `<bucketPrefix>-<zone>`). */
  blobStore(bucket: BucketName): BlobStore;
  readonly keyValueStore: KeyValueStore;
  /**
   * Powertools Idempotency's DynamoDB persistence layer on a platform table (the same DynamoDB client as
   * {@link keyValueStore}: dynalite locally, DynamoDB in AWS), its records in the partition `partition`. Locally the
   * table is created first if missing. One per idempotent operation: a persistence layer keeps its configuration.
   */
  idempotencyStore(table: TableName, partition: string): Promise<BasePersistenceLayer>;
  notifier(): Notifier;
  /** Platform events (`cur.platform`): EventBridge in AWS, `<home>/outbox/events.jsonl` locally. */
  events(): EventPublisher;
  /** The master key vault that wraps masking data keys (locally `<home>/keys/master.key`, in AWS KMS). */
  keyVault(): KeyVault;
  /** Where the local lake lives; `undefined` in AWS. */
  readonly localLakeDir: string | undefined;
  /**
   * The state folder's SYSTEM scratch area (`<home>/system-scratch`): where steps put short-lived files, plaintext
   * ones included (a Big5 batch's UTF-8 copy, the demo's extracts until pushed), instead of the OS temp folder. Only
   * one process uses a state folder, so whatever a run finds there is left by a killed one and is swept.
   * `undefined` in AWS: Glue and Lambda steps use their own local temp folder.
   */
  readonly localScratchDir: string | undefined;
  /** Stops what the runtime started (the local DynamoDB server, SDK clients). */
  close(): Promise<void>;
}

/**
 * Wires the local or the AWS adapters from configuration: the one place that knows the difference.
 *
 * Locally: a folder per bucket under `<home>/lake`, dynalite started in-process with its data under
 * `<home>/dynamodb` (unless CUR_DYNAMODB_ENDPOINT points at one), and an outbox under `<home>/outbox`. The state
 * folder is made owner-only (0700) first, an existing one narrowed, so nothing under it is reachable by other users
 * whatever modes older files have; the adapters write files 0600 and folders 0700 themselves.
 * In AWS: S3, DynamoDB and SNS through the SDK, with names derived from the stage.
 *
 * @example
 * const runtime = await createRuntime(loadPlatformConfig());
 * try { await runtime.blobStore('raw').put('x.txt', 'hello'); } finally { await runtime.close(); }
 */
export async function createRuntime(config: PlatformConfig): Promise<Runtime> {
  return config.mode === 'local' ? createLocalRuntime(config) : createAwsRuntime(config);
}

async function createLocalRuntime(config: PlatformConfig): Promise<Runtime> {
  const [{ FsBlobStore, KeyFileVault, OutboxEventPublisher, OutboxNotifier, startLocalDynamoDb }, { DynamoDbKeyValueStore, createDynamoDbIdempotencyStore }, { DynamoDBClient }] = await Promise.all([
    import('@cur/adapters-local'),
    import('@cur/adapters-aws'),
    import('@aws-sdk/client-dynamodb'),
  ]);
  await makeOwnerOnly(config.home);
  const lakeDir = join(config.home, 'lake');
  const localServer =
    config.dynamoDbEndpoint === undefined ? await startLocalDynamoDb({ dataDir: join(config.home, 'dynamodb') }) : undefined;
  const dynamoDb = new DynamoDBClient({
    endpoint: config.dynamoDbEndpoint ?? localServer?.endpoint,
    region: config.region,
    // dynalite accepts any credentials; fixed ones keep the SDK from searching the machine for real ones.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stores = new Map<BucketName, BlobStore>();
  const notifier = new OutboxNotifier(join(config.home, 'outbox'));
  const keyVault = new KeyFileVault(join(config.home, 'keys', 'master.key'));
  const events = new OutboxEventPublisher(join(config.home, 'outbox'));
  const keyValueStore = new DynamoDbKeyValueStore(dynamoDb, { tablePrefix: config.tablePrefix, createMissingTables: true });
  return {
    config,
    localLakeDir: lakeDir,
    localScratchDir: join(config.home, 'system-scratch'),
    blobStore: (bucket) => memo(stores, bucket, () => new FsBlobStore(lakeDir, bucket)),
    keyValueStore,
    idempotencyStore: async (table, partition) => createDynamoDbIdempotencyStore(dynamoDb, { tableName: await keyValueStore.ensureTable(table), partition }),
    notifier: () => notifier,
    keyVault: () => keyVault,
    events: () => events,
    close: async () => {
      dynamoDb.destroy();
      await localServer?.close();
    },
  };
}

async function createAwsRuntime(config: PlatformConfig): Promise<Runtime> {
  const topicArnPrefix = config.topicArnPrefix;
  if (topicArnPrefix === undefined) throw new ConfigError('CUR_TOPIC_ARN_PREFIX is required when CUR_MODE=aws');
  const [{ DynamoDbKeyValueStore, EventBridgeEventPublisher, KmsKeyVault, S3BlobStore, SnsNotifier, createDynamoDbIdempotencyStore }, { DynamoDBClient }, { S3Client }, { SNSClient }, { KMSClient }, { EventBridgeClient }] =
    await Promise.all([
      import('@cur/adapters-aws'),
      import('@aws-sdk/client-dynamodb'),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-sns'),
      import('@aws-sdk/client-kms'),
      import('@aws-sdk/client-eventbridge'),
    ]);
  const dynamoDb = new DynamoDBClient({ region: config.region, ...(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {}) });
  const s3 = new S3Client({ region: config.region, ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}) });
  const sns = new SNSClient({ region: config.region });
  const kms = new KMSClient({ region: config.region });
  const eventBridge = new EventBridgeClient({ region: config.region });
  const events = new EventBridgeEventPublisher(eventBridge, config.eventBus);
  const stores = new Map<BucketName, BlobStore>();
  const notifier = new SnsNotifier(sns, topicArnPrefix);
  const keyValueStore = new DynamoDbKeyValueStore(dynamoDb, { tablePrefix: config.tablePrefix });
  return {
    config,
    localLakeDir: undefined,
    localScratchDir: undefined,
    blobStore: (bucket) => memo(stores, bucket, () => new S3BlobStore(s3, `${config.bucketPrefix}-${bucket}`)),
    keyValueStore,
    idempotencyStore: (table, partition) => Promise.resolve(createDynamoDbIdempotencyStore(dynamoDb, { tableName: keyValueStore.physicalName(table), partition })),
    notifier: () => notifier,
    keyVault: () => {
      if (config.maskingKeyId === undefined) throw new ConfigError('CUR_MASKING_KEY_ID is required to mask or unmask in AWS mode');
      return new KmsKeyVault(kms, config.maskingKeyId);
    },
    events: () => events,
    close: async () => {
      dynamoDb.destroy();
      s3.destroy();
      sns.destroy();
      kms.destroy();
      eventBridge.destroy();
    },
  };
}

/** Creates the state folder owner-only, or takes group and other access away from an existing one. */
async function makeOwnerOnly(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { mode } = await stat(dir);
  if ((mode & 0o077) !== 0) await chmod(dir, mode & 0o700);
}

function memo<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** The topics a runtime's notifier publishes to, re-exported for callers that list them. */
export type { TopicName };
