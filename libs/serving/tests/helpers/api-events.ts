import { readFileSync } from 'node:fs';
import type { ApiGatewayV2Response } from '@cur/contracts';

type Event = Record<string, unknown> & { requestContext: Record<string, unknown>; headers: Record<string, string> };

/** The real API Gateway v2 event in tests/events. */
export const realEvent = (): Event => JSON.parse(readFileSync(new URL('../events/apigw-v2-request.json', import.meta.url), 'utf8')) as Event;

/** Options of {@link apiEvent}. */
export interface ApiEventOptions {
  /** The `cur:role` claim; `null` sends claims without a role, `undefined` no authorizer at all. */
  readonly role?: string | null;
  readonly body?: unknown;
  /** Raw body text, sent as is. */
  readonly rawBody?: string;
  readonly routeKey?: string;
  readonly stage?: string;
  readonly bearer?: string;
}

/**
 * The real event with another method, path, query, body and caller, as API Gateway would deliver them behind an
 * `ANY /v1/{proxy+}` route (the route key says nothing about the path; the handler routes by method and path).
 */
export function apiEvent(method: string, pathAndQuery: string, options: ApiEventOptions = {}): Event {
  const event = realEvent();
  const [rawPath = '/', rawQueryString = ''] = pathAndQuery.split('?');
  const queryStringParameters = rawQueryString ? Object.fromEntries(new URLSearchParams(rawQueryString)) : undefined;
  const routeKey = options.routeKey ?? 'ANY /v1/{proxy+}';
  const claims = options.role === undefined ? undefined : options.role === null ? { sub: 'app-crm' } : { sub: `user-${options.role}`, 'cur:role': options.role };
  const { authorizer: _authorizer, ...context } = event.requestContext;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    ...event,
    routeKey,
    rawPath,
    rawQueryString,
    headers: { ...event.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}) },
    ...(queryStringParameters ? { queryStringParameters } : {}),
    pathParameters: { proxy: rawPath.replace(/^\/v1\//, '') },
    ...(body === undefined ? { body: undefined } : { body }),
    requestContext: {
      ...context,
      routeKey,
      ...(options.stage ? { stage: options.stage } : {}),
      http: { ...(event.requestContext['http'] as Record<string, unknown>), method, path: rawPath },
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
  };
}

/** A response's JSON body. */
export const json = (response: ApiGatewayV2Response): Record<string, unknown> => JSON.parse(response.body ?? '{}') as Record<string, unknown>;
