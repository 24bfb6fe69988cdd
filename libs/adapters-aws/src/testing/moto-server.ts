import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The workspace's Python environment, made by `nx run python-env:setup` (the test target depends on it). */
const PYTHON = join(import.meta.dirname, '../../../../.venv/bin/python');

/** A running moto server on loopback. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: every AWS client of a test points here. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/**
 * Starts moto's AWS API server (PyPI `moto[server]`, pinned in the uv workspace) on 127.0.0.1 with the workspace's
 * `.venv` Python, and waits until it answers. Fails, never skips, when the environment is missing: the test target
 * depends on `python-env:setup`.
 */
export async function startMotoServer(timeoutMs = 60_000): Promise<MotoServer> {
  if (!existsSync(PYTHON)) throw new Error(`no ${PYTHON}: run npx nx run python-env:setup`);
  const port = await freePort();
  const child: ChildProcess = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto server exited ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** An ISO date-time as moto 5.2.6 writes DMS dates and times (`2026-12-07T01:02:03.456789+00:00`). */
const ISO_DATE_FIELD = /"(\w*(?:Date|Time))":\s*"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)?)"/g;

/** The part of the SDK's HTTP request the handler below reads. */
interface SdkHttpRequest {
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
}

/**
 * An HTTP handler for AWS SDK clients pointed at moto, which rewrites one known incompatibility before the SDK
 * parses a response: moto 5.2.6 writes DMS dates and times (`ReplicationTaskCreationDate`, `InstanceCreateTime`) as
 * ISO strings, where DMS's JSON protocol (and so the SDK's deserializer) has epoch seconds. Nothing else in the response is touched.
 */
export const motoDateCompatibleHandler = {
  async handle(request: SdkHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
    const url = `${request.protocol}//${request.hostname}${request.port === undefined ? '' : `:${request.port}`}${request.path}`;
    const { host: _host, 'content-length': _length, ...headers } = request.headers;
    const response = await fetch(url, { method: request.method, headers, ...(request.body === undefined ? {} : { body: request.body }) });
    const text = (await response.text()).replace(ISO_DATE_FIELD, (_match, field: string, iso: string) => `"${field}": ${Date.parse(/[+-]\d{2}:\d{2}$|Z$/.test(iso) ? iso : `${iso}Z`) / 1000}`);
    return { response: { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: new TextEncoder().encode(text) } };
  },
  updateHttpClientConfig(): void {
    // No configuration: every request goes through fetch as it is.
  },
  httpHandlerConfigs: () => ({}),
};
