import { createLogger } from '@cur/platform';
import { SERVICE_NAME } from './constants';

/** The service's one logger, shared by the handler and the replicator: the Lambda context added on each invocation. */
export const logger = createLogger({ serviceName: SERVICE_NAME });
