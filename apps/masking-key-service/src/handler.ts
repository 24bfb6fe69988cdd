import type { ApiGatewayV2Response } from '@cur/contracts';
import { ApiGatewayV2RequestSchema } from '@cur/contracts';
import { createLogger, problemResponse, toProblemResponse } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { maskingKeyService } from './core';

const logger = createLogger({ serviceName: SERVICE_NAME });

/**
 * The Lambda entry behind API Gateway (HTTP API, payload 2.0): validates the request, calls the use case, maps
 * errors to RFC 9457 problems. Never logs the event.
 */
export async function handleMaskingKeyService(event: unknown): Promise<ApiGatewayV2Response> {
  const parsed = ApiGatewayV2RequestSchema.safeParse(event);
  if (!parsed.success) {
    logger.warn('rejected a request that is not an API Gateway v2 event', { status: 'invalid-event' });
    return problemResponse(400, 'INVALID_EVENT', 'Invalid event', 'expected an API Gateway HTTP API request, payload format 2.0');
  }
  try {
    const claims = parsed.data.requestContext.authorizer?.jwt.claims;
    const role = typeof claims?.['cur:role'] === 'string' ? claims['cur:role'] : undefined;
    maskingKeyService({ routeKey: parsed.data.routeKey, role });
  } catch (error) {
    logger.error('request failed', { routeKey: parsed.data.routeKey, error });
    return toProblemResponse(error);
  }
}

/** The name Lambda invokes (`handler.handler`). */
export const handler = handleMaskingKeyService;
