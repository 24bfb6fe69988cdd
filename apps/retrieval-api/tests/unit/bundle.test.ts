import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bundle = fileURLToPath(new URL('../../../../dist/apps/retrieval-api/handler.mjs', import.meta.url));

describe('bundle', () => {
  it('exists with its sourcemap (the test target builds it first)', () => {
    expect(existsSync(bundle), `${bundle} is missing: run npx nx build retrieval-api`).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
  });

  it('imports under plain node with nothing beside it, as Lambda loads it', () => {
    // A folder with the bundle alone: no node_modules to fall back on, so every import must be inside the bundle.
    const dir = mkdtempSync(join(tmpdir(), 'cur-bundle-'));
    copyFileSync(bundle, join(dir, 'handler.mjs'));
    const script = "const m = await import('./handler.mjs'); console.log(typeof m.handler);";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    expect(out.trim()).toBe('function');
    expect(statSync(bundle).size).toBeGreaterThan(0);
  });

  it('answers /openapi.json and refuses an unauthenticated call from the bundle alone, loading no local adapter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cur-bundle-'));
    copyFileSync(bundle, join(dir, 'handler.mjs'));
    copyFileSync(fileURLToPath(new URL('../events/apigw-v2-request.json', import.meta.url)), join(dir, 'event.json'));
    const script = [
      "import { readFileSync } from 'node:fs';",
      "const { handler } = await import('./handler.mjs');",
      "const event = JSON.parse(readFileSync('./event.json', 'utf8'));",
      "const doc = await handler({ ...event, rawPath: '/openapi.json', requestContext: { ...event.requestContext, http: { method: 'GET', path: '/openapi.json' } } });",
      'const { authorizer, ...context } = event.requestContext;',
      'const refused = await handler({ ...event, requestContext: context });',
      'console.log(JSON.stringify([doc.statusCode, JSON.parse(doc.body).openapi, refused.statusCode]));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', POWERTOOLS_LOG_LEVEL: 'SILENT' } });
    expect(JSON.parse(out.trim())).toEqual([200, '3.1.0', 401]);
  });
});
