import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine, startLocalDynamoDb, type LocalDynamoDb } from '@cur/adapters-local';
import type { ApiGatewayV2Response } from '@cur/contracts';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { CustomerSchema, loadServingStore } from '@cur/serving';
import { fixtureCustomers, publishServingFixture } from '@cur/serving/testing';

type Event = Record<string, unknown> & { requestContext: Record<string, unknown> };
const fixture = (name: string): Event => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8')) as Event;
const json = (response: ApiGatewayV2Response): Record<string, unknown> => JSON.parse(response.body ?? '{}') as Record<string, unknown>;

/** The token in the real events, and the national ID the stand-in key service maps to it. */
const TOKEN = 'Q204718365';

let dynamoDb: LocalDynamoDb;
let keyService: Server;
let keyServiceCalls: { path: string; authorization: string | undefined }[] = [];
let handler: (event: unknown) => Promise<ApiGatewayV2Response>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  // Prepare: one DynamoDB API server shared by this test and the handler's own runtime, a published day loaded into
  // the serving store, and a loopback stand-in for the masking-key-service's HTTP API.
  dynamoDb = await startLocalDynamoDb();
  const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-retrieval-')), CUR_DYNAMODB_ENDPOINT: dynamoDb.endpoint };
  const runtime = await createRuntime(loadPlatformConfig(env));
  const engine = await DuckDbSqlEngine.open({ threads: 1 });
  const lake = runtime.localLakeDir ?? '';
  const locate = (bucket: 'consumption' | 'mart', key: string) => join(lake, bucket, ...key.split('/'));
  const customers = fixtureCustomers(20).map((customer, index) => (index === 0 ? { ...customer, token: TOKEN } : customer));
  await publishServingFixture({ system: runtime.blobStore('system'), engine, locate }, { businessDate: '2026-11-25', customers, segmentMetrics: [{ month: '2026-11', segment: 'MASS', customers: 5 }] });
  await loadServingStore({ store: runtime.keyValueStore, system: runtime.blobStore('system'), engine, locate });
  await engine.close();
  await runtime.close();

  keyService = createServer((request, response) => {
    keyServiceCalls.push({ path: request.url ?? '', authorization: request.headers.authorization });
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN, keyVersion: 1 })));
  });
  await new Promise<void>((resolve) => keyService.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, env, { CUR_KEY_SERVICE_URL: `http://127.0.0.1:${(keyService.address() as AddressInfo).port}` });
  ({ handler } = await import('../../src/handler'));
});

afterAll(async () => {
  process.env = savedEnv;
  await new Promise<void>((resolve) => keyService.close(() => resolve()));
  await dynamoDb.close();
});

describe('retrieval-api handler (wired as Lambda runs it)', () => {
  it("answers the real API Gateway event: a customer's tags, segment, features and as-of date, masked for AP", async () => {
    const response = await handler(fixture('apigw-v2-request.json'));
    expect(response.statusCode, response.body).toBe(200);
    const body = CustomerSchema.parse(json(response));
    expect(body).toMatchObject({ token: TOKEN, asOf: '2026-11-25', segment: 'MASS', tags: ['digital_native', 'high_value'] });
    expect(body.nationalId).toBeUndefined();
  });

  it("looks a customer up through the masking-key-service with the caller's own bearer token, never echoing the ID", async () => {
    keyServiceCalls = [];
    const event = fixture('apigw-v2-lookup.json');
    const response = await handler(event);
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toMatchObject({ token: TOKEN, asOf: '2026-11-25' });
    expect(response.body).not.toContain('A123456789');
    expect(keyServiceCalls).toEqual([{ path: '/v1/lookup', authorization: (event['headers'] as Record<string, string>)['authorization'] }]);
  });

  it('serves the OpenAPI document and refuses a request without claims', async () => {
    const doc = await handler({ ...fixture('apigw-v2-request.json'), rawPath: '/openapi.json', requestContext: { ...fixture('apigw-v2-request.json').requestContext, authorizer: undefined, http: { ...(fixture('apigw-v2-request.json').requestContext['http'] as object), method: 'GET', path: '/openapi.json' } } });
    expect(doc.statusCode).toBe(200);
    expect(json(doc)['openapi']).toBe('3.1.0');
    const event = fixture('apigw-v2-request.json');
    const { authorizer: _authorizer, ...context } = event.requestContext;
    const refused = await handler({ ...event, requestContext: context });
    expect(refused.statusCode).toBe(401);
    expect(json(refused)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('answers 400 problem+json to something that is not an API Gateway v2 event', async () => {
    const response = await handler({ hello: 'world' });
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
  });
});
