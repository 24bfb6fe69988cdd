import { describeLambdaBundle } from '@cur/platform/testing';

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: landing and quarantine (S3), the batch ledger (DynamoDB), Batch Accepted (EventBridge).
describeLambdaBundle('ingestion-controller', { maxBytes: 2_050_000, sdkClients: ['client-dynamodb', 'client-eventbridge', 'client-s3'] });
