import { createLogger } from '@cur/platform';
import { createMetrics, type Metrics } from '@cur/platform/metrics';
import { SERVICE_NAME } from './constants';

/** The service's one logger: allow-listed keys only, the Lambda context added on each invocation. */
export const logger = createLogger({ serviceName: SERVICE_NAME });

/** The service's metrics (`LINEAGE_EMITTER_METRICS`), flushed as EMF at the end of each invocation. */
export const metrics: Metrics = createMetrics({ serviceName: SERVICE_NAME, logger });
