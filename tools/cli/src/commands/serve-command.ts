import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createContentVerifier } from '@cur/lake';
import type { ApiGatewayV2Response } from '@cur/contracts';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { TokenService } from '@cur/masking';
import { TAG_DEFINITIONS } from '@cur/pipeline';
import { ConfigError, createLogger, isCurError, problemResponse } from '@cur/platform';
import { MAX_REQUEST_BYTES, readRequestBody, sendApiGatewayResponse as send, toApiGatewayEvent } from '@cur/platform/http-gateway';
import type { Runtime } from '@cur/runtime';
import type { CustomerTokenizer, Detokenizer, KeyServiceCaller, RetrievalApiDependencies, ServingLoadResult, CustomerLookup } from '@cur/serving';
import { CUSTOMER_TOKEN_COLUMN, RETRIEVAL_API_PATHS, ROUTES, ServingError, ServingStore, createRetrievalApiHandler, loadServingStore } from '@cur/serving';
import type { CliContext } from '../cli-context';
import { UsageError } from '../process/usage-error';
import { DOCS_PATH, docsResponse } from '../serve/api-docs';
import { osUser } from '../cli-caller';
import { DevTokenError, devJwtKey, importDevVerifyKey, verifyDevToken, type DevVerifyKey } from './token-command';

/** The handler `cur serve` fronts: the Lambda's logic, taking API Gateway v2 events. */
export type ApiHandler = (event: unknown) => Promise<ApiGatewayV2Response>;

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  readonly handler: ApiHandler;
  /** The dev JWT secret (see `devJwtKey`). */
  readonly jwtKey: Uint8Array;
  /** @default 3000; 0 picks a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Paths served without a token, as routes without an authorizer in API Gateway. @default the API's public routes */
  readonly publicPaths?: readonly string[];
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Whether a raw request path is one the API has (any method): others are answered 404 before authentication, as
   * API Gateway answers a path without a route. @default the retrieval API's router (`RETRIEVAL_API_PATHS.hasPath`)
   */
  readonly routeExists?: (rawPath: string) => boolean;
  /** Serve Swagger UI on the API's OpenAPI document at `/docs` (public, like `/openapi.json`). @default false */
  readonly docs?: boolean;
}

/** A running `cur serve`. */
export interface DevServer {
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Serves an API Gateway (HTTP API, payload 2.0) Lambda handler over node:http, the way API Gateway with a JWT
 * authorizer fronts it: the bearer token is verified first (a missing, expired or forged one is answered 401 and
 * never reaches the handler), each request becomes an API Gateway v2 event with the token's claims in
 * `requestContext.authorizer.jwt.claims`, and the handler's structured result becomes the HTTP response.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const verifyKey = await importDevVerifyKey(options.jwtKey);
  const publicPaths = new Set(options.publicPaths ?? ROUTES.filter((route) => route.access === 'public').map((route) => route.path));
  const now = options.now ?? (() => new Date());
  const claimsCache = new VerifiedTokenCache(verifyKey, now);
  const routeExists = options.routeExists ?? RETRIEVAL_API_PATHS.hasPath;
  const server = createServer((request, response) => {
    void serveOne(request, response, options.handler, claimsCache, publicPaths, now, routeExists, options.docs ?? false).catch(() => {
      if (!response.headersSent) send(response, problemResponse(500, 'INTERNAL', 'Internal error', 'the local server failed; see its log'));
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ConfigError(`port ${options.port ?? 3000} is in use: pick another with --port`, { cause: error }) : error),
    );
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serveOne(
  request: IncomingMessage,
  response: ServerResponse,
  handler: ApiHandler,
  tokens: VerifiedTokenCache,
  publicPaths: ReadonlySet<string>,
  now: () => Date,
  routeExists: (rawPath: string) => boolean,
  docs: boolean,
): Promise<void> {
  const receivedAt = now();
  const body = await readRequestBody(request);
  if (body === undefined) return send(response, problemResponse(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', `requests are limited to ${MAX_REQUEST_BYTES} bytes`));
  const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
  const page = docs ? await docsResponse(request.method ?? 'GET', rawPath) : undefined;
  if (page !== undefined) {
    response.writeHead(page.status, { ...page.headers, 'content-length': String(page.body.length) });
    response.end(request.method === 'HEAD' ? undefined : page.body);
    return;
  }
  // A path without a route is 404 before authentication (API Gateway's order): no token needed to learn it is wrong.
  if (!publicPaths.has(rawPath) && !routeExists(rawPath)) {
    return send(response, problemResponse(404, 'ROUTE_NOT_FOUND', 'Not found', `this API has no path ${rawPath.slice(0, 200)}; see /openapi.json${docs ? ' or /docs' : ''}`));
  }
  // An HTTP API carries only these methods to a Lambda; any other (TRACE, CONNECT, ...) is refused here, as there.
  if (!HTTP_API_METHODS.has(request.method ?? '')) {
    const allowed = RETRIEVAL_API_PATHS.allowedMethods(rawPath);
    const refused = problemResponse(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', `this API does not answer ${String(request.method).slice(0, 20)}`);
    return send(response, { ...refused, headers: { ...refused.headers, ...(allowed.length > 0 ? { allow: allowed.join(', ') } : {}) } });
  }
  let claims: Record<string, string> | undefined;
  if (!publicPaths.has(rawPath)) {
    try {
      claims = tokens.cachedClaimsOf(request.headers.authorization) ?? (await tokens.claimsOf(request.headers.authorization));
    } catch (error) {
      const reason = error instanceof DevTokenError ? error.reason : 'invalid';
      const refused = problemResponse(401, 'UNAUTHENTICATED', 'Unauthorized', error instanceof DevTokenError ? error.message : 'the bearer token is not valid here');
      return send(response, { ...refused, headers: { ...refused.headers, 'www-authenticate': `Bearer error="${reason === 'missing' ? 'invalid_request' : 'invalid_token'}"` } });
    }
  }
  send(response, await handler(toApiGatewayEvent(request, body, { ...(claims ? { claims } : {}), receivedAt })));
}

/** The methods API Gateway's HTTP API passes to an integration (Powertools' `APIGatewayHttpMethod`). */
const HTTP_API_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Verified tokens and their claims until they expire: a token string that verified once verifies again. */
class VerifiedTokenCache {
  readonly #key: DevVerifyKey;
  readonly #now: () => Date;
  readonly #entries = new Map<string, { claims: Record<string, string>; exp: number }>();

  constructor(key: DevVerifyKey, now: () => Date) {
    this.#key = key;
    this.#now = now;
  }

  /** The claims of a token verified before and not expired yet, without a promise; else `undefined`. */
  cachedClaimsOf(authorization: string | undefined): Record<string, string> | undefined {
    const token = bearerOf(authorization);
    const cached = token === undefined ? undefined : this.#entries.get(token);
    return cached && cached.exp > this.#now().getTime() / 1000 ? cached.claims : undefined;
  }

  /** @throws DevTokenError */
  async claimsOf(authorization: string | undefined): Promise<Record<string, string>> {
    const token = bearerOf(authorization);
    if (token === undefined) throw new DevTokenError('missing');
    const cached = this.cachedClaimsOf(authorization);
    if (cached) return cached;
    this.#entries.delete(token);
    const payload = await verifyDevToken(this.#key, token, this.#now());
    const claims = authorizerClaims(payload);
    if (this.#entries.size >= 1000) this.#entries.delete(this.#entries.keys().next().value ?? token);
    this.#entries.set(token, { claims, exp: Number(payload.exp) });
    return claims;
  }
}

function bearerOf(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization.trim())?.[1];
}

/** Claims as API Gateway's JWT authorizer puts them on the event: every value a string, arrays as `[a b]`. */
function authorizerClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
  return claims;
}

/**
 * The masking-key-service's customer operations in-process, on the token service (locally the CLI holds the keys;
 * in AWS the API calls the service over HTTP instead). Refusals keep their code (403); other failures become
 * `KEY_SERVICE_FAILED`.
 */
export class TokenServiceKeyService implements CustomerTokenizer, Detokenizer {
  readonly #service: TokenService;

  constructor(service: TokenService) {
    this.#service = service;
  }

  async lookup(caller: KeyServiceCaller, nationalId: string, keyVersion?: number): Promise<CustomerLookup> {
    const result = await this.#call('look up', () => this.#service.lookupCustomerToken(withOsUser(caller), nationalId, keyVersion));
    if (result.token === null) throw new ServingError('KEY_SERVICE_FAILED', 'the token service returned no token for the ID');
    return { token: result.token, ...(result.keyVersion === undefined ? {} : { keyVersion: result.keyVersion }) };
  }

  detokenize(caller: KeyServiceCaller, tokens: readonly string[], keyVersion: number | undefined): Promise<readonly (string | null)[]> {
    return this.#call('detokenize', () => this.#service.detokenize(withOsUser(caller), { ...CUSTOMER_TOKEN_COLUMN, values: tokens, ...(keyVersion === undefined ? {} : { keyVersion }) }));
  }

  async #call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isCurError(error, 'ACCESS_DENIED') || isCurError(error, 'POLICY_DENIED') || isCurError(error, 'RATE_LIMITED')) throw error;
      throw new ServingError('KEY_SERVICE_FAILED', `the token service failed to ${operation}`, { cause: error });
    }
  }
}

/** A dev token's `sub` is whatever `cur token --sub` was given: the audit also names who runs `cur serve`. */
function withOsUser(caller: KeyServiceCaller): KeyServiceCaller & { osUser: string } {
  return { ...caller, osUser: osUser() };
}

/** The retrieval API's dependencies on a local runtime: the serving table in dynalite and the in-process token service. */
export function localRetrievalDependencies(runtime: Runtime, options: { pointerTtlMs?: number } = {}): RetrievalApiDependencies {
  const keys = new TokenServiceKeyService(TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }));
  return { serving: new ServingStore(runtime.keyValueStore, options.pointerTtlMs === undefined ? {} : { pointerTtlMs: options.pointerTtlMs }), tokenizer: keys, detokenizer: keys };
}

/**
 * Loads the serving store from the local lake's published consumption and mart layers (the pipeline's serving load
 * step, locally). The lead's pipeline wiring may call this after the mart step.
 */
export async function loadServingFromLake(runtime: Runtime, options: { businessDate?: string; signal?: AbortSignal } = {}): Promise<ServingLoadResult> {
  const lake = runtime.localLakeDir;
  if (lake === undefined) throw new ConfigError('the serving load reads the local lake; in AWS it runs after the Glue jobs');
  const engine = await DuckDbSqlEngine.open({ threads: 2 });
  try {
    return await loadServingStore(
      { store: runtime.keyValueStore, system: runtime.blobStore('system'), verify: createContentVerifier((zone) => runtime.blobStore(zone)), engine, locate: (bucket, key) => join(lake, bucket, ...key.split('/')), tagCatalog: TAG_DEFINITIONS },
      { ...(options.businessDate === undefined ? {} : { businessDate: options.businessDate }), ...(options.signal ? { signal: options.signal } : {}) },
    );
  } finally {
    await engine.close();
  }
}

/** Options of {@link serveRetrievalApi}. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Load the serving store from the lake before serving. */
  readonly load: boolean;
}

/**
 * `cur serve`'s work: optionally load the serving store, then serve the retrieval API's handler (the same function
 * the Lambda runs) behind the local JWT authorizer until `stop` fires. A stop during the load ends it at a safe point
 * (the lease released, the served version unchanged) and throws `CANCELLED`.
 */
export async function serveRetrievalApi(ctx: CliContext, runtime: Runtime, options: ServeOptions, stop: AbortSignal): Promise<void> {
  if (options.load) {
    const loaded = await loadServingFromLake(runtime, { signal: stop }).catch((error: unknown) => {
      if (isCurError(error, 'CANCELLED')) {
        ctx.output.info('the load stopped at a safe point: the serving store still serves its previous version and the load lease is released');
        ctx.output.info('resume with: npx cur serve --load');
      }
      throw error;
    });
    ctx.output.info(`loaded the serving store: ${loaded.customers} customers as of ${loaded.asOf} (version ${loaded.version}) in ${loaded.durationMs} ms`);
  }
  const stopped = new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
  const deps = localRetrievalDependencies(runtime);
  const handler = createRetrievalApiHandler(() => Promise.resolve(deps), { logger: createLogger({ serviceName: 'retrieval-api' }) });
  const server = await startDevServer({ handler, jwtKey: await devJwtKey(ctx.config.home), port: options.port, host: options.host, docs: true });
  try {
    const served = await deps.serving.current().catch(() => undefined);
    ctx.output.info(`retrieval API on ${server.url} (the retrieval-api Lambda's handler behind a local JWT authorizer)`);
    ctx.output.info(served ? `serving ${served.customers} customers as of ${served.asOf}` : 'the serving store is empty: run the pipeline, or restart with --load');
    ctx.output.info(`  TOKEN=$(npx cur token --role AP)`);
    ctx.output.info(`  curl -H "Authorization: Bearer $TOKEN" ${server.url}/v1/tags`);
    ctx.output.info(`  curl ${server.url}/openapi.json`);
    ctx.output.info(`interactive API docs: ${server.url}${DOCS_PATH}/ (Authorize with a cur token)`);
    ctx.output.info('stop with Ctrl-C');
    await stopped;
  } finally {
    await server.close();
  }
}

/** `cur serve [--port 3000] [--host 127.0.0.1] [--load]`: the retrieval API on loopback, the Lambda code path. */
export function registerServeCommand(program: Command, context: () => CliContext): void {
  program
    .command('serve')
    .description('serve the retrieval API locally: the Lambda handler behind a local JWT authorizer (tokens from cur token); interactive docs at /docs, the OpenAPI document at /openapi.json')
    .option('-p, --port <port>', 'port to listen on', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--load', 'load the serving store from the published lake first')
    .action(async (options: { port: string; host: string; load?: boolean }) => {
      const ctx = context();
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be a port number, 0 to 65535');
      const stop = ctx.signal;
      await ctx.withRuntime((runtime) => serveRetrievalApi(ctx, runtime, { port, host: options.host, load: options.load ?? false }, stop));
      // Ctrl-C or SIGTERM is how a server ends: 130 or 143, as a shell reports a job stopped by a signal.
      if (stop.aborted) ctx.report('cancelled');
    });
}
