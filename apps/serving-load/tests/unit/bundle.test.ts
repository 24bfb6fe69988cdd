import { describeLambdaBundle } from '@cur/platform/testing';

// Its ports are the lake (S3) and the serving table (DynamoDB). 1.36 MB measured: the two clients, zod, Powertools'
// parser, tracer, logger and metrics, libs/serving's load and the DuckDB engine's JavaScript side.
describeLambdaBundle('serving-load', { maxBytes: 1_500_000, sdkClients: ['client-dynamodb', 'client-s3'], nativeDuckDb: true });
