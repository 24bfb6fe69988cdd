import { describeLambdaBundle } from '@cur/platform/testing';

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: keys and the audit log (DynamoDB), the master key (KMS).
describeLambdaBundle('masking-key-service', { maxBytes: 1_300_000, sdkClients: ['client-dynamodb', 'client-kms'] });
