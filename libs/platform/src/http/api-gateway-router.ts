import { HttpVerbs, Router } from '@aws-lambda-powertools/event-handler/http';
import type { HandlerResponse, Path } from '@aws-lambda-powertools/event-handler/types';
import type { ApiGatewayV2Request, ApiGatewayV2Response } from '@cur/contracts';

/** The methods an HTTP API passes to a Lambda (Powertools' `HttpVerbs`). */
export type HttpMethod = keyof typeof HttpVerbs;

/** A route's handler: the validated request and its path parameters, as the app matched the path. */
export type ApiRouteHandler<R extends ApiGatewayV2Request> = (request: R, params: Readonly<Record<string, string>>) => Promise<ApiGatewayV2Response>;

/** What a route answers when it throws: `route` is its template (`POST /v1/keys/{keyGroup}/rotate`). */
export type ApiErrorHandler<R extends ApiGatewayV2Request> = (error: unknown, request: R, route: string) => ApiGatewayV2Response;

/** Options of {@link ApiGatewayV2Router}. */
export interface ApiGatewayV2RouterOptions<R extends ApiGatewayV2Request> {
  /** The answer for a path no route has (for a method no route has, too, unless `methodNotAllowed` is given). */
  readonly notFound: (request: R) => ApiGatewayV2Response;
  /** The answer for a path that has routes, but for other methods. @default none: `notFound` answers */
  readonly methodNotAllowed?: (request: R, allowed: readonly HttpMethod[]) => ApiGatewayV2Response;
  /** The answer when a route's handler throws. */
  readonly onError: ApiErrorHandler<R>;
}

/**
 * Powertools' HTTP router (`@aws-lambda-powertools/event-handler/http`) for API Gateway HTTP API requests (payload
 * 2.0) the app has already validated, shared by a Lambda and the local servers that run its handler.
 *
 * Routes are path templates in OpenAPI syntax (`/v1/customers/{token}/tags`); the app says which path to match
 * (`resolve(request, path)`: e.g. the stage prefix removed and each segment percent-decoded). The router itself
 * matches a Web `Request` URL, which would resolve `.` and `..` segments, keep `%3A` apart from `:`, take a `:` in
 * a path for a parameter and refuse a parameter of spaces, so it is given an escaped form of that path in which
 * every byte other than letters, digits, `_` and `-` is `~XX`: matching stays segment by segment on exactly what the
 * app passed, and parameters come back as they were. The router sees no headers, query or body (a `Host` header
 * could otherwise move the path, and a `GET` body fails the `Request`); handlers get the app's request itself.
 *
 * @example
 * const router = new ApiGatewayV2Router<ApiGatewayV2Request>({ notFound, onError });
 * router.route('GET', '/v1/keys', (request) => listKeys(request));
 * return router.resolve(request, request.rawPath);
 */
export class ApiGatewayV2Router<R extends ApiGatewayV2Request> {
  readonly #router = new TemplateRouter();
  readonly #options: ApiGatewayV2RouterOptions<R>;
  /** The app's request behind each routing event the router is resolving. */
  readonly #requests = new WeakMap<object, R>();
  /** Route template by the router's route key (`GET /v1/customers/:token/tags`, escaped). */
  readonly #templates = new Map<string, string>();
  /** Methods by escaped path pattern, for 405 answers. */
  readonly #methods = new Map<Path, Set<HttpMethod>>();
  /** One router per path pattern, to tell which pattern a path has. */
  #probes: { readonly probe: TemplateRouter; readonly methods: readonly HttpMethod[] }[] = [];
  #sealed = false;

  constructor(options: ApiGatewayV2RouterOptions<R>) {
    this.#options = options;
    this.#router.notFound((_error, reqCtx) => Promise.resolve(proxyResult(this.#options.notFound(this.#requestOf(reqCtx.event)))));
    this.#router.errorHandler(Error, (error, reqCtx) =>
      Promise.resolve(proxyResult(this.#options.onError(error, this.#requestOf(reqCtx.event), this.#templates.get(reqCtx.route ?? '') ?? 'unmatched'))),
    );
  }

  /** Adds a route; `template` in OpenAPI syntax, its `{name}` parameters passed to the handler. */
  route(method: HttpMethod, template: string, handler: ApiRouteHandler<R>): this {
    if (this.#sealed) throw new Error(`route ${method} ${template} added after the first request`);
    const pattern = routerPattern(template);
    this.#templates.set(`${method} ${pattern}`, `${method} ${template}`);
    const methods = this.#methods.get(pattern) ?? new Set<HttpMethod>();
    methods.add(method);
    this.#methods.set(pattern, methods);
    this.#router.route(async (reqCtx) => proxyResult(await handler(this.#requestOf(reqCtx.event), unescapeParams(reqCtx.params))), { method, path: pattern });
    return this;
  }

  /**
   * Routes one request.
   *
   * @param path - the path to match, `/`-separated (its segments as the app reads them, e.g. percent-decoded)
   * @param context - the Lambda context, handed to Powertools' request context
   */
  async resolve(request: R, path: string, context?: unknown): Promise<ApiGatewayV2Response> {
    this.#seal();
    const event = routingEvent(request.requestContext.http.method, path);
    this.#requests.set(event, request);
    const result = await this.#router.resolve(event, context as Parameters<Router['resolve']>[1]);
    const { statusCode = 500, headers, body, isBase64Encoded } = result as { statusCode?: number; headers?: Record<string, string | number | boolean>; body?: string; isBase64Encoded?: boolean };
    return {
      statusCode,
      headers: Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)])),
      ...(body === undefined ? {} : { body }),
      ...(isBase64Encoded ? { isBase64Encoded } : {}),
    };
  }

  /** Whether a route has this path, with any method: what a gateway answers 404 for before authenticating. */
  hasPath(path: string): boolean {
    this.#seal();
    return this.#router.matches('GET', escapedPath(path));
  }

  /** The methods the routes of a path answer (empty when no route has it). */
  allowedMethods(path: string): readonly HttpMethod[] {
    this.#seal();
    const escaped = escapedPath(path);
    return this.#probes.find(({ probe }) => probe.matches('GET', escaped))?.methods ?? [];
  }

  /** On the first request: every method a path's routes do not take answers 405, when the app asked for it. */
  #seal(): void {
    if (this.#sealed) return;
    this.#sealed = true;
    for (const [pattern, methods] of this.#methods) {
      const allowed = [...methods];
      this.#probes.push({ probe: new TemplateRouter().withRoute(pattern), methods: allowed });
      for (const method of Object.values(HttpVerbs)) {
        if (methods.has(method)) continue;
        this.#router.route(
          (reqCtx) => {
            const request = this.#requestOf(reqCtx.event);
            return Promise.resolve(proxyResult(this.#options.methodNotAllowed ? this.#options.methodNotAllowed(request, allowed) : this.#options.notFound(request)));
          },
          { method, path: pattern },
        );
      }
    }
  }

  #requestOf(event: unknown): R {
    const request = this.#requests.get(event as object);
    if (request === undefined) throw new Error('the router resolved an event it was not given');
    return request;
  }
}

/** Powertools' router, asked only whether a route matches (its registry is protected). */
class TemplateRouter extends Router {
  matches(method: HttpMethod, escapedPath: Path): boolean {
    return this.routeRegistry.resolve(method, escapedPath) !== null;
  }

  withRoute(pattern: Path): this {
    this.route(() => Promise.resolve(proxyResult({ statusCode: 204 })), { method: 'GET', path: pattern });
    return this;
  }
}

/** Letters, digits, `_` and `-` stand for themselves; every other byte is `~XX`. */
const PLAIN_BYTE = /^[A-Za-z0-9_-]$/;

function escapeSegment(segment: string): string {
  let escaped = '';
  for (const byte of Buffer.from(segment, 'utf8')) {
    const char = String.fromCharCode(byte);
    escaped += PLAIN_BYTE.test(char) ? char : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}

function unescapeSegment(escaped: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < escaped.length; index += 1) {
    if (escaped[index] === '~') {
      bytes.push(Number.parseInt(escaped.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(escaped.charCodeAt(index));
  }
  return Buffer.from(bytes).toString('utf8');
}

function unescapeParams(params: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, unescapeSegment(value)]));
}

/** The path the router matches: trailing slashes dropped (as the router does), each segment escaped. */
function escapedPath(path: string): Path {
  const trimmed = path.replace(/\/+$/, '');
  return (trimmed === '' ? '/' : trimmed.split('/').map(escapeSegment).join('/')) as Path;
}

/** A template's router pattern: literal segments escaped, `{name}` as Powertools' `:name`. */
function routerPattern(template: string): Path {
  const trimmed = template.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      return param ? `:${param[1]}` : escapeSegment(segment);
    })
    .join('/') as Path;
}

/** A response in the shape Powertools converts as it is (a proxy result with a text body: these APIs answer JSON). */
function proxyResult(response: ApiGatewayV2Response): HandlerResponse {
  if (response.isBase64Encoded) throw new Error('the router passes text bodies only; a base64 body would be encoded twice');
  return { statusCode: response.statusCode, headers: { ...(response.headers ?? {}) }, body: response.body ?? '' };
}

/** What the router is given: the method and the escaped path, nothing a caller could use to move either. */
function routingEvent(method: string, path: string): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: escapedPath(path),
    rawQueryString: '',
    headers: {},
    requestContext: { domainName: 'localhost', http: { method: method.toUpperCase() } },
    isBase64Encoded: false,
  };
}
