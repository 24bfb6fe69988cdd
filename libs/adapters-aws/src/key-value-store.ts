/** The DynamoDB side of the key-value port. Powertools Idempotency's layer is its own subpath (`./idempotency`). */
export { DynamoDbKeyValueStore } from './dynamodb-key-value-store';
export type { DynamoDbKeyValueStoreOptions } from './dynamodb-key-value-store';
