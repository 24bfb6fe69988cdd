import { describeLambdaBundle } from '@cur/platform/testing';

describeLambdaBundle('ingestion-controller');
