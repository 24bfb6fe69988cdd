import { describe, expect, it } from 'vitest';
import { loadRetrievalApiConfig } from '../../src/config';

describe('loadRetrievalApiConfig', () => {
  it('needs the key service URL in AWS, not locally', () => {
    expect(loadRetrievalApiConfig({})).toEqual({ keyServiceUrl: undefined, pointerTtlMs: 1000 });
    expect(() => loadRetrievalApiConfig({ CUR_MODE: 'aws' })).toThrow(/CUR_KEY_SERVICE_URL is required/);
    expect(loadRetrievalApiConfig({ CUR_MODE: 'aws', CUR_KEY_SERVICE_URL: 'https://keys.cur.example', CUR_SERVING_POINTER_TTL_MS: '0' })).toEqual({ keyServiceUrl: 'https://keys.cur.example', pointerTtlMs: 0 });
    expect(() => loadRetrievalApiConfig({ CUR_KEY_SERVICE_URL: 'ftp://keys' })).toThrow(/CUR_KEY_SERVICE_URL/);
  });
});
