import { describeLambdaBundle } from '@cur/platform/testing';

describeLambdaBundle('model-history');
