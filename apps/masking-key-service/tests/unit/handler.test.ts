import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiGatewayV2Response } from '@cur/contracts';
import { AuditLog, KeyRing, LookupRateLimit, TokenService, asKeyServiceCaller } from '@cur/masking';
import { loadPlatformConfig } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import { createRuntime, type Runtime } from '@cur/runtime';
import { createMaskingKeyServiceHandler } from '../../src/handler';
import { iamSystemRoleArns } from '../../src/wiring';

type Event = Record<string, unknown> & { requestContext: Record<string, unknown> };
const fixture = (name: string): Event => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8')) as Event;

/** The real tokenize event with another route, body and caller, as API Gateway would deliver them. */
function apiEvent(routeKey: string, body: unknown, role: string | undefined, pathParameters?: Record<string, string>): Event {
  const event = fixture('apigw-v2-tokenize.json');
  const claims = role === undefined ? { sub: 'someone' } : { sub: `user-${role}`, 'cur:role': role };
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const rawPath = template.replace(/\{(\w+)\}/g, (_match, name: string) => pathParameters?.[name] ?? '');
  const http = { ...(event.requestContext['http'] as Record<string, unknown>), method, path: rawPath };
  return {
    ...event,
    routeKey,
    rawPath,
    ...(pathParameters ? { pathParameters } : {}),
    body: body === undefined ? undefined : JSON.stringify(body),
    requestContext: { ...event.requestContext, routeKey, http, authorizer: { jwt: { claims, scopes: null } } },
  };
}

const json = (response: ApiGatewayV2Response): Record<string, unknown> => JSON.parse(response.body ?? '{}') as Record<string, unknown>;

let runtime: Runtime;
let audit: AuditLog;
let handle: ReturnType<typeof createMaskingKeyServiceHandler>;
beforeAll(async () => {
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-mks-')) }));
  audit = new AuditLog(runtime.keyValueStore);
  const service = new TokenService({ keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()), policy: createMaskingPolicy(), audit, lookupLimit: new LookupRateLimit(runtime.keyValueStore, { limit: 2, windowMs: 3_600_000 }) });
  handle = createMaskingKeyServiceHandler(() => Promise.resolve(service));
});
afterAll(() => runtime.close());

describe('masking-key-service handler', () => {
  it('tokenizes a national ID for SYSTEM (the real API Gateway event)', async () => {
    const response = await handle(fixture('apigw-v2-tokenize.json'));
    expect(response.statusCode).toBe(200);
    const body = json(response) as { tokens: string[]; keyVersion: number };
    expect(body.tokens[0]).toMatch(/^[A-Z][1289]\d{8}$/);
    expect(body.tokens[0]).not.toBe('A123456789');
    expect(body.keyVersion).toBe(1);
  });

  it('tokenizes for the Glue mask job’s role through the IAM-authorised function URL (the real event), audited as that role', async () => {
    // Prepare: what Lambda delivers once it has checked the SigV4 signature
    const event = asKeyServiceCaller(fixture('function-url-tokenize.json'), iamSystemRoleArns({ CUR_KEY_SERVICE_SYSTEM_ROLE_ARNS: 'arn:aws:iam::123456789012:role/cur-dev-system-pipeline' }));

    // Act
    const response = await handle(event);

    // Assess
    expect(response.statusCode).toBe(200);
    const viaApi = json(await handle(fixture('apigw-v2-tokenize.json'))) as { tokens: string[] };
    expect((json(response) as { tokens: string[] }).tokens).toEqual(viaApi.tokens);
    const entries = await audit.day(new Date().toISOString().slice(0, 10));
    expect(entries.find((entry) => entry.principal === 'iam:arn:aws:iam::123456789012:role/cur-dev-system-pipeline')).toMatchObject({ role: 'SYSTEM', operation: 'tokenize', outcome: 'allowed' });
  });

  it('refuses, and audits, a function URL call signed by a role that is not the mask job’s', async () => {
    // Prepare: the same signed request from another role of the account; no role configured at all
    const other = fixture('function-url-tokenize.json');
    const context = other.requestContext as { authorizer: { iam: Record<string, unknown> } };
    context.authorizer.iam['userArn'] = 'arn:aws:sts::123456789012:assumed-role/cur-dev-de/alice';

    // Act
    const responses = [await handle(asKeyServiceCaller(other, iamSystemRoleArns({ CUR_KEY_SERVICE_SYSTEM_ROLE_ARNS: 'arn:aws:iam::123456789012:role/cur-dev-system-pipeline' }))), await handle(asKeyServiceCaller(fixture('function-url-tokenize.json'), iamSystemRoleArns({})))];

    // Assess
    expect(responses.map((r) => r.statusCode)).toEqual([403, 403]);
    const entries = await audit.day(new Date().toISOString().slice(0, 10));
    expect(entries.find((entry) => entry.principal === 'iam:arn:aws:iam::123456789012:role/cur-dev-de')).toMatchObject({ operation: 'tokenize', outcome: 'refused' });
    expect(JSON.stringify(entries)).not.toContain('A123456789');
  });

  it('refuses a role list that is not IAM role ARNs, naming the variable', () => {
    expect(() => iamSystemRoleArns({ CUR_KEY_SERVICE_SYSTEM_ROLE_ARNS: 'cur-dev-system-pipeline' })).toThrow(/CUR_KEY_SERVICE_SYSTEM_ROLE_ARNS must list IAM role ARNs/);
  });

  it.each(['AP', 'DE', 'DA', 'DS', 'DM', undefined])('answers 403 to a tokenize by role %s, secret columns included, and audits it without the values', async (role) => {
    for (const body of [{ dataset: 'customer_profile', column: 'mobile', values: ['0912345678'] }, { dataset: 'digital_activity', column: 'ip_address', values: ['10.1.2.3'] }]) {
      const response = await handle(apiEvent('POST /v1/tokenize', body, role));
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain(body.values[0]);
      const entries = await audit.day(new Date().toISOString().slice(0, 10));
      expect(entries.at(-1)).toMatchObject({ operation: 'tokenize', outcome: 'refused', dataset: body.dataset, column: body.column });
      expect(JSON.stringify(entries)).not.toContain(body.values[0]);
    }
  });

  it('looks one customer up for an application (the real event): the token SYSTEM would get, audited, then 429 past the rate', async () => {
    const tokenized = json(await handle(fixture('apigw-v2-tokenize.json'))) as { tokens: string[]; keyVersion: number };
    const found = await handle(fixture('apigw-v2-lookup.json'));
    expect(found.statusCode).toBe(200);
    expect(json(found)).toEqual({ token: tokenized.tokens[0], keyVersion: tokenized.keyVersion });
    expect((await audit.day(new Date().toISOString().slice(0, 10))).at(-1)).toMatchObject({ principal: 'app-crm', role: 'AP', operation: 'lookup', outcome: 'allowed' });
    expect((await handle(fixture('apigw-v2-lookup.json'))).statusCode).toBe(200);
    const limited = await handle(fixture('apigw-v2-lookup.json'));
    expect(limited.statusCode).toBe(429);
    expect(json(limited)['code']).toBe('RATE_LIMITED');
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).not.toContain('A123456789');
  });

  it.each(['DE', 'DA', 'DS', 'DM'])('answers 403 to a lookup by role %s', async (role) => {
    const response = await handle(apiEvent('POST /v1/lookup', { nationalId: 'A123456789' }, role));
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('A123456789');
  });

  it('detokenizes for SYSTEM and records an allowed audit entry', async () => {
    const { tokens, keyVersion } = json(await handle(fixture('apigw-v2-tokenize.json'))) as { tokens: string[]; keyVersion: number };
    const response = await handle(apiEvent('POST /v1/detokenize', { dataset: 'customer_profile', column: 'cust_id', tokens, keyVersion }, 'SYSTEM'));
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ values: ['A123456789'] });
  });

  it.each(['AP', 'DE', 'DA', 'DS', 'DM', undefined])('answers 403 to a detokenize by role %s and audits the refusal', async (role) => {
    const { tokens, keyVersion } = json(await handle(fixture('apigw-v2-tokenize.json'))) as { tokens: string[]; keyVersion: number };
    const response = await handle(apiEvent('POST /v1/detokenize', { dataset: 'customer_profile', column: 'cust_id', tokens, keyVersion }, role));
    expect(response.statusCode).toBe(403);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.body).not.toContain('A123456789');
    const entries = await audit.day(new Date().toISOString().slice(0, 10));
    expect(entries.at(-1)).toMatchObject({ operation: 'detokenize', outcome: 'refused', principal: role === undefined ? 'someone' : `user-${role}`, count: 1 });
  });

  it('routes by method and path, so a proxy route works too', async () => {
    const proxied = { ...apiEvent('GET /v1/keys', undefined, 'DE'), routeKey: 'ANY /v1/{proxy+}' };
    expect((await handle(proxied)).statusCode).toBe(200);
  });

  it('lists keys for anyone and rotates for DM', async () => {
    const rotated = await handle(apiEvent('POST /v1/keys/{keyGroup}/rotate', undefined, 'DM', { keyGroup: 'mobile' }));
    expect(json(rotated)).toEqual({ keyGroup: 'mobile', version: 2 });
    expect(json(await handle(apiEvent('GET /v1/keys', undefined, 'DE')))['keys']).toEqual(expect.arrayContaining([expect.objectContaining({ keyGroup: 'mobile', version: 2, active: true })]));
    expect((await handle(apiEvent('POST /v1/keys/{keyGroup}/rotate', undefined, 'AP', { keyGroup: 'mobile' }))).statusCode).toBe(403);
  });

  it('answers 409 to a bare rotation of the national_id join-key group, naming the re-tokenise flag, and rotates nothing', async () => {
    const versions = async (): Promise<number[]> =>
      (json(await handle(apiEvent('GET /v1/keys', undefined, 'DE')))['keys'] as { keyGroup: string; version: number }[]).filter((key) => key.keyGroup === 'national_id').map((key) => key.version);
    const before = await versions();

    const response = await handle(apiEvent('POST /v1/keys/{keyGroup}/rotate', undefined, 'DM', { keyGroup: 'national_id' }));

    expect(response.statusCode).toBe(409);
    expect(json(response)).toMatchObject({ code: 'ROTATION_BREAKS_JOINS', detail: expect.stringContaining('--retokenize') });
    expect(await versions()).toEqual(before);
  });

  it.each([['evil%2F..%2Fx'], ['evil'], ['national_id.old'], ['%E0%A4%A']])('answers 404 to rotating %s, a key group the policy does not define, and creates none', async (segment) => {
    const response = await handle(apiEvent('POST /v1/keys/{keyGroup}/rotate', undefined, 'SYSTEM', { keyGroup: segment }));

    expect(response.statusCode).toBe(404);
    expect(json(response)['code']).toBe('KEY_GROUP_UNKNOWN');
    expect(response.body).not.toContain('evil');
    const keys = json(await handle(apiEvent('GET /v1/keys', undefined, 'DE')))['keys'] as { keyGroup: string }[];
    expect(keys.map((key) => key.keyGroup).filter((group) => !['national_id', 'mobile', 'email'].includes(group))).toEqual([]);
  });

  it('tokenizes under the key version asked for, and answers 404 for one the key group never had', async () => {
    const body = { dataset: 'customer_profile', column: 'email', values: ['amy@example.com.tw'] };
    const first = json(await handle(apiEvent('POST /v1/tokenize', body, 'SYSTEM'))) as { tokens: string[]; keyVersion: number };
    await handle(apiEvent('POST /v1/keys/{keyGroup}/rotate', undefined, 'DM', { keyGroup: 'email' }));
    expect(json(await handle(apiEvent('POST /v1/tokenize', body, 'SYSTEM')))['keyVersion']).toBe(first.keyVersion + 1);
    expect(json(await handle(apiEvent('POST /v1/tokenize', { ...body, keyVersion: first.keyVersion }, 'SYSTEM')))).toEqual(first);
    const unknown = await handle(apiEvent('POST /v1/tokenize', { ...body, keyVersion: 42 }, 'SYSTEM'));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toContain('amy@example.com.tw');
  });

  it('answers 400 to a malformed body without echoing it, 404 to an unknown route', async () => {
    const bad = await handle(apiEvent('POST /v1/tokenize', { dataset: 'customer_profile', column: 'cust_id', values: 'A123456789' }, 'SYSTEM'));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('A123456789');
    const denied = await handle(apiEvent('POST /v1/tokenize', { dataset: 'customer_profile', column: 'salary', values: ['1'] }, 'SYSTEM'));
    expect(denied.statusCode).toBe(403);
    expect(json(denied)['code']).toBe('POLICY_DENIED');
    expect((await handle(apiEvent('DELETE /v1/keys', undefined, 'SYSTEM'))).statusCode).toBe(404);
    expect((await handle({ not: 'an event' })).statusCode).toBe(400);
  });
});
