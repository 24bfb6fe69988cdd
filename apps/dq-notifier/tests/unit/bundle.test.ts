import { describeLambdaBundle } from '@cur/platform/testing';

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: Glue DQ results, SNS alerts, DynamoDB idempotency records.
describeLambdaBundle('dq-notifier', { maxBytes: 1_650_000, sdkClients: ['client-dynamodb', 'client-glue', 'client-sns'] });
