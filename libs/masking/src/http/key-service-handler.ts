import type { ApiGatewayV2Request, ApiGatewayV2Response } from '@cur/contracts';
import { ApiGatewayV2RequestSchema } from '@cur/contracts';
import type { Logger } from '@cur/platform';
import { ValidationError, createLogger, isCurError, problemResponse, toProblemResponse } from '@cur/platform';
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
 * service. The caller is who the authorizer says: `sub` and the `cur:role` claim. Request and response bodies
 * are never logged.
 */
export function createMaskingKeyServiceHandler(service: () => Promise<TokenService>, options: MaskingKeyServiceHandlerOptions = {}) {
  const logger = options.logger ?? createLogger({ serviceName: 'masking-key-service' });
  return async function handleMaskingKeyService(event: unknown): Promise<ApiGatewayV2Response> {
    const parsed = ApiGatewayV2RequestSchema.safeParse(event);
    if (!parsed.success) {
      return problemResponse(400, 'INVALID_EVENT', 'Invalid event', 'expected an API Gateway HTTP API request, payload format 2.0');
    }
    const request = parsed.data;
    const caller = callerOf(request);
    try {
      const tokens = await service();
      const route = routeOf(request);
      switch (route.key) {
        case ROUTES.tokenize: {
          const body = parseBody(request, TokenizeBodySchema);
          return ok(
            await tokens.tokenize(caller, { dataset: body.dataset, column: body.column, values: body.values, ...(body.keyVersion === undefined ? {} : { keyVersion: body.keyVersion }) }),
          );
        }
        case ROUTES.lookup: {
          const body = parseBody(request, LookupBodySchema);
          return ok(await tokens.lookupCustomerToken(caller, body.nationalId, body.keyVersion));
        }
        case ROUTES.detokenize: {
          const body = parseBody(request, DetokenizeBodySchema);
          const values = await tokens.detokenize(caller, {
            dataset: body.dataset,
            column: body.column,
            values: body.tokens,
            ...(body.keyVersion === undefined ? {} : { keyVersion: body.keyVersion }),
          });
          logger.info('detokenized', { role: caller.role, dataset: body.dataset, column: body.column, count: values.length });
          return ok({ values });
        }
        case ROUTES.listKeys:
          return ok({ keys: await tokens.describe(caller) });
        case ROUTES.rotateKey: {
          // The platform's one key group check (the CLI runs it too): a name the masking policy defines, or 404.
          const keyGroup = parseKeyGroupName(route.keyGroup);
          return ok({ keyGroup, version: await tokens.rotate(caller, keyGroup) });
        }
        default:
          return problemResponse(404, 'ROUTE_NOT_FOUND', 'No such route', `this service does not answer ${request.routeKey}`);
      }
    } catch (error) {
      logger.warn('request refused or failed', { routeKey: request.routeKey, role: caller.role, error });
      const response = toProblemResponse(error, STATUS_BY_CODE);
      const retryAfter = isCurError(error, 'RATE_LIMITED') ? error.details['retryAfterSeconds'] : undefined;
      return retryAfter === undefined ? response : { ...response, headers: { ...response.headers, 'retry-after': String(retryAfter) } };
    }
  };
}

/**
 * The route from the method and path, so the handler answers the same behind explicit routes and behind a
 * `ANY /v1/{proxy+}` route (where API Gateway's routeKey says nothing about the path).
 */
function routeOf(request: ApiGatewayV2Request): { key: string; keyGroup?: string } {
  const method = request.requestContext.http.method.toUpperCase();
  const path = request.rawPath.replace(/\/+$/, '');
  const rotate = /^\/v1\/keys\/([^/]+)\/rotate$/.exec(path);
  if (method === 'POST' && rotate) return { key: ROUTES.rotateKey, keyGroup: decodePathSegment(rotate[1] ?? '') };
  return { key: `${method} ${path}` };
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
