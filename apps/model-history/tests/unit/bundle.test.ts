import { describeLambdaBundle } from '@cur/platform/testing';

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: DynamoDB (versions and idempotency records).
describeLambdaBundle('model-history', { maxBytes: 1_400_000, sdkClients: ['client-dynamodb'] });
