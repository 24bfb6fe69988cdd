import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeLambdaBundle, lambdaBundlePath } from '@cur/platform/testing';

const bundle = lambdaBundlePath('retrieval-api');

// Measured sizes and the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: the serving table (DynamoDB).
describeLambdaBundle('retrieval-api', { maxBytes: 1_200_000, sdkClients: ['client-dynamodb'] });

describe('retrieval-api bundle', () => {
  it('answers /openapi.json and refuses an unauthenticated call from the bundle alone, loading no local adapter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cur-bundle-'));
    copyFileSync(bundle, join(dir, 'handler.mjs'));
    copyFileSync(fileURLToPath(new URL('../events/apigw-v2-request.json', import.meta.url)), join(dir, 'event.json'));
    const script = [
      "import { readFileSync } from 'node:fs';",
      "const { handler } = await import('./handler.mjs');",
      "const event = JSON.parse(readFileSync('./event.json', 'utf8'));",
      "const doc = await handler({ ...event, rawPath: '/openapi.json', requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: 'GET', path: '/openapi.json' } } });",
      'const { authorizer, ...context } = event.requestContext;',
      'const refused = await handler({ ...event, requestContext: context });',
      'console.log(JSON.stringify([doc.statusCode, JSON.parse(doc.body).openapi, refused.statusCode]));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', POWERTOOLS_LOG_LEVEL: 'SILENT' } });
    expect(JSON.parse(out.trim())).toEqual([200, '3.1.0', 401]);
  });
});
