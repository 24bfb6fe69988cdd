import { createMaskingKeyServiceHandler } from '@cur/masking';
import type { TokenService } from '@cur/masking';
import { createLogger, instrumentHandler } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { createTokenService } from './wiring';

const logger = createLogger({ serviceName: SERVICE_NAME });

/**
 * The Lambda's logic, from libs/masking (`createMaskingKeyServiceHandler`): the same function serves the loopback key
 * service the Spark mask job calls locally (`startLoopbackKeyService`). Re-exported for this app's tests.
 */
export { createMaskingKeyServiceHandler };

let tokenService: Promise<TokenService> | undefined;

/**
 * The name Lambda invokes (`handler.handler`); the token service is built on the first call and reused. Each
 * invocation adds the Lambda context to the logger.
 */
export const handler = instrumentHandler(
  createMaskingKeyServiceHandler(
    () => {
      tokenService ??= createTokenService().catch((error: unknown) => {
        tokenService = undefined;
        throw error;
      });
      return tokenService;
    },
    { logger },
  ),
  { logger },
);
