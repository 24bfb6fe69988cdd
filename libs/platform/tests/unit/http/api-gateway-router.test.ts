import { describe, expect, it } from 'vitest';
import type { ApiGatewayV2Request } from '@cur/contracts';
import { ApiGatewayV2Router } from '../../../src/http/api-gateway-router';
import { problemResponse } from '../../../src/http/problem-response';

/** A validated request with only what the router reads (the method); the path is what the app passes. */
const request = (method: string, body?: string): ApiGatewayV2Request =>
  ({ version: '2.0', routeKey: '$default', rawPath: '/ignored', rawQueryString: '', headers: { host: 'evil.example/elsewhere' }, isBase64Encoded: false, body, requestContext: { http: { method } } }) as unknown as ApiGatewayV2Request;

const echo = (name: string) => (_request: ApiGatewayV2Request, params: Readonly<Record<string, string>>) =>
  Promise.resolve({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, params }) });

function router(withMethodNotAllowed = true) {
  return new ApiGatewayV2Router<ApiGatewayV2Request>({
    notFound: () => problemResponse(404, 'ROUTE_NOT_FOUND', 'Not found'),
    ...(withMethodNotAllowed ? { methodNotAllowed: (_request, allowed) => ({ ...problemResponse(405, 'METHOD_NOT_ALLOWED', 'Method not allowed'), headers: { allow: allowed.join(', ') } }) } : {}),
    onError: (error, _request, route) => problemResponse(500, 'INTERNAL', 'Internal error', `${route}: ${error instanceof Error ? error.message : 'unknown'}`),
  })
    .route('GET', '/v1/customers/{token}/tags', echo('tags'))
    .route('POST', '/v1/customers:batchGet', echo('batchGet'))
    .route('POST', '/v1/customers/lookup', echo('lookup'))
    .route('GET', '/v1/fails', () => Promise.reject(new Error('boom')));
}

const answer = async (routes: ReturnType<typeof router>, method: string, path: string) => {
  const response = await routes.resolve(request(method, method === 'GET' ? '{"ignored":true}' : undefined), path);
  return { status: response.statusCode, headers: response.headers ?? {}, body: JSON.parse(response.body ?? '{}') as Record<string, unknown> };
};

describe('Class: ApiGatewayV2Router', () => {
  it('routes by method and path template, with the parameters as the app passed them', async () => {
    const routes = router();
    expect((await answer(routes, 'GET', '/v1/customers/Q200000002/tags')).body).toEqual({ name: 'tags', params: { token: 'Q200000002' } });
    expect((await answer(routes, 'GET', '/v1/customers/v1.a-b_c~d/tags/')).body).toEqual({ name: 'tags', params: { token: 'v1.a-b_c~d' } });
    expect((await answer(routes, 'POST', '/v1/customers:batchGet')).body).toEqual({ name: 'batchGet', params: {} });
    expect((await answer(routes, 'GET', '/v1/customers/客戶 %/tags')).body).toEqual({ name: 'tags', params: { token: '客戶 %' } });
  });

  it('matches segment by segment: dot segments are not resolved, a parameter of spaces is a parameter', async () => {
    const routes = router();
    expect((await answer(routes, 'GET', '/v1/customers/../tags')).body).toEqual({ name: 'tags', params: { token: '..' } });
    expect((await answer(routes, 'GET', '/v1/customers/   /tags')).body).toEqual({ name: 'tags', params: { token: '   ' } });
    expect((await answer(routes, 'GET', '/v1/x/../customers/Q200000002/tags')).status).toBe(404);
    expect((await answer(routes, 'POST', '/v1/customers%3AbatchGet')).status).toBe(404);
  });

  it('answers 405 with the allowed methods when the app asks for it, else 404; a throwing route goes to onError with its template', async () => {
    const wrongMethod = await answer(router(), 'GET', '/v1/customers/lookup');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('POST');
    expect((await answer(router(false), 'GET', '/v1/customers/lookup')).status).toBe(404);
    expect((await answer(router(), 'GET', '/v1/accounts')).status).toBe(404);
    expect(await answer(router(), 'GET', '/v1/fails')).toMatchObject({ status: 500, body: { detail: 'GET /v1/fails: boom' } });
  });

  it('tells whether a path has a route, and which methods it answers, without running a handler', () => {
    const routes = router();
    expect(routes.hasPath('/v1/customers/lookup')).toBe(true);
    expect(routes.hasPath('/v1/customers/Q200000002/tags')).toBe(true);
    expect(routes.hasPath('/v1/customers')).toBe(false);
    expect(routes.allowedMethods('/v1/customers:batchGet')).toEqual(['POST']);
    expect(routes.allowedMethods('/v1/nothing')).toEqual([]);
  });

  it('refuses a route added after the first request', async () => {
    const routes = router();
    await answer(routes, 'GET', '/v1/accounts');
    expect(() => routes.route('GET', '/v1/late', echo('late'))).toThrow(/after the first request/);
  });
});
