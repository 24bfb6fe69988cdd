import { describeLambdaBundle } from '@cur/platform/testing';

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: the lake (S3), failures (SNS), the DMS task,
// and the model history's scoring pointer (DynamoDB): model tags of a version no longer promoted are not replicated.
describeLambdaBundle('oracle-replicator', { maxBytes: 2_250_000, sdkClients: ['client-database-migration-service', 'client-dynamodb', 'client-s3', 'client-sns'] });
