import { describeLambdaBundle } from '@cur/platform/testing';

// Its one port is the system bucket (S3); SSM and Secrets Manager are read through the Lambda extension, no client.
// 1.13 MB measured: the S3 client, zod, the contracts and the masking policy the lineage is built from.
describeLambdaBundle('lineage-emitter', { maxBytes: 1_200_000, sdkClients: ['client-s3'] });
