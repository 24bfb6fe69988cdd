import { describeLambdaBundle } from '@cur/platform/testing';

describeLambdaBundle('masking-key-service');
