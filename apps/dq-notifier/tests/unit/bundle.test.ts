import { describeLambdaBundle } from '@cur/platform/testing';

describeLambdaBundle('dq-notifier');
