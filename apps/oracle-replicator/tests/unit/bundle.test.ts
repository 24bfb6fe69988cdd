import { describeLambdaBundle } from '@cur/platform/testing';

describeLambdaBundle('oracle-replicator');
