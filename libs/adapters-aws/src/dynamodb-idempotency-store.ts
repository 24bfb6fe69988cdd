import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';

/** Options of {@link createDynamoDbIdempotencyStore}. */
export interface DynamoDbIdempotencyStoreOptions {
  /** The physical name of a platform table (keyed `pk`/`sk` strings, like every platform table). */
  readonly tableName: string;
  /**
   * The partition (`pk`) the records live in, one per idempotent operation, e.g. `idempotency#dq-alert`; each
   * record's `sk` is the hashed idempotency key. Naming it here, not after the Lambda function, keeps the records
   * valid when a function is renamed and lets the local CLI and the Lambda share one layout.
   */
  readonly partition: string;
}

/**
 * Powertools Idempotency's DynamoDB persistence layer on a platform table: the records (in progress, completed with
 * the stored result, removed when the operation throws) are items of `partition`, so one table can hold several
 * operations' records beside other items. The same class runs against DynamoDB in AWS and dynalite on a laptop.
 *
 * @example
 * const store = createDynamoDbIdempotencyStore(client, { tableName: 'cur-dev-dq-alerts', partition: 'idempotency#dq-alert' });
 * const publishOnce = makeIdempotent(publish, { persistenceStore: store, config: new IdempotencyConfig({ eventKeyJmesPath: 'dedupeKey' }) });
 */
export function createDynamoDbIdempotencyStore(client: DynamoDBClient, options: DynamoDbIdempotencyStoreOptions): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({ tableName: options.tableName, keyAttr: 'pk', sortKeyAttr: 'sk', staticPkValue: options.partition, awsSdkV3Client: client });
}
