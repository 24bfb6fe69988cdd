import { join } from 'node:path';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { TableName, TopicName } from '@cur/contracts';
import { ZONES } from '@cur/contracts';
import type { BlobStore, EventPublisher, KeyValueStore, KeyVault, Notifier, PlatformConfig } from '@cur/platform';
import { EXTRA_BUCKETS, createBlobStores, type BucketName } from './ports/blob-stores';
import { createEventPublisher } from './ports/event-publisher';
import { createIdempotencyStore } from './ports/idempotency-store';
import { createKeyValuePorts } from './ports/key-value-store';
import { createKeyVault } from './ports/key-vault';
import { createNotifier } from './ports/notifier';
import type { PortFactoryOptions } from './ports/port-factory-options';

export { EXTRA_BUCKETS };
export type { BucketName };

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
   * ones included (a Big5 batch's UTF-8 copy, the demo's extracts until pushed), instead of the OS temp folder. The
   * CLI lets one process at a time use it (a lock file beside it), so whatever a run finds there is left by a killed
   * one and is swept.
   * `undefined` in AWS: Glue and Lambda steps use their own local temp folder.
   */
  readonly localScratchDir: string | undefined;
  /** Stops what the runtime started (the local DynamoDB server, SDK clients). */
  close(): Promise<void>;
}

/**
 * Wires the local or the AWS adapters of every port from configuration: the one place that knows the difference.
 * The CLI and tests use it; a Lambda wires only its own ports with the per-port factories (`createBlobStores`,
 * `createKeyValuePorts`, `createNotifier`, `createEventPublisher`, `createKeyVault`, each its own subpath), which
 * this composes, so its bundle carries no other SDK client.
 *
 * Locally: a folder per bucket under `<home>/lake`, dynalite with its data under `<home>/dynamodb`, shared by every
 * process on the state folder (the first to need it serves it; unless CUR_DYNAMODB_ENDPOINT points at one), and an outbox under `<home>/outbox`. The state
 * folder is made owner-only (0700) first, an existing one narrowed, so nothing under it is reachable by other users
 * whatever modes older files have; the adapters write files 0600 and folders 0700 themselves.
 * In AWS: S3, DynamoDB, SNS, EventBridge and KMS through the SDK, with names derived from the stage.
 *
 * @param options - `captureClient` is applied to every SDK client (a tracer's `captureAWSv3Client`)
 * @example
 * const runtime = await createRuntime(loadPlatformConfig());
 * try { await runtime.blobStore('raw').put('x.txt', 'hello'); } finally { await runtime.close(); }
 */
export async function createRuntime(config: PlatformConfig, options: PortFactoryOptions = {}): Promise<Runtime> {
  // The notifier first: in AWS it fails on a missing CUR_TOPIC_ARN_PREFIX before anything else is created.
  const notifier = await createNotifier(config, options);
  const blobs = await createBlobStores(config, options);
  const keyValue = await createKeyValuePorts(config, options);
  const events = await createEventPublisher(config, options);
  const keyVault = await createKeyVault(config, options);
  return {
    config,
    localLakeDir: blobs.localLakeDir,
    localScratchDir: config.mode === 'local' ? join(config.home, 'system-scratch') : undefined,
    blobStore: (bucket) => blobs.get(bucket),
    keyValueStore: keyValue.keyValueStore,
    idempotencyStore: (table, partition) => createIdempotencyStore(keyValue, table, partition),
    notifier: () => notifier.notifier,
    keyVault: () => keyVault.keyVault(),
    events: () => events.events,
    close: async () => {
      await Promise.all([notifier.close(), blobs.close(), keyValue.close(), events.close(), keyVault.close()]);
    },
  };
}

/** The topics a runtime's notifier publishes to, re-exported for callers that list them. */
export type { TopicName };
