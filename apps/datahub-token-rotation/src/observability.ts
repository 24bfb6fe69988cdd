import { createLogger } from '@cur/platform';
import { SERVICE_NAME } from './constants';

/** The service's one logger: allow-listed keys only (`operation`, `status`, `code`), never a token. */
export const logger = createLogger({ serviceName: SERVICE_NAME });
