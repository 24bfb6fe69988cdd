import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, renderedDom } from '../helpers/chromium';
import { runCurBin, startCur, type RunningCur } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 9: `cur serve` serves interactive API docs at /docs (Swagger UI from the pinned swagger-ui-dist,
 * no CDN), and a path without a route is 404 before authentication. The real executable serves; headless Chromium
 * renders the page.
 */

let home: string;
let serve: RunningCur;
let url: string;
const chromium = findChromium();

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-docs-'));
  serve = startCur(['serve', '--port', '0'], home);
  await serve.waitFor(/interactive API docs: http:\/\/\S+/);
  url = /retrieval API on (http:\/\/\S+)/.exec(serve.output())?.[1] ?? '';
}, 120_000);

afterAll(async () => {
  serve?.kill('SIGTERM');
  await serve?.exited;
  await rm(home, { recursive: true, force: true });
});

describe('cur serve /docs (issue 17, point 9)', () => {
  it('serves the page and the Swagger UI files from node_modules, public, under a same-origin CSP; nothing else under /docs', async () => {
    // Act
    const redirect = await fetch(`${url}/docs`, { redirect: 'manual' });
    const page = await fetch(`${url}/docs/`);
    const bundle = await fetch(`${url}/docs/swagger-ui-bundle.js`);
    const escape = await fetch(`${url}/docs/..%2Fpackage.json`);
    const other = await fetch(`${url}/docs/index.js`);

    // Assess
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/docs/');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="./swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
    expect(escape.status).toBe(404);
    expect(other.status).toBe(404);
  });

  it('answers a path without a route 404 before authentication, and a real route without a token 401', async () => {
    const unknown = await fetch(`${url}/v2/nothing`);
    const known = await fetch(`${url}/v1/tags`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await unknown.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(known.status).toBe(401);
  });

  it('answers a method an HTTP API does not carry (TRACE) 405 with the path\'s Allow, not 400', async () => {
    // fetch refuses to send TRACE; node:http does.
    const answer = await new Promise<{ status: number; allow: string | undefined; type: string | undefined }>((resolve, reject) => {
      const request = httpRequest(`${url}/v1/tags`, { method: 'TRACE' }, (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, allow: response.headers.allow, type: response.headers['content-type'] }));
      });
      request.on('error', reject);
      request.end();
    });
    expect(answer).toEqual({ status: 405, allow: 'GET', type: 'application/problem+json' });
  });

  it.skipIf(chromium === undefined)('renders in headless Chromium: every operation of /openapi.json on the page, with the Authorize button', async () => {
    // Act
    const dom = await renderedDom(chromium ?? '', `${url}/docs/`);

    // Assess: Swagger UI ran (its script built the operations from the served document).
    expect(dom).toContain('class="swagger-ui');
    for (const path of ['/v1/customers/{token}/tags', '/v1/customers/lookup', '/v1/customers:batchGet', '/v1/tags', '/v1/tags/{name}/customers', '/v1/segments/{id}/metrics']) {
      expect(dom, path).toContain(`data-path="${path}"`);
    }
    expect(dom).toMatch(/class="btn authorize/);
  }, 180_000);

  it('cur serve --help mentions /docs', async () => {
    const help = await runCurBin(['serve', '--help'], home);
    expect(help.stdout).toContain('/docs');
  });
});
