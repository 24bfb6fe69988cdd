import { describeLambdaBundle } from '@cur/platform/testing';

// Its ports: the ledger and the idempotency records (DynamoDB). MWAA is called through the SigV4 signer, not an SDK
// client. Measured 1.65 MB: zod, the DynamoDB client, the X-Ray SDK and libs/ingestion's ledger (which brings iconv-lite).
describeLambdaBundle('pipeline-trigger', { maxBytes: 1_750_000, sdkClients: ['client-dynamodb'] });
