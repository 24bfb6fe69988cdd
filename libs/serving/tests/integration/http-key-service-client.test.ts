import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKeyServiceClient } from '../../src/index';

interface Seen {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A loopback HTTP server that answers like the masking-key-service, scripted per test. */
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let answer: (path: string) => { status: number; body: string; delayMs?: number };

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then(async (text) => {
      seen.push({ path: request.url ?? '', authorization: request.headers.authorization, body: JSON.parse(text) as Record<string, unknown> });
      const { status, body, delayMs } = answer(request.url ?? '');
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      response.writeHead(status, { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const caller = { principal: 'app-crm', role: 'AP', bearerToken: 'caller-jwt' };

describe('HttpKeyServiceClient', () => {
  it("looks one national ID up with the caller's own bearer token", async () => {
    seen = [];
    answer = () => ({ status: 200, body: JSON.stringify({ token: 'Q204718365', keyVersion: 3 }) });
    const result = await new HttpKeyServiceClient({ baseUrl }).lookup(caller, 'A123456789');
    expect(result).toEqual({ token: 'Q204718365', keyVersion: 3 });
    expect(seen).toEqual([{ path: '/v1/lookup', authorization: 'Bearer caller-jwt', body: { nationalId: 'A123456789' } }]);
  });

  it('looks up under the key version of the served tokens when given one', async () => {
    seen = [];
    answer = () => ({ status: 200, body: JSON.stringify({ token: 'Q204718365', keyVersion: 2 }) });
    await new HttpKeyServiceClient({ baseUrl }).lookup(caller, 'A123456789', 2);
    expect(seen).toMatchObject([{ path: '/v1/lookup', body: { nationalId: 'A123456789', keyVersion: 2 } }]);
  });

  it('passes a rate refusal on as RATE_LIMITED with the seconds to wait', async () => {
    answer = () => ({ status: 429, body: JSON.stringify({ code: 'RATE_LIMITED', status: 429, detail: 'trap A123456789' }) });
    const error = await new HttpKeyServiceClient({ baseUrl }).lookup(caller, 'A123456789').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 60 } });
    expect(String((error as Error).message)).not.toContain('A123456789');
  });

  it('detokenizes with the key version of the served tokens', async () => {
    seen = [];
    answer = () => ({ status: 200, body: JSON.stringify({ values: ['A123456789'] }) });
    expect(await new HttpKeyServiceClient({ baseUrl }).detokenize({ ...caller, role: 'SYSTEM' }, ['Q204718365'], 2)).toEqual(['A123456789']);
    expect(seen[0]?.body).toEqual({ dataset: 'customer_features', column: 'cust_id', tokens: ['Q204718365'], keyVersion: 2 });
  });

  it("passes a refusal on with the service's code only, never its text", async () => {
    answer = () => ({ status: 403, body: JSON.stringify({ type: 'urn:cur:problem:access_denied', title: 'AccessDeniedError', status: 403, code: 'ACCESS_DENIED', detail: 'trap A123456789' }) });
    const error = await new HttpKeyServiceClient({ baseUrl }).detokenize(caller, ['Q204718365'], 1).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(String((error as Error).message)).not.toContain('A123456789');
  });

  it.each([
    ['a server error', () => ({ status: 500, body: '{"message":"Internal Server Error"}' })],
    ['an unexpected body', () => ({ status: 200, body: JSON.stringify({ tokens: [] }) })],
    ['a body that is not JSON', () => ({ status: 200, body: '<html>' })],
    ['an authorizer refusal', () => ({ status: 401, body: '{"message":"Unauthorized"}' })],
    ['no answer in time', () => ({ status: 200, body: '{}', delayMs: 400 })],
  ])('answers KEY_SERVICE_FAILED to %s', async (_name, script) => {
    answer = script;
    const error = await new HttpKeyServiceClient({ baseUrl, timeoutMs: 150 }).lookup(caller, 'A123456789').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KEY_SERVICE_FAILED' });
    expect(String((error as Error).message)).not.toContain('A123456789');
  });
});
