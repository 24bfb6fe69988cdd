import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiGatewayV2Response } from '@cur/contracts';

/** API Gateway's payload limit; a larger body is refused before the handler, as API Gateway would. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Content types passed to the handler as text; anything else is base64, as API Gateway does. */
const TEXT_CONTENT = /^(?:text\/|application\/(?:json|problem\+json|xml|x-www-form-urlencoded|[\w.+-]+\+json))/i;

const EMPTY = Buffer.alloc(0);

/**
 * The request body of a local server standing where API Gateway stands (`cur serve`, the loopback key service).
 * A request with neither `content-length` nor `transfer-encoding` has none and is not waited on.
 *
 * @returns the body; undefined when it is over `maxBytes` (the rest is read and dropped)
 */
export function readRequestBody(request: IncomingMessage, maxBytes: number = MAX_REQUEST_BYTES): Promise<Buffer | undefined> {
  if (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined) {
    request.resume();
    return Promise.resolve(EMPTY);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Options of {@link toApiGatewayEvent}. */
export interface ApiGatewayEventOptions {
  /** The JWT authorizer's claims; none when the route has no authorizer. */
  readonly claims?: Readonly<Record<string, string>>;
  /** @default now */
  readonly receivedAt?: Date;
  /** `requestContext.apiId`, naming the local server. @default 'cur-local' */
  readonly apiId?: string;
  /** Only these (lower-case) headers reach the event. @default every header */
  readonly keepHeaders?: readonly string[];
}

/**
 * Turns an HTTP request into the API Gateway HTTP API event (payload 2.0) a `$default` route delivers: lower-case
 * headers (repeats joined with commas), cookies apart, the query string raw and parsed, text bodies as text and
 * others base64, and the authorizer's claims when a token was verified.
 */
export function toApiGatewayEvent(request: IncomingMessage, body: Buffer, options: ApiGatewayEventOptions = {}): Record<string, unknown> {
  const receivedAt = options.receivedAt ?? new Date();
  const keep = options.keepHeaders === undefined ? undefined : new Set(options.keepHeaders);
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] ?? '').toLowerCase();
    const value = request.rawHeaders[i + 1] ?? '';
    if (keep !== undefined && !keep.has(name)) continue;
    if (name === 'cookie') cookies = [...(cookies ?? []), ...value.split(/;\s*/).filter(Boolean)];
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) query[name] = name in query ? `${query[name]},${value}` : value;
  const text = TEXT_CONTENT.test(headers['content-type'] ?? 'application/json');
  const method = request.method ?? 'GET';
  const host = headers['host'] ?? 'localhost';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: options.apiId ?? 'cur-local',
      domainName: host,
      domainPrefix: host.split('.')[0],
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: apiGatewayTime(receivedAt),
      timeEpoch: receivedAt.getTime(),
      http: { method, path: rawPath, protocol: `HTTP/${request.httpVersion}`, sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

/** Writes a handler's structured result as the HTTP response, cookies as `set-cookie`. */
export function sendApiGatewayResponse(response: ServerResponse, result: ApiGatewayV2Response): void {
  const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
  const cookies = (result as { cookies?: string[] }).cookies;
  if (cookies && cookies.length > 0) headers['set-cookie'] = cookies;
  const body = result.body === undefined ? EMPTY : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode, { ...headers, 'content-length': String(body.length) });
  response.end(body);
}

/** API Gateway's `requestContext.time`: `07/Dec/2026:05:04:17 +0000`. */
function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
