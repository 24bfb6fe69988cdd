import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_LENGTH, ROUTES, ServingError, buildOpenApiDocument, createRetrievalApiHandler } from '../../src/index';
import { apiEvent, json } from '../helpers/api-events';

type Operation = { operationId: string; parameters: { name: string; in: string; schema: { examples?: string[] } }[]; security?: unknown[]; responses: Record<string, unknown> };

const document = buildOpenApiDocument('https://api.cur.example');
const operations = Object.entries(document['paths'] as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

// Every data route reaches the (empty) serving store and answers 503, which proves it was routed.
const handle = createRetrievalApiHandler(() => Promise.reject(new ServingError('SERVING_NOT_LOADED', 'nothing loaded in this test')));

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists exactly the routes the handler serves, each once', () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(new Set(operations.map((o) => o.operation.operationId)).size).toBe(operations.length);
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s is routed by the handler', async (_name, { path, method, operation }) => {
    const concrete = path.replace(/\{(\w+)\}/g, (_m, name: string) => operation.parameters.find((p) => p.name === name)?.schema.examples?.[0] ?? 'x');
    const response = await handle(apiEvent(method, concrete, { role: 'SYSTEM', ...(method === 'POST' ? { body: {} } : {}) }));
    expect([200, 400, 503], response.body).toContain(response.statusCode);
    expect(json(response)['code']).not.toBe('ROUTE_NOT_FOUND');
    if (operation.security === undefined) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '500']));
  });

  it('is served at /openapi.json without a token, and that copy validates too', async () => {
    const response = await handle(apiEvent('GET', '/openapi.json'));
    expect(response.statusCode).toBe(200);
    const served = json(response);
    expect(served['paths']).toEqual(document['paths']);
    expect((await new Validator().validate(served)).valid).toBe(true);
  });

  it('declares bearer JWT auth, with only the document itself public', () => {
    expect(document['security']).toEqual([{ bearer: [] }]);
    expect(operations.filter((o) => o.operation.security !== undefined).map((o) => o.path)).toEqual(['/openapi.json']);
  });
});

describe('what the document promises about inputs (issue 17, point 11: schemathesis holds the server to it)', () => {
  const pattern = (route: string, parameter: string): RegExp => {
    const found = operations.find((o) => o.operation.operationId === route)?.operation.parameters.find((p) => p.name === parameter)?.schema as { pattern?: string } | undefined;
    return new RegExp(found?.pattern ?? 'missing');
  };

  it('the page length pattern admits exactly 1 to MAX_PAGE_LENGTH', () => {
    const limit = pattern('listTagCustomers', 'limit');
    const admitted = Array.from({ length: MAX_PAGE_LENGTH + 2 }, (_, n) => String(n)).filter((text) => limit.test(text));
    expect(admitted).toEqual(Array.from({ length: MAX_PAGE_LENGTH }, (_, n) => String(n + 1)));
    for (const text of ['01', '0100', '1e3', ' 5', '']) expect(limit.test(text), text).toBe(false);
  });

  it('the lookup body gives the national ID shape; the check digit stays the handler\'s', () => {
    const body = (document['paths'] as Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, { pattern?: string }> } }> } }>>)['/v1/customers/lookup']?.['post'];
    expect(body?.requestBody.content['application/json']?.schema.properties['nationalId']?.pattern).toBe('^[A-Z][1289]\\d{8}$');
  });
});
