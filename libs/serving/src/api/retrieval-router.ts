import type { ApiGatewayV2Request, ApiGatewayV2Response } from '@cur/contracts';
import { problemResponse } from '@cur/platform';
import { ApiGatewayV2Router, type ApiErrorHandler, type HttpMethod } from '@cur/platform/http-router';
import { ServingError } from '../serving-error';
import { routePath } from './request';
import { ROUTES, type RouteSpec } from './routes';

/** Answers one routed call of a route of {@link ROUTES}. */
export type RetrievalRouteHandler = (route: RouteSpec, request: ApiGatewayV2Request, params: Readonly<Record<string, string>>) => Promise<ApiGatewayV2Response>;

/**
 * The retrieval API's router: Powertools' HTTP router with a route per entry of {@link ROUTES} (the table the
 * OpenAPI document is generated from), 404 `ROUTE_NOT_FOUND` through `onError` for a path no route has, 405 with
 * `Allow` for a method its routes do not take.
 */
export function createRetrievalRouter(answer: RetrievalRouteHandler, onError: ApiErrorHandler<ApiGatewayV2Request>): ApiGatewayV2Router<ApiGatewayV2Request> {
  const router = new ApiGatewayV2Router<ApiGatewayV2Request>({
    notFound: (request) => onError(new ServingError('ROUTE_NOT_FOUND', `this API has no route ${request.requestContext.http.method} for this path; see /openapi.json`), request, 'unmatched'),
    methodNotAllowed: (_request, allowed) => {
      const response = problemResponse(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', `this path answers ${allowed.join(', ')}`);
      return { ...response, headers: { ...response.headers, allow: allowed.join(', ') } };
    },
    onError,
  });
  for (const route of ROUTES) router.route(route.method, route.path, (request, params) => answer(route, request, params));
  return router;
}

let paths: ApiGatewayV2Router<ApiGatewayV2Request> | undefined;

/** The router's answers about paths alone, with no handler behind it. */
function pathRouter(): ApiGatewayV2Router<ApiGatewayV2Request> {
  paths ??= createRetrievalRouter(
    () => Promise.reject(new Error('the path router answers no request')),
    () => problemResponse(500, 'INTERNAL', 'Internal error'),
  );
  return paths;
}

/**
 * The retrieval API's paths as its router matches them, for a gateway in front of the handler (`cur serve`), which
 * answers a path without a route 404 before it asks for a token, as API Gateway does.
 */
export const RETRIEVAL_API_PATHS = {
  /** Whether a route has this raw path (percent-encoded, on the `$default` stage), with any method. */
  hasPath(rawPath: string): boolean {
    const path = routePath(rawPath, '$default');
    return path !== undefined && pathRouter().hasPath(path);
  },
  /** The methods the raw path's routes answer; empty when no route has it. */
  allowedMethods(rawPath: string): readonly HttpMethod[] {
    const path = routePath(rawPath, '$default');
    return path === undefined ? [] : pathRouter().allowedMethods(path);
  },
} as const;
