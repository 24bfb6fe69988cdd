import { describeLambdaBundle } from '@cur/platform/testing';

// 1.39 MB measured with the exports (from 1.15 MB): the S3 client and the DuckDB engine's JavaScript side; sizes and
// the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: DynamoDB (versions
// and idempotency records) and S3 (the system bucket: the model archives read, the history's exports written).
describeLambdaBundle('model-history', { maxBytes: 1_500_000, sdkClients: ['client-dynamodb', 'client-s3'], nativeDuckDb: true });
