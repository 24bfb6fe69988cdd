import { createLogger } from '@cur/platform';
import { createMetrics, type Metrics } from '@cur/platform/metrics';
import { createTracer, type Tracer } from '@cur/platform/tracing';
import { SERVICE_NAME } from './constants';

/** The service's one logger: allow-listed keys only, the Lambda context added on each invocation. */
export const logger = createLogger({ serviceName: SERVICE_NAME });

/** The service's metrics (`MODEL_HISTORY_METRICS`), flushed as EMF at the end of each invocation. */
export const metrics: Metrics = createMetrics({ serviceName: SERVICE_NAME, logger });

/** The service's X-Ray tracer (off outside Lambda): every DynamoDB and S3 call a subsegment. */
export const tracer: Tracer = createTracer(SERVICE_NAME);
