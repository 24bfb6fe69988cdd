import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the interactive API docs live on `cur serve`. */
export const DOCS_PATH = '/docs';

/**
 * The Swagger UI files served under {@link DOCS_PATH}, from the pinned `swagger-ui-dist` package in node_modules: no
 * CDN, nothing fetched at run time. Only these names are served; anything else under `/docs/` is 404.
 */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * The page: Swagger UI on this server's own `/openapi.json`, the Authorize button taking a `cur token` JWT. The
 * initializer is a file of its own, so the page runs under a CSP without inline scripts.
 */
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CUR retrieval API</title>
<link rel="stylesheet" href="./swagger-ui.css">
<link rel="icon" type="image/png" href="./favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="./swagger-ui-bundle.js"></script>
<script src="./swagger-ui-standalone-preset.js"></script>
<script src="./docs-initializer.js"></script>
</body>
</html>
`;

const INITIALIZER_JS = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** A static answer of the docs. */
export interface DocsResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** What the docs pages may load: this origin only (the Swagger UI files and the OpenAPI document). */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

let assetDir: string | undefined;

function swaggerUiDir(): string {
  assetDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return assetDir;
}

/**
 * The answer to a GET under {@link DOCS_PATH}, or `undefined` when the path is not the docs'. Public like
 * `/openapi.json`: the page holds no data, and the API calls it makes carry the token the user enters.
 */
export async function docsResponse(method: string, path: string): Promise<DocsResponse | undefined> {
  if (path !== DOCS_PATH && !path.startsWith(`${DOCS_PATH}/`)) return undefined;
  const headers = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('the API docs answer GET\n') };
  }
  if (path === DOCS_PATH) return { status: 308, headers: { ...headers, location: `${DOCS_PATH}/` }, body: Buffer.alloc(0) };
  const name = path.slice(DOCS_PATH.length + 1);
  if (name === '' || name === 'index.html') return { status: 200, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(INDEX_HTML) };
  if (name === 'docs-initializer.js') return { status: 200, headers: { ...headers, 'content-type': 'text/javascript; charset=utf-8' }, body: Buffer.from(INITIALIZER_JS) };
  const type = ASSETS[name];
  if (type === undefined) return { status: 404, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('no such file in the API docs\n') };
  return { status: 200, headers: { ...headers, 'content-type': type }, body: await readFile(join(swaggerUiDir(), name)) };
}
