import { describeLambdaBundle } from '@cur/platform/testing';

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: no port wired yet.
describeLambdaBundle('model-history', { maxBytes: 600_000, sdkClients: [] });
