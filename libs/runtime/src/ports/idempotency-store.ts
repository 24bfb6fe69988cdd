import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { TableName } from '@cur/contracts';
import type { KeyValuePorts } from './key-value-store';

/**
 * Powertools Idempotency's DynamoDB persistence layer on a platform table (subpath `@cur/runtime/idempotency`), on
 * the client of `ports` (dynalite locally, DynamoDB in AWS), its records in the partition `partition`. Locally the
 * table is created first if missing. One per idempotent operation: a persistence layer keeps its configuration.
 * Its own subpath, so only services that use Idempotency bundle it.
 *
 * @example
 * const keyValue = await createKeyValuePorts(config);
 * const store = await createIdempotencyStore(keyValue, 'dq-alerts', 'idempotency#dq-alert');
 */
export async function createIdempotencyStore(ports: KeyValuePorts, table: TableName, partition: string): Promise<BasePersistenceLayer> {
  const { createDynamoDbIdempotencyStore } = await import('@cur/adapters-aws/idempotency');
  return createDynamoDbIdempotencyStore(ports.dynamoDb, { tableName: await ports.tableName(table), partition });
}
