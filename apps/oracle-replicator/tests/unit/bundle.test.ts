import { describeLambdaBundle } from '@cur/platform/testing';

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: the lake (S3), failures (SNS), the DMS task.
describeLambdaBundle('oracle-replicator', { maxBytes: 2_250_000, sdkClients: ['client-database-migration-service', 'client-s3', 'client-sns'] });
