import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataHubRestEmitter } from '@cur/lineage/datahub-rest';
import { createLogger } from '@cur/platform';
import { createMetrics } from '@cur/platform/metrics';
import { emitLineageAfterJobRun } from '../../src/core';
import { createLineageEmitterLambda } from '../../src/handler';
import { createLineageEmitterDependencies, type LineageEmitterWiring } from '../../src/wiring';

const event = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const withDetail = (name: string, detail: Record<string, unknown>): Record<string, unknown> => {
  const base = event(name);
  return { ...base, detail: { ...(base['detail'] as Record<string, unknown>), ...detail } };
};

/** A loopback stand-in for DataHub's GMS: answers `status` to every proposal, or never answers with `hang`. */
async function gms(answer: number | 'hang'): Promise<{ url: string; bodies: string[]; authorizations: (string | undefined)[]; server: Server }> {
  const bodies: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      authorizations.push(request.headers.authorization);
      if (answer !== 'hang') response.writeHead(answer, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, authorizations, server };
}

/**
 * A loopback stand-in for the AWS Parameters and Secrets Lambda Extension, which runs only inside Lambda: it serves
 * one secret at `/secretsmanager/get?secretId=` to a caller presenting the session token, as the extension does.
 */
async function secretsExtension(secretId: string, secretString: string): Promise<{ port: number; server: Server }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.headers['x-aws-parameters-secrets-token'] !== 'session-token' || url.pathname !== '/secretsmanager/get' || url.searchParams.get('secretId') !== secretId) {
      response.writeHead(400).end('{}');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Name: secretId, SecretString: secretString, VersionStages: ['AWSCURRENT'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

describe('lineage-emitter handler', () => {
  let home: string;
  let server: Server | undefined;
  let wiring: LineageEmitterWiring | undefined;
  const tools = { logger: createLogger({ serviceName: 'lineage-emitter-test' }), metrics: createMetrics({ serviceName: 'lineage-emitter-test' }) };
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ CUR_HOME: home, CUR_MODE: 'local', CUR_STAGE: 'dev', AWS_REGION: 'ap-northeast-1', ...extra });
  const lambdaFor = async (extra: Record<string, string>) => {
    wiring = await createLineageEmitterDependencies(env(extra), { logger: tools.logger });
    const ready = wiring;
    return createLineageEmitterLambda(() => Promise.resolve(ready), tools);
  };

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cur-lineage-emitter-'));
  });
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
    await wiring?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('sends the whole lineage, column lineage past transform included, when the run\'s last Glue step ends', async () => {
    // Prepare
    const datahub = await gms(200);
    server = datahub.server;
    const handler = await lambdaFor({ CUR_DATAHUB_ENDPOINT: datahub.url });

    // Act
    const emission = await handler(event('glue-job-succeeded'));

    // Assess
    expect(emission).toMatchObject({ outcome: 'emitted', failed: 0 });
    expect(emission.outcome === 'emitted' && emission.sent).toBe(datahub.bodies.length);
    const aspects = datahub.bodies.map((body) => JSON.parse(body) as { proposal: { aspectName: string; aspect: { value: string } } });
    const derived = aspects.filter((a) => a.proposal.aspectName === 'upstreamLineage').map((a) => a.proposal.aspect.value).join('\n');
    expect(derived).toContain('cur_dev_consumption.customer_features,PROD),aum_total)');
    expect(derived).toContain('TAG:credit_watch');
  });

  it('sends it after a failed step too, and never copies the event\'s error message', async () => {
    // Prepare
    const datahub = await gms(200);
    server = datahub.server;
    const handler = await lambdaFor({ CUR_DATAHUB_ENDPOINT: datahub.url });

    // Act
    const emission = await handler(event('glue-job-failed'));

    // Assess
    expect(emission.outcome).toBe('emitted');
    expect(datahub.bodies.join('\n')).not.toContain('A123456789');
  });

  it('ignores a step that succeeds mid-run and any Glue job that is not the pipeline\'s', async () => {
    // Prepare
    const datahub = await gms(200);
    server = datahub.server;
    const handler = await lambdaFor({ CUR_DATAHUB_ENDPOINT: datahub.url });

    // Act
    const midRun = await handler(withDetail('glue-job-succeeded', { jobName: 'cur-dev-transform' }));
    const otherStage = await handler(withDetail('glue-job-failed', { jobName: 'cur-prod-transform' }));
    const otherJob = await handler(withDetail('glue-job-failed', { jobName: 'cur-dev-nightly-export' }));

    // Assess
    expect([midRun, otherStage, otherJob]).toEqual([
      { outcome: 'ignored', reason: 'run-goes-on' },
      { outcome: 'ignored', reason: 'not-a-pipeline-job' },
      { outcome: 'ignored', reason: 'not-a-pipeline-job' },
    ]);
    expect(datahub.bodies).toEqual([]);
  });

  it('returns, without throwing, when DataHub answers 503 to everything: a few tries, then the rest reported unsent', async () => {
    // Prepare
    const datahub = await gms(503);
    server = datahub.server;
    const handler = await lambdaFor({ CUR_DATAHUB_ENDPOINT: datahub.url });

    // Act
    const emission = await handler(event('glue-job-succeeded'));

    // Assess: the emitter's defaults, 5 proposals in a row with 3 attempts each, then it stops trying
    expect(emission).toMatchObject({ outcome: 'emitted', sent: 0 });
    expect(emission.outcome === 'emitted' && emission.failed).toBeGreaterThan(100);
    expect(datahub.bodies).toHaveLength(15);
  }, 30_000);

  it('returns, without throwing, when nothing listens at the endpoint', async () => {
    // Prepare: a port nothing listens on any more
    const closed = await gms(200);
    await new Promise((resolve) => closed.server.close(resolve));
    const handler = await lambdaFor({ CUR_DATAHUB_ENDPOINT: closed.url });

    // Act
    const emission = await handler(event('glue-job-failed'));

    // Assess
    expect(emission).toMatchObject({ outcome: 'emitted', sent: 0 });
  }, 30_000);

  it('returns, without throwing, when the endpoint\'s SSM parameter cannot be read', async () => {
    // Prepare: the parameter through the Lambda extension, which does not run here (no AWS_SESSION_TOKEN)
    const handler = await lambdaFor({ CUR_DATAHUB_ENDPOINT_PARAMETER: '/cur-dev/datahub/endpoint' });

    // Act
    const emission = await handler(event('glue-job-succeeded'));

    // Assess
    expect(emission).toEqual({ outcome: 'not-sent', code: 'ADAPTER_FAILURE' });
  });

  describe('the DataHub connection secret', () => {
    const secretId = 'cur-dev/airflow/connections/datahub_rest_default';
    let extension: Server | undefined;
    afterEach(async () => {
      await new Promise((resolve) => extension?.close(resolve) ?? resolve(undefined));
      extension = undefined;
    });
    const withConnection = async (connection: string, endpoint: string) => {
      const stand = await secretsExtension(secretId, connection);
      extension = stand.server;
      return lambdaFor({ CUR_DATAHUB_ENDPOINT: endpoint, CUR_DATAHUB_CONNECTION_SECRET_ID: secretId, AWS_SESSION_TOKEN: 'session-token', PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(stand.port) });
    };

    it("sends every proposal with the connection's password, the token Airflow's DataHub plugin uses too", async () => {
      // Prepare: the connection as the rotation leaves it
      const datahub = await gms(200);
      server = datahub.server;
      const token = 'eyJhbGciOiJIUzI1NiJ9.rotated-token-of-the-service-user.c2lnbmF0dXJl';
      const handler = await withConnection(JSON.stringify({ conn_type: 'datahub-rest', host: datahub.url, password: token }), datahub.url);

      // Act
      const emission = await handler(event('glue-job-succeeded'));

      // Assess
      expect(emission).toMatchObject({ outcome: 'emitted', failed: 0 });
      expect(new Set(datahub.authorizations)).toEqual(new Set([`Bearer ${token}`]));
      expect(JSON.stringify(emission)).not.toContain(token);
    });

    it('sends without a token while the connection holds only the CDK placeholder (never seeded)', async () => {
      // Prepare
      const datahub = await gms(200);
      server = datahub.server;
      const handler = await withConnection(JSON.stringify({ conn_type: 'datahub-rest', host: datahub.url, description: 'Xq7generatedByCloudFormation' }), datahub.url);

      // Act
      await handler(event('glue-job-succeeded'));

      // Assess
      expect(new Set(datahub.authorizations)).toEqual(new Set([undefined]));
    });

    it('sends nothing, and quotes nothing of it, when the secret is not the connection', async () => {
      // Prepare: a bare token where the connection's JSON belongs
      const handler = await withConnection('eyJhbGciOiJIUzI1NiJ9.a-bare-token.c2ln', 'http://127.0.0.1:9');
      const lines: string[] = [];
      const capture = (chunk: string | Uint8Array): boolean => lines.push(String(chunk)) > 0;
      const writes = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
      tools.logger.setLogLevel('DEBUG');

      // Act
      const emission = await handler(event('glue-job-succeeded')).finally(() => {
        for (const write of writes) write.mockRestore();
        tools.logger.setLogLevel('SILENT');
      });

      // Assess
      expect(emission).toEqual({ outcome: 'not-sent', code: 'CONFIG_INVALID' });
      expect(lines.join('')).toContain('CONFIG_INVALID');
      expect(lines.join('')).not.toContain('a-bare-token');
    });
  });

  it('rejects an event of another shape, so Lambda dead-letters it', async () => {
    // Prepare
    const handler = await lambdaFor({ CUR_DATAHUB_ENDPOINT: 'http://127.0.0.1:9' });

    // Act & Assess
    await expect(handler({ ...event('glue-job-succeeded'), source: 'cur.platform' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(handler(withDetail('glue-job-succeeded', { state: 'RUNNING' }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('emitLineageAfterJobRun', () => {
  it('returns within the emitter\'s timeouts when DataHub accepts connections but never answers', async () => {
    // Prepare
    const datahub = await gms('hang');
    const home = await mkdtemp(join(tmpdir(), 'cur-lineage-emitter-'));
    const wiring = await createLineageEmitterDependencies({ CUR_HOME: home, CUR_MODE: 'local', CUR_STAGE: 'dev', CUR_DATAHUB_ENDPOINT: datahub.url });
    try {
      // Act
      const emission = await emitLineageAfterJobRun(
        { jobName: 'cur-dev-mart', state: 'SUCCEEDED' },
        { ...wiring, emitter: (url) => new DataHubRestEmitter({ endpoint: url, timeoutMs: 50, backoffMs: 1, attempts: 2, maxConsecutiveFailures: 2 }) },
      );

      // Assess: two proposals timed out twice each, the rest were not tried
      expect(emission).toMatchObject({ outcome: 'emitted', sent: 0 });
      expect(datahub.bodies).toHaveLength(4);
    } finally {
      datahub.server.closeAllConnections();
      await new Promise((resolve) => datahub.server.close(resolve));
      await wiring.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
