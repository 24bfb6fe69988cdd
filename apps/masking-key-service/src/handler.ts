import { asKeyServiceCaller, createMaskingKeyServiceHandler } from '@cur/masking';
import type { TokenService } from '@cur/masking';
import { createLogger, instrumentHandler } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { createTokenService, iamSystemRoleArns } from './wiring';

const logger = createLogger({ serviceName: SERVICE_NAME });

/**
 * The Lambda's logic, from libs/masking (`createMaskingKeyServiceHandler`): the same function serves the loopback key
 * service the Spark mask job calls locally (`startLoopbackKeyService`). Re-exported for this app's tests.
 */
export { createMaskingKeyServiceHandler };

let tokenService: Promise<TokenService> | undefined;

const handleRequest = createMaskingKeyServiceHandler(
  () => {
    tokenService ??= createTokenService().catch((error: unknown) => {
      tokenService = undefined;
      throw error;
    });
    return tokenService;
  },
  { logger },
);

/** Read once per container: the Glue mask job's role, whose calls through the function URL act as SYSTEM. */
const systemRoles = iamSystemRoleArns();

/**
 * The name Lambda invokes (`handler.handler`), behind API Gateway's JWT route and the IAM-authorised function URL (a
 * signed caller becomes the handler's caller by `asKeyServiceCaller`); the token service is built on the first call
 * and reused. Each invocation adds the Lambda context to the logger.
 */
export const handler = instrumentHandler((event: unknown) => handleRequest(asKeyServiceCaller(event, systemRoles)), { logger });
