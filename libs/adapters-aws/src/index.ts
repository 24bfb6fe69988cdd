export { DynamoDbKeyValueStore } from './dynamodb-key-value-store';
export type { DynamoDbKeyValueStoreOptions } from './dynamodb-key-value-store';
export { S3BlobStore } from './s3-blob-store';
export type { S3BlobStoreOptions } from './s3-blob-store';
export { SnsNotifier } from './sns-notifier';
export { KmsKeyVault } from './kms-key-vault';
export { EventBridgeEventPublisher } from './eventbridge-event-publisher';
export { GlueDqResultSource } from './glue-dq-result-source';
export type { GlueDqEvaluation, GlueRuleResult } from './glue-dq-result-source';
