import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, TokenService, createMaskingKeyServiceHandler } from '@cur/masking';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { CustomerSchema, HttpKeyServiceClient, ServingStore, createRetrievalApiHandler, isValidNationalId } from '@cur/serving';
import { devJwtKey, signDevToken } from '../../src/commands/token-command';
import { loadServingFromLake, startDevServer, type DevServer } from '../../src/commands/serve-command';
import { runCli } from '../helpers/run-cli';

/**
 * Issue 17, point 10: the retrieval API's lookups were tested against a canned key service. Here both Lambdas' real
 * handlers run as in AWS, each behind its own loopback server and the same JWT authorizer: the retrieval API's
 * `HttpKeyServiceClient` calls the masking-key-service's handler over HTTP with the caller's own token, and the token
 * service behind it tokenizes with the real keys, rate-limits and audits.
 */

const SILENT = createLogger({ serviceName: 'test', logLevel: 'SILENT' });
let home: string;
let runtime: Runtime;
let keyService: DevServer;
let api: DevServer;
let keyServiceRequests = 0;
let tokens: Record<'AP' | 'DA' | 'SYSTEM', string>;
let customerToken: string;
let nationalId: string;
let asOf: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-real-keys-'));
  const demo = await runCli(['demo', '--customers', '80'], { CUR_HOME: home });
  expect(demo.code, demo.stderr).toBe(0);
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home, POWERTOOLS_LOG_LEVEL: 'SILENT' }));
  asOf = (await loadServingFromLake(runtime)).asOf;
  const jwtKey = await devJwtKey(home);
  // The masking-key-service: its Lambda handler, a token service on this state folder's keys (3 lookups a minute).
  const service = TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault(), lookupRate: { limit: 3 } });
  const keyHandler = createMaskingKeyServiceHandler(() => Promise.resolve(service), { logger: SILENT });
  keyService = await startDevServer({
    handler: (event) => {
      keyServiceRequests += 1;
      return keyHandler(event);
    },
    jwtKey,
    port: 0,
    publicPaths: [],
    // The key service's handler routes its own paths (/v1/tokenize, /v1/detokenize, ...), not the retrieval API's.
    routeExists: () => true,
  });
  // The retrieval API: its Lambda handler with the HTTP client of the key service, as the Lambda is wired.
  const client = new HttpKeyServiceClient({ baseUrl: keyService.url });
  const serving = new ServingStore(runtime.keyValueStore);
  const handler = createRetrievalApiHandler(() => Promise.resolve({ serving, tokenizer: client, detokenizer: client }), { logger: SILENT });
  api = await startDevServer({ handler, jwtKey, port: 0 });
  tokens = {
    AP: await signDevToken(jwtKey, { role: 'AP', subject: 'app-crm' }),
    DA: await signDevToken(jwtKey, { role: 'DA', subject: 'analyst' }),
    SYSTEM: await signDevToken(jwtKey, { role: 'SYSTEM', subject: 'system:test' }),
  };
  customerToken = (await serving.customersWithTag((await serving.listTags()).tags[0]?.name ?? '', { limit: 1 })).tokens[0] ?? '';
  const version = (await serving.current()).customerTokenKeyVersion;
  nationalId = (await service.detokenize({ principal: 'test', role: 'SYSTEM' }, { dataset: 'customer_features', column: 'cust_id', values: [customerToken], ...(version ? { keyVersion: version } : {}) }))[0] ?? '';
}, 240_000);

afterAll(async () => {
  await api?.close();
  await keyService?.close();
  await runtime?.close();
});

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; headers: Headers; text: string; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text || '{}') as Record<string, unknown> };
}

const auditOf = async (operation: string) =>
  (await new AuditLog(runtime.keyValueStore).day(new Date().toISOString().slice(0, 10))).filter((entry) => entry.operation === operation);

describe('the retrieval API against the real masking-key-service on loopback (issue 17, point 10)', () => {
  it('looks an AP up by national ID through the key service: the served customer, audited under the caller, no ID anywhere', async () => {
    // Act
    const before = keyServiceRequests;
    const found = await call('POST', '/v1/customers/lookup', tokens.AP, { nationalId });

    // Assess
    expect(found.status, found.text).toBe(200);
    expect(CustomerSchema.parse(found.body)).toMatchObject({ token: customerToken, asOf });
    expect(found.text).not.toContain(nationalId);
    expect(keyServiceRequests).toBe(before + 1);
    expect(await auditOf('lookup')).toContainEqual(expect.objectContaining({ principal: 'app-crm', role: 'AP', outcome: 'allowed', count: 1 }));
  });

  it('a valid national ID of nobody served is 404, and a DA never reaches the key service', async () => {
    // Prepare: a checksum-valid ID (last digit fixed up) that the 80 demo customers almost surely do not hold.
    const stem = nationalId.startsWith('Z') ? `Y${nationalId.slice(1, 9)}` : `Z${nationalId.slice(1, 9)}`;
    const other = Array.from({ length: 10 }, (_, digit) => `${stem}${digit}`).find((candidate) => isValidNationalId(candidate)) ?? '';
    const before = keyServiceRequests;

    // Act
    const refused = await call('POST', '/v1/customers/lookup', tokens.DA, { nationalId });
    const missing = await call('POST', '/v1/customers/lookup', tokens.SYSTEM, { nationalId: other });

    // Assess
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    expect(missing.status, missing.text).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.text).not.toContain(other);
    // The DA was refused by the retrieval API's role matrix; only SYSTEM's lookup went on to the key service.
    expect(keyServiceRequests - before).toBe(1);
  });

  it('reveals for SYSTEM through the key service\'s detokenize route, audited; AP is refused there, audited too', async () => {
    const revealed = await call('GET', `/v1/customers/${customerToken}/tags?reveal=true`, tokens.SYSTEM);
    const refused = await call('GET', `/v1/customers/${customerToken}/tags?reveal=true`, tokens.AP);
    expect(revealed.status, revealed.text).toBe(200);
    expect(revealed.body).toMatchObject({ token: customerToken, nationalId });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain(nationalId);
    expect(await auditOf('detokenize')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ principal: 'system:test', role: 'SYSTEM', outcome: 'allowed', count: 1 }),
        expect.objectContaining({ principal: 'app-crm', role: 'AP', outcome: 'refused' }),
      ]),
    );
  });

  it("passes the key service's rate limit through: 429 with Retry-After once the principal used its lookups", async () => {
    // Act: the limit is 3 a minute; the first test used one.
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await call('POST', '/v1/customers/lookup', tokens.AP, { nationalId }));

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    const limited = answers[2];
    expect(limited?.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await auditOf('lookup')).toContainEqual(expect.objectContaining({ principal: 'app-crm', outcome: 'refused', reason: 'rate limit' }));
  });
});
