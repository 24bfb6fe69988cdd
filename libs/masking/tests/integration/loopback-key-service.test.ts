import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '@cur/runtime';
import { AuditLog, TokenService, startLoopbackKeyService, type LoopbackKeyService } from '../../src/index';
import { maskingRuntime } from '../helpers/masking-runtime';

let runtime: Runtime;
let service: TokenService;
let keys: LoopbackKeyService;
let audit: AuditLog;
beforeAll(async () => {
  ({ runtime } = await maskingRuntime());
  service = TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() });
  audit = new AuditLog(runtime.keyValueStore);
  keys = await startLoopbackKeyService({ service });
});
afterAll(async () => {
  await keys.close();
  await runtime.close();
});

const today = (): string => new Date().toISOString().slice(0, 10);
const batch = { dataset: 'customer_profile', column: 'cust_id', values: ['A123456789', 'B223456789', null] };

function post(path: string, body: unknown, authorization?: string): Promise<Response> {
  const url = keys.tokenizeUrl.replace('/v1/tokenize', path);
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) });
}

describe('startLoopbackKeyService', () => {
  it('serves the key service’s handler on 127.0.0.1: the tokens SYSTEM gets in-process, audited under the job’s principal', async () => {
    // Act
    const response = await post('/v1/tokenize', batch, `Bearer ${keys.credential}`);

    // Assess
    const direct = await service.tokenize({ principal: 'test', role: 'SYSTEM' }, batch);
    expect(keys.tokenizeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/tokenize$/);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(direct);
    const entries = await audit.day(today());
    expect(entries.find((entry) => entry.principal === 'system:spark-mask-job')).toMatchObject({ role: 'SYSTEM', operation: 'tokenize', outcome: 'allowed', count: 3 });
  });

  it('answers 401 to a missing or wrong credential before the handler: nothing tokenized, nothing audited', async () => {
    const before = (await audit.day(today())).length;

    const missing = await post('/v1/tokenize', batch);
    const wrong = await post('/v1/tokenize', batch, `Bearer ${keys.credential.slice(0, -1)}x`);

    expect([missing.status, wrong.status]).toEqual([401, 401]);
    const bodies = `${await missing.text()} ${await wrong.text()}`;
    expect(bodies).toContain('UNAUTHENTICATED');
    expect(bodies).not.toContain('A123456789');
    expect((await audit.day(today())).length).toBe(before);
  });

  it('opens no other route to the credential: detokenize and rotation are 404', async () => {
    const detokenize = await post('/v1/detokenize', { dataset: 'customer_profile', column: 'cust_id', tokens: ['X'] }, `Bearer ${keys.credential}`);
    const rotate = await post('/v1/keys/national_id/rotate', {}, `Bearer ${keys.credential}`);

    expect([detokenize.status, rotate.status]).toEqual([404, 404]);
  });

  it('makes a new credential per start', async () => {
    const other = await startLoopbackKeyService({ service });
    try {
      expect(other.credential).not.toBe(keys.credential);
      expect(other.credential.length).toBeGreaterThanOrEqual(43);
      expect((await post('/v1/tokenize', batch, `Bearer ${other.credential}`)).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
