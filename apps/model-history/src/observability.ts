import { createLogger } from '@cur/platform';
import { createTracer, type Tracer } from '@cur/platform/tracing';
import { SERVICE_NAME } from './constants';

/** The service's one logger: allow-listed keys only, the Lambda context added on each invocation. */
export const logger = createLogger({ serviceName: SERVICE_NAME });

/** The service's X-Ray tracer (off outside Lambda): every DynamoDB call a subsegment. */
export const tracer: Tracer = createTracer(SERVICE_NAME);
