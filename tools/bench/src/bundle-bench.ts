/**
 * `npm run bench:bundles [-- --node /path/to/node22]`: each app's Lambda bundle (`dist/apps/<app>/handler.mjs`, built
 * first by the Nx target): its size, its size deflated (about what the deployment zip weighs), the AWS SDK clients it
 * carries (from its sourcemap), and a cold import (a fresh `node` importing the bundle, process start included) under
 * this Node and, with `--node`, under another binary too (Lambda's Node 22). Appended to docs/benchmarks.md; the
 * budgets are in each app's `tests/unit/bundle.test.ts`.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]?.replace(/^--/, '') ?? '', process.argv[i + 1] ?? '');
const otherNode = args.get('node');
const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** Milliseconds for a fresh process of `node` to import the bundle; the median of three. */
async function coldImport(node: string, file: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    await run(node, ['--input-type=module', '-e', `await import(${JSON.stringify(file)})`], { env: { PATH: process.env['PATH'] ?? '' } });
    times.push(performance.now() - started);
  }
  return Math.round(times.sort((a, b) => a - b)[1] ?? 0);
}

const otherVersion = otherNode === undefined ? undefined : (await run(otherNode, ['--version'])).stdout.trim();
const rows: string[] = [];
for (const app of (await readdir(join(root, 'dist/apps'))).sort()) {
  const file = join(root, 'dist/apps', app, 'handler.mjs');
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size === undefined) continue;
  const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
  const clients = [...new Set(map.sources.map((source) => /node_modules\/@aws-sdk\/client-([^/]+)\//.exec(source)?.[1]).filter(Boolean))].sort();
  const zipped = deflateRawSync(await readFile(file), { level: 9 }).length;
  const here = await coldImport(process.execPath, file);
  const there = otherNode === undefined ? undefined : await coldImport(otherNode, file);
  rows.push(`| ${app} | ${(size / 1e6).toFixed(2)} MB | ${(zipped / 1e6).toFixed(2)} MB | ${clients.join(', ') || 'none'} | ${here} ms |${there === undefined ? '' : ` ${there} ms |`}`);
}

const lines = [
  '',
  `### Lambda bundles, ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB. Minified ESM, esbuild target node22; deflated: zlib level 9 of the bundle alone; cold import: the median of three fresh processes importing the bundle, process start included.`,
  '',
  `| bundle | size | deflated | AWS SDK clients | cold import, Node ${process.version} |${otherVersion === undefined ? '' : ` cold import, Node ${otherVersion} |`}`,
  `| --- | ---: | ---: | --- | ---: |${otherVersion === undefined ? '' : ' ---: |'}`,
  ...rows,
];
const docs = join(root, 'docs/benchmarks.md');
await writeFile(docs, `${(await readFile(docs, 'utf8')).trimEnd()}\n${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
