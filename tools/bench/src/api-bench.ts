// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- autocannon ships no types; this file declares the part the bench uses
/// <reference path="./autocannon.d.ts" />
/**
 * `npm run bench:api [-- --customers 10000 --seconds 10]`: requests/s and latency of the retrieval API as `cur serve`
 * runs it (the Lambda handler behind the local JWT authorizer, on loopback), for a single tag lookup and a batchGet of
 * 100, next to a bare node:http server answering a fixed JSON body of the same size in the same run (the limit).
 * Also each app bundle's size and cold import time. Results are appended to docs/benchmarks.md.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]?.replace(/^--/, '') ?? '', process.argv[i + 1] ?? '');
const customers = Number(args.get('customers') ?? 10_000);
const seconds = Number(args.get('seconds') ?? 10);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cur = join(root, 'tools/cli/bin/cur.js');
const run = promisify(execFile);
const log = (text: string): void => void process.stderr.write(`${text}\n`);

const home = await mkdtemp(join(tmpdir(), 'cur-api-bench-'));
const env = { ...process.env, CUR_HOME: home, POWERTOOLS_LOG_LEVEL: 'ERROR' };
log(`building the lake and the serving store for ${customers} customers`);
await run(process.execPath, [cur, 'demo', '--customers', String(customers)], { env, maxBuffer: 64 * 1024 * 1024 });
const token = (await run(process.execPath, [cur, '--role', 'AP', 'token'], { env })).stdout.trim();
const port = 3900 + Math.floor(Math.random() * 90);
const server = spawn(process.execPath, [cur, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
await new Promise<void>((resolve, reject) => {
  server.stderr.on('data', (chunk: Buffer) => (chunk.toString().includes('retrieval API on') ? resolve() : undefined));
  server.once('exit', (code) => reject(new Error(`cur serve exited with ${code}`)));
  setTimeout(() => reject(new Error('cur serve did not start')), 60_000).unref();
});
const base = `http://127.0.0.1:${port}`;
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const tagged = (await (await fetch(`${base}/v1/tags/digitally_dormant/customers?limit=100`, { headers })).json()) as { customers?: { token?: string }[] };
const tokens = (tagged.customers ?? []).flatMap((customer) => (customer.token ? [customer.token] : []));
if (tokens.length < 100) throw new Error(`expected 100 customer tokens to query, got ${tokens.length}`);
const single = await fetch(`${base}/v1/customers/${tokens[0]}/tags`, { headers });
const singleBody = await single.text();
const batchBody = JSON.stringify({ tokens: tokens.slice(0, 100) });
const batchResponse = await (await fetch(`${base}/v1/customers:batchGet`, { method: 'POST', headers, body: batchBody })).text();

/** The limit: node:http answering the same bytes with no work. */
const bare = (body: string) =>
  new Promise<{ url: string; close: () => void }>((resolve) => {
    const server = createServer((_request, response) => {
      _request.resume();
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => server.close() });
    });
  });

const measure = (url: string, options: { method?: 'GET' | 'POST'; body?: string } = {}) =>
  autocannon({ url, connections: 10, duration: seconds, headers, ...(options.method ? { method: options.method } : {}), ...(options.body ? { body: options.body } : {}) });

const rows: string[] = [];
for (const [name, path, method, body, responseBody] of [
  ['single tag lookup', `/v1/customers/${tokens[0]}/tags`, 'GET', undefined, singleBody],
  ['batchGet of 100', '/v1/customers:batchGet', 'POST', batchBody, batchResponse],
] as const) {
  log(`measuring ${name} for ${seconds} s, then the bare server`);
  const ours = await measure(`${base}${path}`, { method, ...(body ? { body } : {}) });
  const limit = await bare(responseBody);
  const reference = await measure(limit.url, { method, ...(body ? { body } : {}) });
  limit.close();
  rows.push(
    `| ${name} (${responseBody.length} B) | ${Math.round(ours.requests.average)} | ${ours.latency.p50} | ${ours.latency.p99} | ${Math.round(reference.requests.average)} | ${((100 * ours.requests.average) / reference.requests.average).toFixed(0)}% | ${ours.non2xx} |`,
  );
}
server.kill('SIGTERM');

const bundles: string[] = [];
for (const app of (await readdir(join(root, 'dist/apps'))).sort()) {
  const file = join(root, 'dist/apps', app, 'handler.mjs');
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size === undefined) continue;
  const started = performance.now();
  await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(file)})`]);
  bundles.push(`| ${app} | ${(size / 1e6).toFixed(2)} MB | ${Math.round(performance.now() - started)} ms |`);
}

const lines = [
  '',
  `### Retrieval API, ${customers.toLocaleString('en')} customers, ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. autocannon, 10 connections, ${seconds} s each, loopback; \`cur serve\` (the Lambda handler behind the local JWT authorizer) in its own process, the bare node:http server in the bench's.`,
  '',
  '| request | req/s | p50 ms | p99 ms | bare server req/s | share of bare | non-2xx |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  'Targets (issue #6): single lookup p99 < 5 ms and >= 40% of the bare server. Bundle sizes and cold import (a fresh `node` importing the bundle, process start included):',
  '',
  '| bundle | size | cold import |',
  '| --- | ---: | ---: |',
  ...bundles,
];
const docs = join(root, 'docs/benchmarks.md');
await writeFile(docs, `${(await readFile(docs, 'utf8')).trimEnd()}\n${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
await rm(home, { recursive: true, force: true });
