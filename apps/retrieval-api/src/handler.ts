import { createLogger, instrumentHandler } from '@cur/platform';
import type { RetrievalApiDependencies } from '@cur/serving';
import { createRetrievalApiHandler } from '@cur/serving';
import { SERVICE_NAME } from './constants';
import { createRetrievalApiDependencies } from './wiring';

/**
 * The retrieval API's logic lives in `@cur/serving` so that this Lambda and `cur serve` run the same function with
 * the same API Gateway v2 events; it is re-exported here as the service's business function.
 */
export { createRetrievalApiHandler };

/** The service's one logger; each invocation adds the Lambda context to it (`function_request_id`, `cold_start`). */
const logger = createLogger({ serviceName: SERVICE_NAME });

let dependencies: Promise<RetrievalApiDependencies> | undefined;

/**
 * The name Lambda invokes (`handler.handler`). The runtime and the key service client are built on the first call
 * that needs them (`/openapi.json` and refusals do not) and reused; a failed build is retried on the next call.
 */
export const handler = instrumentHandler(
  createRetrievalApiHandler(
    () => {
      dependencies ??= createRetrievalApiDependencies().catch((error: unknown) => {
        dependencies = undefined;
        throw error;
      });
      return dependencies;
    },
    { logger },
  ),
  { logger },
);
