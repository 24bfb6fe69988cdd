import { createLogger } from '@cur/platform';
import { createTracer, type Tracer } from '@cur/platform/tracing';
import { SERVICE_NAME } from './constants';

/** The service's one logger, shared by the handler and the replicator: the Lambda context added on each invocation. */
export const logger = createLogger({ serviceName: SERVICE_NAME });

/** The service's X-Ray tracer (tracing is active in the CDK; off outside Lambda): every S3, SNS and DMS call a subsegment. */
export const tracer: Tracer = createTracer(SERVICE_NAME);
