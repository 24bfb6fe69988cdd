export { FsBlobStore, writeFileAtomic } from './fs-blob-store';
export { OutboxNotifier } from './outbox-notifier';
export type { OutboxEntry } from './outbox-notifier';
export { startLocalDynamoDb } from './local-dynamodb';
export type { LocalDynamoDb, LocalDynamoDbOptions } from './local-dynamodb';
export { KeyFileVault } from './key-file-vault';
export { OutboxEventPublisher } from './outbox-event-publisher';
export { DuckDbSqlEngine } from './duckdb-sql-engine';
