import type { ApiGatewayV2Request, ApiGatewayV2Response } from '@cur/contracts';
import { ApiGatewayV2RequestSchema, isRole } from '@cur/contracts';
import type { Logger } from '@cur/platform';
import { AccessDeniedError, createLogger, isCurError, problemResponse, toProblemResponse } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { createMaskingPolicy } from '@cur/policy';
import { DEFAULT_PAGE_LENGTH, MAX_PAGE_LENGTH } from '../constants';
import type { CustomerTokenizer } from '../ports/customer-tokenizer';
import type { Detokenizer } from '../ports/detokenizer';
import { SERVING_STATUS_BY_CODE, ServingError } from '../serving-error';
import type { ServingStore } from '../store/serving-store';
import type { CustomerRecord, ServingVersion } from '../types/serving-types';
import { buildOpenApiDocument } from './openapi';
import { identityOf, parseBody, queryOf, requestPath, validate, type Identity } from './request';
import { ResponseShaper } from './response-shaper';
import { createRetrievalRouter } from './retrieval-router';
import type { RouteSpec } from './routes';
import {
  BatchGetBodySchema,
  CustomerPathSchema,
  LookupBodySchema,
  RevealQuerySchema,
  SegmentMetricsQuerySchema,
  SegmentPathSchema,
  TagCustomersQuerySchema,
  TagPathSchema,
  type CustomerResponse,
} from './schemas';

/** The reads the API makes of the serving store. */
export type ServingReader = Pick<ServingStore, 'current' | 'getCustomer' | 'batchGet' | 'listTags' | 'customersWithTag' | 'segmentMetrics'>;

/** What the retrieval API runs with. */
export interface RetrievalApiDependencies {
  readonly serving: ServingReader;
  /** National IDs to tokens, for `POST /v1/customers/lookup` (the masking-key-service). */
  readonly tokenizer: CustomerTokenizer;
  /** Tokens to national IDs, for SYSTEM's `?reveal=true` (the masking-key-service, audited there). */
  readonly detokenizer: Detokenizer;
  /** @default createMaskingPolicy() */
  readonly policy?: MaskingPolicy;
}

/** Options of {@link createRetrievalApiHandler}. */
export interface RetrievalApiHandlerOptions {
  /** @default a `retrieval-api` logger */
  readonly logger?: Logger;
  /** `servers[0].url` of the OpenAPI document. @default '/' */
  readonly serverUrl?: string;
}

/** Statuses of codes from other libs the API passes on. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = { ...SERVING_STATUS_BY_CODE, POLICY_DENIED: 403, ACCESS_DENIED: 403, RATE_LIMITED: 429 };

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

/** One authenticated, routed call. */
interface Call {
  readonly route: RouteSpec;
  readonly params: Readonly<Record<string, string>>;
  readonly identity: Identity;
}

/**
 * Builds the retrieval API's Lambda logic behind API Gateway (HTTP API, payload 2.0, JWT authorizer), shared by the
 * `retrieval-api` Lambda and `cur serve`, which both call this function with real API Gateway v2 events.
 *
 * Routing is by method and path with Powertools' HTTP router (`createRetrievalRouter`), so explicit routes and an
 * `ANY /v1/{proxy+}` route behave the same; the role comes from the authorizer's `cur:role` claim (none: 401; a role
 * the route does not admit: 403); input is validated with the zod schemas the OpenAPI document is generated from; every column of every answer is shaped by the masking policy for the role;
 * errors are RFC 9457 problems with stable codes. Request bodies, national IDs and events are never logged.
 *
 * @param dependencies - built on the first call that needs them (not for `/openapi.json`), then reused by the caller
 * @example
 * export const handler = createRetrievalApiHandler(() => wiring());
 */
export function createRetrievalApiHandler(dependencies: () => Promise<RetrievalApiDependencies>, options: RetrievalApiHandlerOptions = {}) {
  const logger = options.logger ?? createLogger({ serviceName: 'retrieval-api' });
  const shapers = new WeakMap<MaskingPolicy, ResponseShaper>();
  const defaultPolicy = createMaskingPolicy();
  let openApi: string | undefined;
  let ready: RetrievalApiDependencies | undefined;

  const shaperOf = (policy: MaskingPolicy): ResponseShaper => {
    let shaper = shapers.get(policy);
    if (!shaper) {
      shaper = new ResponseShaper(policy);
      shapers.set(policy, shaper);
    }
    return shaper;
  };

  /** A refusal or failure as problem+json, logged when it is a 500 or a 403 (never the request itself). */
  const refuse = (error: unknown, request: ApiGatewayV2Request, routeKey: string): ApiGatewayV2Response => {
    const response = toProblemResponse(error, STATUS_BY_CODE);
    const role = request.requestContext.authorizer?.jwt.claims['cur:role'];
    if (response.statusCode >= 500) logger.error('request failed', { routeKey, role, statusCode: response.statusCode, error });
    else if (response.statusCode === 403) logger.warn('request refused', { routeKey, role, statusCode: 403, code: isCurError(error) ? error.code : 'FORBIDDEN' });
    if (response.statusCode === 401) return { ...response, headers: { ...response.headers, 'www-authenticate': 'Bearer' } };
    if (response.statusCode === 429 && isCurError(error)) return { ...response, headers: { ...response.headers, 'retry-after': String(error.details['retryAfterSeconds'] ?? 60) } };
    return response;
  };

  /** One routed call: the public document, or an authenticated, authorized call of a route. */
  const answer = async (route: RouteSpec, request: ApiGatewayV2Request, params: Readonly<Record<string, string>>): Promise<ApiGatewayV2Response> => {
    if (route.access === 'public') {
      validate(route.query, queryOf(request), 'query');
      openApi ??= JSON.stringify(buildOpenApiDocument(options.serverUrl));
      return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' }, body: openApi };
    }
    const identity = identityOf(request);
    if (!isRole(identity.role) || !route.access.includes(identity.role)) {
      throw new ServingError('ROLE_FORBIDDEN', `role ${isRole(identity.role) ? identity.role : '(unknown)'} may not use ${route.method} ${route.path}; allowed: ${route.access.join(', ')}`);
    }
    // Built once; a failed build is retried on the next call (the factory decides how).
    const deps = ready ?? (ready = await dependencies());
    const body = await execute({ route, params, identity }, request, deps, shaperOf(deps.policy ?? defaultPolicy));
    return { statusCode: 200, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
  };

  const router = createRetrievalRouter(answer, refuse);

  return async function handleRetrievalApi(event: unknown, context?: unknown): Promise<ApiGatewayV2Response> {
    const parsed = ApiGatewayV2RequestSchema.safeParse(event);
    if (!parsed.success) return problemResponse(400, 'INVALID_EVENT', 'Invalid event', 'expected an API Gateway HTTP API request, payload format 2.0');
    const request = parsed.data;
    let path: string;
    try {
      path = requestPath(request);
    } catch (error) {
      return refuse(error, request, 'unmatched');
    }
    return router.resolve(request, path, context);
  };

  async function execute(call: Call, request: ApiGatewayV2Request, deps: RetrievalApiDependencies, shaper: ResponseShaper): Promise<unknown> {
    const role = call.identity.role;
    switch (call.route.id) {
      case 'getCustomerTags': {
        const { token } = validate(CustomerPathSchema, call.params, 'path');
        const query = validate(RevealQuerySchema, queryOf(request), 'query');
        const { version, customer } = await deps.serving.getCustomer(token);
        if (query.reveal !== 'true') return shapeCustomers(call, shaper, [customer], undefined)[0];
        const [shaped] = await presentCustomers(call, deps, shaper, version, [customer], true);
        return shaped;
      }
      case 'lookupCustomer': {
        validate(call.route.query, queryOf(request), 'query');
        const { nationalId } = parseBody(request, LookupBodySchema);
        // Tokenized as the served data was: after a key rotation, until the next load, that is an older version.
        const served = await deps.serving.current();
        const { token } = await deps.tokenizer.lookup(call.identity, nationalId, served.customerTokenKeyVersion);
        try {
          const { version, customer } = await deps.serving.getCustomer(token);
          const [shaped] = await presentCustomers(call, deps, shaper, version, [customer], false);
          return shaped;
        } catch (error) {
          if (!isCurError(error, 'CUSTOMER_NOT_FOUND')) throw error;
          throw new ServingError('CUSTOMER_NOT_FOUND', 'no customer with this national ID in the served version', { cause: error });
        }
      }
      case 'batchGetCustomers': {
        const query = validate(RevealQuerySchema, queryOf(request), 'query');
        const { tokens } = parseBody(request, BatchGetBodySchema);
        const { version, customers, missing } = await deps.serving.batchGet(tokens);
        return { asOf: version.asOf, customers: await presentCustomers(call, deps, shaper, version, customers, query.reveal === 'true'), notFound: missing };
      }
      case 'listTags': {
        validate(call.route.query, queryOf(request), 'query');
        const { version, tags } = await deps.serving.listTags();
        if (!shaper.visible(role, 'customer_tags', 'tag')) throw new AccessDeniedError(`role ${role} may not see tag names`);
        return { asOf: version.asOf, tags };
      }
      case 'listTagCustomers': {
        const { name } = validate(TagPathSchema, call.params, 'path');
        const query = validate(TagCustomersQuerySchema, queryOf(request), 'query');
        const limit = query.limit === undefined ? DEFAULT_PAGE_LENGTH : Number(query.limit);
        if (limit < 1 || limit > MAX_PAGE_LENGTH) throw new ServingError('INVALID_REQUEST', `invalid request: query limit: must be 1 to ${MAX_PAGE_LENGTH}`);
        if (!shaper.visible(role, 'customer_tags', 'cust_id')) throw new AccessDeniedError(`role ${role} may not see customer tokens`);
        const page = await deps.serving.customersWithTag(name, { limit, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) });
        const revealed = query.reveal === 'true' ? await reveal(call, deps, shaper, page.version, page.tokens) : undefined;
        return {
          tag: page.tag,
          asOf: page.version.asOf,
          customers: page.tokens.map((token, index) => {
            const shown = shaper.value(role, 'customer_tags', 'cust_id', token);
            const nationalId = revealed?.[index];
            return { ...(typeof shown === 'string' ? { token: shown } : {}), ...(typeof nationalId === 'string' ? { nationalId } : {}) };
          }),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        };
      }
      case 'getSegmentMetrics': {
        const { id } = validate(SegmentPathSchema, call.params, 'path');
        const query = validate(SegmentMetricsQuerySchema, queryOf(request), 'query');
        const { version, metrics } = await deps.serving.segmentMetrics(id, query.month);
        return {
          segment: shaper.value(role, 'segment_metrics_monthly', 'segment', metrics.segment) ?? metrics.segment,
          month: metrics.month,
          asOf: version.asOf,
          businessDate: metrics.businessDate,
          metrics: shaper.columns(role, 'segment_metrics_monthly', metrics.metrics),
        };
      }
      case 'getOpenApi':
        throw new ServingError('ROUTE_NOT_FOUND', 'the OpenAPI document is served without authentication');
    }
  }

  /** Shapes customers for the caller's role, with the national IDs behind the tokens when SYSTEM asks for them. */
  async function presentCustomers(call: Call, deps: RetrievalApiDependencies, shaper: ResponseShaper, version: ServingVersion, customers: readonly CustomerRecord[], withReveal: boolean): Promise<CustomerResponse[]> {
    const revealed = withReveal && customers.length > 0 ? await reveal(call, deps, shaper, version, customers.map((customer) => customer.token)) : undefined;
    return shapeCustomers(call, shaper, customers, revealed);
  }

  /** Each column of each customer as the caller's role sees it. */
  function shapeCustomers(call: Call, shaper: ResponseShaper, customers: readonly CustomerRecord[], revealed: readonly (string | null)[] | undefined): CustomerResponse[] {
    const role = call.identity.role;
    const features = shaper.view(role, 'customer_features');
    const tags = shaper.view(role, 'customer_tags');
    const tagsVisible = tags.visible('tag');
    const modelTags = shaper.view(role, 'model_tags');
    const shaped: CustomerResponse[] = [];
    for (let index = 0; index < customers.length; index += 1) {
      const customer = customers[index] as CustomerRecord;
      const out: Record<string, unknown> = {};
      const token = features.value('cust_id', customer.token);
      if (typeof token === 'string') out['token'] = token;
      const nationalId = revealed?.[index];
      if (typeof nationalId === 'string') out['nationalId'] = nationalId;
      out['asOf'] = customer.asOf;
      const segment = features.value('segment', customer.segment);
      if (typeof segment === 'string') out['segment'] = segment;
      if (tagsVisible) out['tags'] = customer.tags.map((tag) => String(tags.value('tag', tag)));
      if (tagsVisible && customer.modelTags && modelTags.visible('model_version')) {
        out['modelTags'] = Object.entries(customer.modelTags).map(([tag, version]) => ({ tag: String(modelTags.value('tag', tag)), modelVersion: String(modelTags.value('model_version', version)) }));
      }
      out['features'] = features.columns(customer.features);
      shaped.push(out as CustomerResponse);
    }
    return shaped;
  }

  /**
   * The national IDs behind tokens, through the key service, which authorizes the caller and audits the call
   * whatever the outcome; the API asks whatever the role, so refusals are audited too. The policy is checked again
   * on the answer: only a role whose treatment of the column is plaintext ever receives one.
   */
  async function reveal(call: Call, deps: RetrievalApiDependencies, shaper: ResponseShaper, version: ServingVersion, tokens: readonly string[]): Promise<readonly (string | null)[]> {
    if (tokens.length === 0) return [];
    const values = await deps.detokenizer.detokenize(call.identity, tokens, version.customerTokenKeyVersion);
    if (!shaper.plaintextFor(call.identity.role, 'customer_features', 'cust_id')) {
      throw new AccessDeniedError(`role ${call.identity.role} may not see national IDs`);
    }
    logger.info('revealed customer tokens through the key service', { routeKey: `${call.route.method} ${call.route.path}`, role: call.identity.role, count: tokens.length });
    return values;
  }
}
