import { describeLambdaBundle } from '@cur/platform/testing';

// Its one port is the secret it rotates (Secrets Manager); DataHub is plain fetch.
describeLambdaBundle('datahub-token-rotation', { maxBytes: 900_000, sdkClients: ['client-secrets-manager'] });
