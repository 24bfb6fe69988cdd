import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLES } from '@cur/contracts';
import { createLogger } from '@cur/platform';
import {
  BatchGetResponseSchema,
  CustomerSchema,
  ProblemSchema,
  SegmentMetricsResponseSchema,
  ServingStore,
  TagCustomersResponseSchema,
  TagsResponseSchema,
  HttpKeyServiceClient,
  createRetrievalApiHandler,
  loadServingStore,
} from '../../src/index';
import { FakeKeyService, fixtureCustomers, publishServingFixture } from '../../src/testing/index';
import { apiEvent, json, realEvent } from '../helpers/api-events';
import { servingPlatform, type ServingPlatform } from '../helpers/serving-platform';

/** A national ID the fake key service knows, and the token of the customer it belongs to. */
const NATIONAL_ID = 'A123456789';
const TOKEN = 'Q200000002';

/** Who may call what, written out by hand (not derived from the route table under test). */
const ACCESS: Record<string, readonly string[]> = {
  getCustomerTags: ['AP', 'DS', 'SYSTEM'],
  lookupCustomer: ['AP', 'SYSTEM'],
  batchGetCustomers: ['AP', 'DS', 'SYSTEM'],
  listTags: ['DE', 'DA', 'DS', 'DM', 'AP', 'SYSTEM'],
  listTagCustomers: ['AP', 'DS', 'SYSTEM'],
  getSegmentMetrics: ['DA', 'DS', 'AP', 'SYSTEM'],
};

/** One call per endpoint, with the schema of its answer. */
const ENDPOINTS = [
  { id: 'getCustomerTags', method: 'GET', path: `/v1/customers/${TOKEN}/tags`, schema: CustomerSchema },
  { id: 'lookupCustomer', method: 'POST', path: '/v1/customers/lookup', body: { nationalId: NATIONAL_ID }, schema: CustomerSchema },
  { id: 'batchGetCustomers', method: 'POST', path: '/v1/customers:batchGet', body: { tokens: [TOKEN, 'Q200000003', 'Q299999999'] }, schema: BatchGetResponseSchema },
  { id: 'listTags', method: 'GET', path: '/v1/tags', schema: TagsResponseSchema },
  { id: 'listTagCustomers', method: 'GET', path: '/v1/tags/high_value/customers?limit=25', schema: TagCustomersResponseSchema },
  { id: 'getSegmentMetrics', method: 'GET', path: '/v1/segments/MASS/metrics?month=2026-11', schema: SegmentMetricsResponseSchema },
] as const;

const endpointOf = (id: string) => {
  const endpoint = ENDPOINTS.find((e) => e.id === id);
  if (!endpoint) throw new Error(`no endpoint ${id}`);
  return endpoint;
};

let platform: ServingPlatform;
let keys: FakeKeyService;
let handle: ReturnType<typeof createRetrievalApiHandler>;

beforeAll(async () => {
  platform = await servingPlatform();
  await publishServingFixture(platform, {
    businessDate: '2026-11-25',
    customers: fixtureCustomers(120),
    segmentMetrics: [
      { month: '2026-10', segment: 'MASS', customers: 28 },
      { month: '2026-11', segment: 'MASS', customers: 30 },
    ],
  });
  await loadServingStore(platform.loadDeps);
  keys = new FakeKeyService({ [NATIONAL_ID]: TOKEN });
  const serving = new ServingStore(platform.runtime.keyValueStore);
  handle = createRetrievalApiHandler(() => Promise.resolve({ serving, tokenizer: keys, detokenizer: keys }));
});
afterAll(() => platform.close());

const call = (endpoint: (typeof ENDPOINTS)[number], role: string | null | undefined, suffix = '') =>
  handle(apiEvent(endpoint.method, `${endpoint.path}${suffix}`, { role, ...('body' in endpoint ? { body: endpoint.body } : {}) }));

describe('every endpoint x every role', () => {
  const matrix = ENDPOINTS.flatMap((endpoint) => ROLES.map((role) => [endpoint.id, role] as const));

  it.each(matrix)('%s as %s', async (id, role) => {
    const endpoint = endpointOf(id);
    const response = await call(endpoint, role);
    if (!ACCESS[id]?.includes(role)) {
      expect(response.statusCode).toBe(403);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(ProblemSchema.parse(json(response))).toMatchObject({ status: 403, code: 'ROLE_FORBIDDEN' });
      return;
    }
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    const body = endpoint.schema.parse(json(response));
    // Masking: tokens stay tokens for every role, SYSTEM included; nothing reveals a national ID unasked.
    expect(response.body).not.toContain(NATIONAL_ID);
    expect(response.body).not.toContain('nationalId');
    if (id === 'getCustomerTags' || id === 'lookupCustomer') {
      expect(body).toMatchObject({ token: TOKEN, asOf: '2026-11-25', segment: 'AFFLUENT', tags: ['digital_native', 'high_value'] });
      expect((body as { features: Record<string, unknown> }).features).toMatchObject({ aum_total: 2000, branch_code: 'B002', risk_level: 3 });
    }
    if (id === 'batchGetCustomers') expect(body).toMatchObject({ asOf: '2026-11-25', customers: [{ token: TOKEN }, { token: 'Q200000003' }], notFound: ['Q299999999'] });
    if (id === 'listTags') expect((body as { tags: { name: string }[] }).tags.map((t) => t.name)).toEqual(['digital_native', 'digitally_dormant', 'high_value']);
    if (id === 'listTagCustomers') {
      expect(body).toMatchObject({ tag: 'high_value', asOf: '2026-11-25' });
      expect((body as { customers: { token: string }[] }).customers).toHaveLength(25);
      for (const customer of (body as { customers: { token: string }[] }).customers) expect(customer.token).toMatch(/^Q2\d{8}$/);
    }
    if (id === 'getSegmentMetrics') expect(body).toMatchObject({ segment: 'MASS', month: '2026-11', businessDate: '2026-11-25', metrics: { customers: 30 } });
  });

  it.each(ENDPOINTS.map((e) => e.id))('%s answers 401 without claims, or with claims but no role', async (id) => {
    const endpoint = endpointOf(id);
    for (const role of [undefined, null]) {
      const response = await call(endpoint, role);
      expect(response.statusCode).toBe(401);
      expect(response.headers?.['www-authenticate']).toBe('Bearer');
      expect(json(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it.each(ENDPOINTS.map((e) => e.id))('%s answers 403 to a role that does not exist', async (id) => {
    const response = await call(endpointOf(id), 'ROOT');
    expect(response.statusCode).toBe(403);
    expect(json(response)).toMatchObject({ code: 'ROLE_FORBIDDEN' });
  });
});

describe('reveal', () => {
  it('gives SYSTEM the national ID through the key service, which records the call', async () => {
    const before = keys.calls.length;
    const response = await handle(apiEvent('GET', `/v1/customers/${TOKEN}/tags?reveal=true`, { role: 'SYSTEM', bearer: 'system-jwt' }));
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toMatchObject({ token: TOKEN, nationalId: NATIONAL_ID });
    expect(keys.calls.slice(before)).toEqual([{ operation: 'detokenize', principal: 'user-SYSTEM', role: 'SYSTEM', bearerToken: 'system-jwt', count: 1, outcome: 'allowed' }]);
    const batch = await handle(apiEvent('POST', '/v1/customers:batchGet?reveal=true', { role: 'SYSTEM', body: { tokens: [TOKEN, 'Q200000004'] } }));
    expect((json(batch)['customers'] as { nationalId?: string }[]).map((c) => c.nationalId)).toEqual([NATIONAL_ID, undefined]);
    const page = await handle(apiEvent('GET', '/v1/tags/high_value/customers?limit=2&reveal=true', { role: 'SYSTEM' }));
    expect(json(page)['customers']).toEqual([{ token: 'Q200000000' }, { token: TOKEN, nationalId: NATIONAL_ID }]);
  });

  it.each(['AP', 'DS'])('refuses %s, after the key service has refused and recorded it', async (role) => {
    const before = keys.calls.length;
    const response = await handle(apiEvent('GET', `/v1/customers/${TOKEN}/tags?reveal=true`, { role }));
    expect(response.statusCode).toBe(403);
    expect(json(response)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(response.body).not.toContain(NATIONAL_ID);
    expect(keys.calls.slice(before)).toEqual([expect.objectContaining({ operation: 'detokenize', role, outcome: 'refused' })]);
  });
});

describe('bad input', () => {
  const problem = async (method: string, path: string, body?: unknown, role = 'AP') => {
    const response = await handle(apiEvent(method, path, { role, ...(body === undefined ? {} : typeof body === 'string' ? { rawBody: body } : { body }) }));
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    return { status: response.statusCode, ...(json(response) as { code: string; detail?: string }), raw: response.body ?? '' };
  };

  it('answers 400 INVALID_TOKEN to a token of the wrong format, in a path or a batch', async () => {
    expect(await problem('GET', '/v1/customers/abc/tags')).toMatchObject({ status: 400, code: 'INVALID_TOKEN' });
    expect(await problem('GET', '/v1/customers/q200000002/tags')).toMatchObject({ status: 400, code: 'INVALID_TOKEN' });
    expect(await problem('POST', '/v1/customers:batchGet', { tokens: [TOKEN, 'not a token'] })).toMatchObject({ status: 400, code: 'INVALID_TOKEN' });
  });

  it('answers 404 CUSTOMER_NOT_FOUND to a well-formed token nobody has', async () => {
    expect(await problem('GET', '/v1/customers/Q299999999/tags')).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
  });

  it('answers 400 BATCH_TOO_LARGE to more than 100 tokens, and 400 to none', async () => {
    const tokens = fixtureCustomers(101).map((c) => c.token);
    expect(await problem('POST', '/v1/customers:batchGet', { tokens })).toMatchObject({ status: 400, code: 'BATCH_TOO_LARGE' });
    expect(await problem('POST', '/v1/customers:batchGet', { tokens: [] })).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(await problem('POST', '/v1/customers:batchGet', { tokens: [TOKEN], extra: 1 })).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('answers 404 TAG_NOT_FOUND to an unknown tag and 400 to a malformed one', async () => {
    expect(await problem('GET', '/v1/tags/gold_member/customers')).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
    expect(await problem('GET', '/v1/tags/Gold%20Member/customers')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('answers 400 INVALID_CURSOR to a cursor it did not issue, and 400 to a page length out of range', async () => {
    expect(await problem('GET', '/v1/tags/high_value/customers?cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    expect(await problem('GET', '/v1/tags/high_value/customers?cursor=%7B%22v%22%7D')).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    const first = json(await handle(apiEvent('GET', '/v1/tags/high_value/customers?limit=5', { role: 'AP' })));
    expect(await problem('GET', `/v1/tags/digital_native/customers?cursor=${String(first['nextCursor'])}`)).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    for (const limit of ['0', '1001', 'ten', '-1']) expect(await problem('GET', `/v1/tags/high_value/customers?limit=${limit}`)).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('pages with the cursor it issued, to the end', async () => {
    const tokens: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await handle(apiEvent('GET', `/v1/tags/high_value/customers?limit=1000${cursor ? `&cursor=${cursor}` : ''}`.replace('limit=1000', 'limit=17'), { role: 'DS' }));
      const body = TagCustomersResponseSchema.parse(json(response));
      tokens.push(...body.customers.map((c) => c.token ?? ''));
      cursor = body.nextCursor;
    } while (cursor);
    expect(tokens).toHaveLength(60);
    expect(new Set(tokens).size).toBe(60);
  });

  it('answers 404 to an unknown segment or month, 400 to a malformed month, and refuses unknown or repeated parameters', async () => {
    expect(await problem('GET', '/v1/segments/GOLD/metrics')).toMatchObject({ status: 404, code: 'SEGMENT_NOT_FOUND' });
    expect(await problem('GET', '/v1/segments/MASS/metrics?month=2025-01')).toMatchObject({ status: 404, code: 'METRICS_NOT_FOUND' });
    expect(await problem('GET', '/v1/segments/MASS/metrics?month=2026-13')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(await problem('GET', '/v1/segments/MASS/metrics?month=2026-11&month=2026-10')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(await problem('GET', '/v1/tags?verbose=1')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(await problem('GET', '/v1/customers/Q200000002/tags?reveal=yes')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('answers 404 to an unknown route, 405 with Allow to a wrong method, 413 to a huge body, 400 to a non-event', async () => {
    expect(await problem('GET', '/v1/accounts')).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(await problem('GET', '/v1/customers/%E0%A4%A/tags')).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    const wrongMethod = await handle(apiEvent('GET', '/v1/customers/lookup', { role: 'AP' }));
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers?.['allow']).toBe('POST');
    expect(await problem('POST', '/v1/customers:batchGet', JSON.stringify({ tokens: Array(6000).fill(TOKEN) }))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await problem('POST', '/v1/customers:batchGet', '{"tokens": [')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect((await handle({ hello: 'world' })).statusCode).toBe(400);
  });

  it('routes by method and path: explicit routes, a named stage, an encoded colon and a base64 body all work', async () => {
    const explicit = await handle(apiEvent('GET', `/v1/customers/${TOKEN}/tags`, { role: 'AP', routeKey: 'GET /v1/customers/{token}/tags' }));
    expect(explicit.statusCode).toBe(200);
    expect((await handle(apiEvent('GET', '/prod/v1/tags', { role: 'AP', stage: 'prod' }))).statusCode).toBe(200);
    expect((await handle(apiEvent('POST', '/v1/customers%3AbatchGet', { role: 'AP', body: { tokens: [TOKEN] } }))).statusCode).toBe(200);
    const encoded = { ...apiEvent('POST', '/v1/customers:batchGet', { role: 'AP' }), body: Buffer.from(JSON.stringify({ tokens: [TOKEN] })).toString('base64'), isBase64Encoded: true };
    expect((await handle(encoded)).statusCode).toBe(200);
  });

  it('matches each path segment as sent: a dot segment or a parameter of spaces is not resolved or dropped by the router', async () => {
    // A URL resolver would make /v1/customers/../tags the tag list; the API takes '..' for the token it is.
    expect(await problem('GET', '/v1/customers/../tags')).toMatchObject({ status: 400, code: 'INVALID_TOKEN' });
    expect(await problem('GET', '/v1/customers/%2E%2E/tags')).toMatchObject({ status: 400, code: 'INVALID_TOKEN' });
    expect(await problem('GET', '/v1/tags/%20%20/customers', undefined, 'DS')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(await problem('GET', '/v1/x/../tags')).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('answers the real API Gateway event (GET /v1/customers/{token}/tags as AP)', async () => {
    const response = await handle(realEvent());
    expect(response.statusCode).toBe(404);
    expect(json(response)).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
  });
});

describe('lookup by national ID', () => {
  let lines: string[];
  let logged: ReturnType<typeof createRetrievalApiHandler>;
  beforeAll(() => {
    const serving = new ServingStore(platform.runtime.keyValueStore);
    logged = createRetrievalApiHandler(() => Promise.resolve({ serving, tokenizer: keys, detokenizer: keys }), { logger: createLogger({ serviceName: 'retrieval-api', logLevel: 'DEBUG' }) });
  });
  const capture = () => {
    lines = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
  };
  afterEach(() => vi.restoreAllMocks());

  it('never logs or echoes the national ID, found, unknown, malformed or smuggled', async () => {
    capture();
    const responses = [
      await logged(apiEvent('POST', '/v1/customers/lookup', { role: 'AP', body: { nationalId: NATIONAL_ID } })),
      await logged(apiEvent('POST', '/v1/customers/lookup', { role: 'AP', body: { nationalId: 'F131104093' } })),
      await logged(apiEvent('POST', '/v1/customers/lookup', { role: 'AP', body: { nationalId: 'A123456788' } })),
      await logged(apiEvent('POST', '/v1/customers/lookup', { role: 'AP', body: { nationalId: NATIONAL_ID, [NATIONAL_ID]: NATIONAL_ID } })),
      await logged(apiEvent('POST', '/v1/customers/lookup', { role: 'AP', body: { nationalId: 1234567890 } })),
      await logged(apiEvent('POST', '/v1/customers/lookup', { role: 'DE', body: { nationalId: NATIONAL_ID } })),
      await logged(apiEvent('POST', '/v1/customers/lookup?id=A123456789', { role: 'AP', body: { nationalId: NATIONAL_ID } })),
    ];
    vi.restoreAllMocks();
    expect(responses.map((r) => r.statusCode)).toEqual([200, 404, 400, 400, 400, 403, 400]);
    expect(json(responses[2] ?? { statusCode: 0 })).toMatchObject({ code: 'INVALID_NATIONAL_ID' });
    for (const response of responses.slice(1)) {
      expect(response.body).not.toContain('A123456789');
      expect(response.body).not.toContain('A123456788');
      expect(response.body).not.toContain('F131104093');
    }
    const output = lines.join('');
    for (const id of ['A123456789', 'A123456788', 'F131104093']) expect(output).not.toContain(id);
  });

  it('answers 502 KEY_SERVICE_FAILED when the key service fails, and 503 before anything is loaded', async () => {
    const failing = createRetrievalApiHandler(() =>
      Promise.resolve({
        serving: new ServingStore(platform.runtime.keyValueStore),
        // Nothing listens on the discard port: the real HTTP client fails to connect.
        tokenizer: new HttpKeyServiceClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500 }),
        detokenizer: keys,
      }),
    );
    const response = await failing(apiEvent('POST', '/v1/customers/lookup', { role: 'AP', body: { nationalId: NATIONAL_ID } }));
    expect(response.statusCode).toBe(502);
    expect(json(response)).toMatchObject({ code: 'KEY_SERVICE_FAILED' });
    const empty = await servingPlatform();
    try {
      const unloaded = createRetrievalApiHandler(() => Promise.resolve({ serving: new ServingStore(empty.runtime.keyValueStore), tokenizer: keys, detokenizer: keys }));
      const answer = await unloaded(apiEvent('GET', '/v1/tags', { role: 'DA' }));
      expect(answer.statusCode).toBe(503);
      expect(json(answer)).toMatchObject({ code: 'SERVING_NOT_LOADED' });
    } finally {
      await empty.close();
    }
  });
});
