import type { ApiGatewayV2Request, ApiGatewayV2Response } from '@cur/contracts';
import { ApiGatewayV2RequestSchema } from '@cur/contracts';
import type { Logger } from '@cur/platform';
import { ValidationError, createLogger, isCurError, problemResponse, toProblemResponse } from '@cur/platform';
import { ApiGatewayV2Router, type ApiRouteHandler, type HttpMethod } from '@cur/platform/http-router';
import type { z } from 'zod';
import { parseKeyGroupName } from '../keys/key-groups';
import type { Caller, TokenService } from '../service/token-service';
import { DetokenizeBodySchema, LookupBodySchema, ROUTES, TokenizeBodySchema } from './key-service-routes';

/** Options of {@link createMaskingKeyServiceHandler}. */
export interface MaskingKeyServiceHandlerOptions {
  /** The service's one logger (the Lambda's, with its invocation context). @default a logger named `masking-key-service` */
  readonly logger?: Logger;
}

/** Statuses of the masking and policy libs' own codes. */
const STATUS_BY_CODE = { RATE_LIMITED: 429, POLICY_DENIED: 403, TOKEN_INVALID: 400, KEY_NOT_FOUND: 404, NOT_REVERSIBLE: 400, PLUGIN_FAILED: 502, KEY_GROUP_UNKNOWN: 404, ROTATION_BREAKS_JOINS: 409 } as const;

/**
 * Builds the Lambda entry behind API Gateway (HTTP API, JWT authorizer): SYSTEM's tokenize and detokenize, the
 * applications' one-at-a-time customer lookup, key listing and rotation, all authorized and audited by the token
 * service. Routing is Powertools' HTTP router on the raw path (so explicit routes and an `ANY /v1/{proxy+}` route
 * behave the same); a path or method no route has is 404 `ROUTE_NOT_FOUND` before the token service is built. The
 * caller is who the authorizer says: `sub` and the `cur:role` claim. Request and response bodies are never logged.
 */
export function createMaskingKeyServiceHandler(service: () => Promise<TokenService>, options: MaskingKeyServiceHandlerOptions = {}) {
  const logger = options.logger ?? createLogger({ serviceName: 'masking-key-service' });
  const router = new ApiGatewayV2Router<ApiGatewayV2Request>({
    notFound: (request) => problemResponse(404, 'ROUTE_NOT_FOUND', 'No such route', `this service does not answer ${request.routeKey}`),
    onError: (error, request) => {
      logger.warn('request refused or failed', { routeKey: request.routeKey, role: callerOf(request).role, error });
      const response = toProblemResponse(error, STATUS_BY_CODE);
      const retryAfter = isCurError(error, 'RATE_LIMITED') ? error.details['retryAfterSeconds'] : undefined;
      return retryAfter === undefined ? response : { ...response, headers: { ...response.headers, 'retry-after': String(retryAfter) } };
    },
  });
  const routes: Record<keyof typeof ROUTES, ApiRouteHandler<ApiGatewayV2Request>> = {
    tokenize: async (request) => {
      const tokens = await service();
      const body = parseBody(request, TokenizeBodySchema);
      return ok(await tokens.tokenize(callerOf(request), { dataset: body.dataset, column: body.column, values: body.values, ...(body.keyVersion === undefined ? {} : { keyVersion: body.keyVersion }) }));
    },
    lookup: async (request) => {
      const tokens = await service();
      const body = parseBody(request, LookupBodySchema);
      return ok(await tokens.lookupCustomerToken(callerOf(request), body.nationalId, body.keyVersion));
    },
    detokenize: async (request) => {
      const tokens = await service();
      const body = parseBody(request, DetokenizeBodySchema);
      const caller = callerOf(request);
      const values = await tokens.detokenize(caller, {
        dataset: body.dataset,
        column: body.column,
        values: body.tokens,
        ...(body.keyVersion === undefined ? {} : { keyVersion: body.keyVersion }),
      });
      logger.info('detokenized', { role: caller.role, dataset: body.dataset, column: body.column, count: values.length });
      return ok({ values });
    },
    listKeys: async (request) => ok({ keys: await (await service()).describe(callerOf(request)) }),
    rotateKey: async (request, params) => {
      const tokens = await service();
      // The platform's one key group check (the CLI runs it too): a name the masking policy defines, or 404.
      const keyGroup = parseKeyGroupName(decodePathSegment(params['keyGroup'] ?? ''));
      return ok({ keyGroup, version: await tokens.rotate(callerOf(request), keyGroup) });
    },
  };
  for (const [name, routeKey] of Object.entries(ROUTES) as [keyof typeof ROUTES, string][]) {
    const [method, template] = routeKey.split(' ') as [HttpMethod, string];
    router.route(method, template, routes[name]);
  }

  return async function handleMaskingKeyService(event: unknown, context?: unknown): Promise<ApiGatewayV2Response> {
    const parsed = ApiGatewayV2RequestSchema.safeParse(event);
    if (!parsed.success) {
      return problemResponse(400, 'INVALID_EVENT', 'Invalid event', 'expected an API Gateway HTTP API request, payload format 2.0');
    }
    // The raw path, not decoded: only the key group segment is, by the route.
    return router.resolve(parsed.data, parsed.data.rawPath, context);
  };
}

/** A path segment decoded, or as sent when it is not valid percent-encoding (the key group check refuses it then). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function callerOf(request: ApiGatewayV2Request): Caller {
  const claims = request.requestContext.authorizer?.jwt.claims ?? {};
  const principal = typeof claims['sub'] === 'string' ? claims['sub'] : 'anonymous';
  const role = typeof claims['cur:role'] === 'string' ? claims['cur:role'] : '';
  return { principal, role };
}

function parseBody<T extends z.ZodType>(request: ApiGatewayV2Request, schema: T): z.infer<T> {
  let json: unknown;
  try {
    const text = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64').toString('utf8') : (request.body ?? '');
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('the request body must be JSON');
  }
  const parsed = schema.safeParse(json);
  // The issues name fields and limits; zod's messages do not quote input values.
  if (!parsed.success) throw new ValidationError(`invalid request body: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

function ok(body: unknown): ApiGatewayV2Response {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
