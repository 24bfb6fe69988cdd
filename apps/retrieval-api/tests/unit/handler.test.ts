import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleRetrievalApi } from '../../src/handler';

const realEvent = (): unknown => JSON.parse(readFileSync(new URL('../events/apigw-v2-request.json', import.meta.url), 'utf8'));

describe('handleRetrievalApi', () => {
  it('answers a real API Gateway v2 request with 501 until the service exists', async () => {
    const response = await handleRetrievalApi(realEvent());
    expect(response.statusCode).toBe(501);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ code: 'NOT_IMPLEMENTED', status: 501 });
  });

  it('answers 400 problem+json to something that is not an API Gateway v2 event', async () => {
    const response = await handleRetrievalApi({ hello: 'world' });
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
  });
});
