import { mkdtemp, chmod, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiGatewayV2Response, Role } from '@cur/contracts';
import { ROLES } from '@cur/contracts';
import { AuditLog, TokenService } from '@cur/masking';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { CustomerSchema, ServingStore, createRetrievalApiHandler, type ServingLoadResult } from '@cur/serving';
import { createCliContext } from '../../src/cli-context';
import { DEV_JWT, devCurlExamples, devJwtKey, registerTokenCommand, signDevToken, verifyDevToken } from '../../src/commands/token-command';
import { ExitStatus } from '../../src/process/exit-codes';
import { processInterrupts } from '../../src/process/interrupts';
import { loadServingFromLake, localRetrievalDependencies, registerServeCommand, serveRetrievalApi, startDevServer, type DevServer } from '../../src/commands/serve-command';
import type { Output } from '../../src/output/console-output';
import { runCli } from '../helpers/run-cli';

/** Who may call what, written out by hand (not derived from the route table). */
const ACCESS: Record<string, readonly Role[]> = {
  customer: ['AP', 'DS', 'SYSTEM'],
  lookup: ['AP', 'SYSTEM'],
  batchGet: ['AP', 'DS', 'SYSTEM'],
  tags: ['DE', 'DA', 'DS', 'DM', 'AP', 'SYSTEM'],
  tagCustomers: ['AP', 'DS', 'SYSTEM'],
  segmentMetrics: ['DA', 'DS', 'AP', 'SYSTEM'],
};

let home: string;
let runtime: Runtime;
let loaded: ServingLoadResult;
let server: DevServer;
let handlerCalls = 0;
let jwtKey: Uint8Array;
const tokens = {} as Record<Role, string>;
let customerToken: string;
let nationalId: string;
let busiestTag: string;

const capture = (): Output & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, line: (text = '') => lines.push(text), info: (text) => lines.push(text), error: (text) => lines.push(`error: ${text}`) };
};

beforeAll(async () => {
  // Prepare: the demo's lake (200 customers), loaded into the serving store, served on a free loopback port
  home = await mkdtemp(join(tmpdir(), 'cur-serve-'));
  const demo = await runCli(['demo', '--customers', '200'], { CUR_HOME: home });
  expect(demo.code, demo.stderr).toBe(0);
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home, POWERTOOLS_LOG_LEVEL: 'SILENT' }));
  loaded = await loadServingFromLake(runtime);
  const handler = createRetrievalApiHandler(() => Promise.resolve(localRetrievalDependencies(runtime)));
  jwtKey = await devJwtKey(home);
  server = await startDevServer({
    handler: (event) => {
      handlerCalls += 1;
      return handler(event);
    },
    jwtKey,
    port: 0,
  });
  for (const role of ROLES) tokens[role] = await signDevToken(jwtKey, { role, subject: `dev:test-${role}` });
  const serving = new ServingStore(runtime.keyValueStore, { pointerTtlMs: 0 });
  busiestTag = [...(await serving.listTags()).tags].sort((a, b) => b.customers - a.customers)[0]?.name ?? '';
  customerToken = (await serving.customersWithTag(busiestTag, { limit: 1 })).tokens[0] ?? '';
  // The plaintext behind one token, as SYSTEM would see it (audited): what an application holds for its user.
  const service = TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() });
  const version = (await serving.current()).customerTokenKeyVersion;
  nationalId = (await service.detokenize({ principal: 'test', role: 'SYSTEM' }, { dataset: 'customer_features', column: 'cust_id', values: [customerToken], ...(version ? { keyVersion: version } : {}) }))[0] ?? '';
}, 180_000);

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

const request = async (method: string, path: string, options: { token?: string; authorization?: string; body?: unknown } = {}) => {
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text || '{}') as Record<string, unknown> };
};

describe('cur serve: the retrieval API over HTTP', () => {
  it('loaded the demo lake into the serving store', () => {
    expect(loaded.customers).toBeGreaterThan(150);
    expect(loaded.tagAssignments).toBeGreaterThan(0);
    expect(customerToken).toMatch(/^[A-Z][1289]\d{8}$/);
    expect(nationalId).toMatch(/^[A-Z][12]\d{8}$/);
    expect(nationalId).not.toBe(customerToken);
  });

  const calls = {
    customer: () => ['GET', `/v1/customers/${customerToken}/tags`] as const,
    lookup: () => ['POST', '/v1/customers/lookup', { nationalId }] as const,
    batchGet: () => ['POST', '/v1/customers:batchGet', { tokens: [customerToken, 'Q299999999'] }] as const,
    tags: () => ['GET', '/v1/tags'] as const,
    tagCustomers: () => ['GET', `/v1/tags/${busiestTag}/customers?limit=3`] as const,
    segmentMetrics: () => ['GET', '/v1/segments/MASS/metrics'] as const,
  };

  it.each(Object.keys(calls).flatMap((endpoint) => ROLES.map((role) => [endpoint, role] as const)))('%s as %s', async (endpoint, role) => {
    const [method, path, body] = calls[endpoint as keyof typeof calls]() as readonly [string, string, unknown?];
    const response = await request(method, path, { token: tokens[role], ...(body === undefined ? {} : { body }) });
    expect(response.text).not.toContain(nationalId);
    if (!ACCESS[endpoint]?.includes(role)) {
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body).toMatchObject({ code: 'ROLE_FORBIDDEN' });
      return;
    }
    expect(response.status, response.text).toBe(200);
    if (endpoint === 'customer' || endpoint === 'lookup') {
      const customer = CustomerSchema.parse(response.body);
      expect(customer).toMatchObject({ token: customerToken, asOf: loaded.asOf });
      expect(customer.tags).toContain(busiestTag);
      expect(customer.nationalId).toBeUndefined();
    }
    if (endpoint === 'batchGet') expect(response.body).toMatchObject({ customers: [{ token: customerToken }], notFound: ['Q299999999'] });
    if (endpoint === 'tagCustomers') expect((response.body['customers'] as unknown[]).length).toBe(3);
    if (endpoint === 'segmentMetrics') expect(response.body).toMatchObject({ segment: 'MASS', month: loaded.asOf.slice(0, 7) });
  });

  it('reveals for SYSTEM through the token service, audited, and refuses AP, audited too', async () => {
    const revealed = await request('GET', `/v1/customers/${customerToken}/tags?reveal=true`, { token: tokens.SYSTEM });
    expect(revealed.status, revealed.text).toBe(200);
    expect(revealed.body).toMatchObject({ token: customerToken, nationalId });
    const refused = await request('GET', `/v1/customers/${customerToken}/tags?reveal=true`, { token: tokens.AP });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain(nationalId);
    const audit = await new AuditLog(runtime.keyValueStore).day(new Date().toISOString().slice(0, 10));
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'detokenize', principal: 'dev:test-SYSTEM', role: 'SYSTEM', dataset: 'customer_features', column: 'cust_id', outcome: 'allowed', count: 1 }),
        expect.objectContaining({ operation: 'detokenize', principal: 'dev:test-AP', role: 'AP', outcome: 'refused' }),
      ]),
    );
  });

  it('answers bad input with stable problem codes', async () => {
    expect((await request('GET', '/v1/customers/not-a-token/tags', { token: tokens.AP })).body).toMatchObject({ status: 400, code: 'INVALID_TOKEN' });
    const oversize = Array.from({ length: 101 }, (_, i) => `Q2${String(i).padStart(8, '0')}`);
    expect((await request('POST', '/v1/customers:batchGet', { token: tokens.AP, body: { tokens: oversize } })).body).toMatchObject({ status: 400, code: 'BATCH_TOO_LARGE' });
    expect((await request('GET', '/v1/tags/no_such_tag/customers', { token: tokens.AP })).body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
    expect((await request('GET', `/v1/tags/${busiestTag}/customers?cursor=garbage`, { token: tokens.AP })).body).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    const lookup = await request('POST', '/v1/customers/lookup', { token: tokens.AP, body: { nationalId: `${nationalId.slice(0, 9)}${(Number(nationalId[9]) + 1) % 10}` } });
    expect(lookup.body).toMatchObject({ status: 400, code: 'INVALID_NATIONAL_ID' });
    expect(lookup.text).not.toContain(nationalId.slice(0, 9));
  });

  it('serves /openapi.json without a token', async () => {
    const doc = await request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body['openapi']).toBe('3.1.0');
  });
});

describe("cur serve's authorizer", () => {
  const forgedKey = new Uint8Array(32).fill(7);
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, key: Uint8Array, header: Record<string, unknown> = { alg: 'HS256' }) =>
    new SignJWT({ 'cur:role': 'AP', ...claims }).setProtectedHeader(header as { alg: string }).setSubject('dev:mallory').setIssuedAt().sign(key);

  const cases: [string, () => Promise<string | undefined>, string?][] = [
    ['no Authorization header', async () => undefined],
    ['a Basic credential', async () => 'Basic ZGV2OmRldg=='],
    ['a token signed with another key', async () => `Bearer ${await sign({ iss: DEV_JWT.issuer, aud: DEV_JWT.audience, exp: now() + 600 }, forgedKey)}`],
    ['an expired token', async () => `Bearer ${await signDevToken(jwtKey, { role: 'AP', ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) })}`, 'expired'],
    ['a token from another issuer', async () => `Bearer ${await sign({ iss: 'https://evil.example', aud: DEV_JWT.audience, exp: now() + 600 }, jwtKey)}`],
    ['a token for another audience', async () => `Bearer ${await sign({ iss: DEV_JWT.issuer, aud: 'someone-else', exp: now() + 600 }, jwtKey)}`],
    ['a token without exp', async () => `Bearer ${await sign({ iss: DEV_JWT.issuer, aud: DEV_JWT.audience }, jwtKey)}`],
    ['an unsigned (alg none) token', async () => `Bearer ${new UnsecuredJWT({ 'cur:role': 'SYSTEM' }).setIssuer(DEV_JWT.issuer).setAudience(DEV_JWT.audience).setSubject('dev:mallory').setExpirationTime('1h').encode()}`],
    [
      'a valid token with its role changed to SYSTEM',
      async () => {
        const [header, payload, signature] = (await signDevToken(jwtKey, { role: 'AP' })).split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        return `Bearer ${header}.${Buffer.from(JSON.stringify({ ...claims, 'cur:role': 'SYSTEM' })).toString('base64url')}.${signature}`;
      },
    ],
  ];

  it.each(cases)('answers 401 problem+json to %s, before the handler is called', async (_name, authorization, expected) => {
    const before = handlerCalls;
    const header = await authorization();
    const response = await request('GET', '/v1/tags', header === undefined ? {} : { authorization: header });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_(token|request)"$/);
    expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    if (expected === 'expired') expect(String(response.body['detail'])).toContain('expired');
    expect(handlerCalls).toBe(before);
  });

  it('passes a valid token\'s claims to the handler as API Gateway does', async () => {
    const before = handlerCalls;
    expect((await request('GET', '/v1/tags', { token: tokens.DM })).status).toBe(200);
    expect(handlerCalls).toBe(before + 1);
  });
});

describe('dev tokens', () => {
  it('keeps one 32-byte secret per state folder, mode 0600, and refuses a loose one', async () => {
    const file = join(home, DEV_JWT.keyFile);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await devJwtKey(home)).toEqual(jwtKey);
    await chmod(file, 0o644);
    await expect(devJwtKey(home)).rejects.toThrow(/chmod 600/);
    await chmod(file, 0o600);
  });

  it('cur token --role AP --ttl 60 prints a token the authorizer accepts, with the role and lifetime asked for', async () => {
    const output = capture();
    const program = new Command('cur').option('-r, --role <role>', 'role', 'DE').option('--home <dir>').exitOverride();
    registerTokenCommand(program, () => createCliContext(program.opts(), output, { CUR_HOME: home }));
    await program.parseAsync(['node', 'cur', 'token', '--role', 'AP', '--ttl', '60', '--sub', 'dev:crm']);
    const claims = await verifyDevToken(jwtKey, output.lines[0] ?? '');
    expect(claims).toMatchObject({ 'cur:role': 'AP', sub: 'dev:crm', iss: DEV_JWT.issuer, aud: DEV_JWT.audience });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(60);
    await expect(program.parseAsync(['node', 'cur', 'token', '--ttl', '0'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('prints demo curl lines with AP and DA tokens that work against cur serve', async () => {
    const lines = await devCurlExamples(home, { baseUrl: server.url, customerToken });
    const ap = lines.find((line) => line.startsWith('AP='))?.slice(3) ?? '';
    expect((await verifyDevToken(jwtKey, ap))['cur:role']).toBe('AP');
    expect(lines.join('\n')).toContain(`${server.url}/v1/customers/${customerToken}/tags`);
  });
});

describe('cur serve (the command)', () => {
  it('registers serve with --port, --host and --load', () => {
    const program = new Command('cur');
    registerServeCommand(program, () => {
      throw new Error('not run');
    });
    const serve = program.commands.find((command) => command.name() === 'serve');
    expect(serve?.options.map((option) => option.long)).toEqual(['--port', '--host', '--load']);
  });

  it('loads, serves the handler behind the authorizer until stopped, then closes', async () => {
    const output = capture();
    const ctx = createCliContext({ role: 'DE', home }, output, {}, { status: new ExitStatus(), interrupts: processInterrupts(output) });
    const stopper = new AbortController();
    const stop = (): void => stopper.abort();
    const serving = serveRetrievalApi(ctx, runtime, { port: 0, host: '127.0.0.1', load: true }, stopper.signal);
    let url: string | undefined;
    for (let i = 0; i < 200 && url === undefined; i += 1) {
      url = /retrieval API on (http:\/\/\S+)/.exec(output.lines.join('\n'))?.[1];
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(output.lines.join('\n')).toContain(`customers as of ${loaded.asOf}`);
    const answer: ApiGatewayV2Response | Response = await fetch(`${url ?? ''}/v1/tags`, { headers: { authorization: `Bearer ${tokens.DA}` } });
    expect(answer.status).toBe(200);
    stop();
    await serving;
    await expect(fetch(`${url ?? ''}/openapi.json`)).rejects.toThrow();
  });
});

describe('lookup by national ID after a key rotation', () => {
  it('still finds the customer: the ID is tokenized with the served tokens\' key version, not the newest', async () => {
    const service = TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() });
    const servedVersion = (await new ServingStore(runtime.keyValueStore, { pointerTtlMs: 0 }).current()).customerTokenKeyVersion;
    // The re-tokenise job's first step: until its rebuild reloads the serving store, the served tokens are the old version's.
    const rotated = await service.rotate({ principal: 'test', role: 'SYSTEM' }, 'national_id', { retokenize: true });
    expect(rotated).toBeGreaterThan(servedVersion ?? 0);
    // Under the new key the same ID has another token, which the served data does not hold.
    expect((await service.tokenize({ principal: 'test', role: 'SYSTEM' }, { dataset: 'customer_features', column: 'cust_id', values: [nationalId] })).tokens[0]).not.toBe(customerToken);
    // A handler started after the rotation: its key ring has never seen the old version as the active one.
    const fresh = createRetrievalApiHandler(() => Promise.resolve(localRetrievalDependencies(runtime)));
    const after = await startDevServer({ handler: fresh, jwtKey, port: 0 });
    try {
      const lookup = await fetch(`${after.url}/v1/customers/lookup`, { method: 'POST', headers: { authorization: `Bearer ${tokens.AP}`, 'content-type': 'application/json' }, body: JSON.stringify({ nationalId }) });
      const text = await lookup.text();
      expect(lookup.status, text).toBe(200);
      expect(CustomerSchema.parse(JSON.parse(text))).toMatchObject({ token: customerToken });
    } finally {
      await after.close();
    }
  });
});
