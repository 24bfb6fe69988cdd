import { describeLambdaBundle } from '@cur/platform/testing';

// Its one port is the system bucket (S3); SSM and Secrets Manager are read through the Lambda extension, no client.
// 1.26 MB measured: the S3 client, zod, the contracts and the masking policy the lineage is built from, and Powertools'
// tracer (about 125 KB) so its S3 calls are X-Ray subsegments like every other Lambda's.
describeLambdaBundle('lineage-emitter', { maxBytes: 1_400_000, sdkClients: ['client-s3'] });
