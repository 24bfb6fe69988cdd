import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DataHubRestEmitter } from '../../src/emitters';
import type { MetadataChangeProposal } from '../../src';

const STATUS: MetadataChangeProposal = { entityType: 'dataset', entityUrn: 'urn:li:dataset:(urn:li:dataPlatform:glue,cur-dev.cur_dev_raw.customer_profile,PROD)', changeType: 'UPSERT', aspectName: 'status', aspect: { json: { removed: false } } };
const PROPERTIES: MetadataChangeProposal = { ...STATUS, aspectName: 'datasetProperties', aspect: { json: { name: 'customer_profile', customProperties: {}, tags: [] } } };

interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** A loopback stand-in for DataHub's GMS that answers each request with the next status of `statuses` (then 200). */
async function gms(statuses: number[]): Promise<{ endpoint: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      response.writeHead(statuses.shift() ?? 200, { 'Content-Type': 'application/json' }).end('{"value":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received, server };
}

describe('Class: DataHubRestEmitter', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  it('posts each proposal to ingestProposal as Rest.li 2.0 with the aspect as a JSON string and the bearer token', async () => {
    // Prepare
    const fake = await gms([]);
    server = fake.server;
    const emitter = new DataHubRestEmitter({ endpoint: fake.endpoint, token: 'dev-token' });

    // Act
    const result = await emitter.emit([STATUS, PROPERTIES]);

    // Assess
    expect(result).toEqual({ sent: 2, failed: 0, failures: [] });
    expect(fake.received.map((request) => request.url)).toEqual(['/aspects?action=ingestProposal', '/aspects?action=ingestProposal']);
    expect(fake.received[0]?.headers).toMatchObject({ 'x-restli-protocol-version': '2.0.0', authorization: 'Bearer dev-token', 'content-type': 'application/json' });
    expect(fake.received[0]?.body).toEqual({ proposal: { entityType: 'dataset', entityUrn: STATUS.entityUrn, changeType: 'UPSERT', aspectName: 'status', aspect: { value: '{"removed":false}', contentType: 'application/json' } } });
  });

  it('retries a 503 and a 429, then succeeds', async () => {
    // Prepare
    const fake = await gms([503, 429]);
    server = fake.server;

    // Act
    const result = await new DataHubRestEmitter({ endpoint: fake.endpoint, backoffMs: 1 }).emit([STATUS]);

    // Assess
    expect(result.sent).toBe(1);
    expect(fake.received).toHaveLength(3);
  });

  it('reports, without throwing, a proposal refused with a 4xx (no retry) or failing every attempt', async () => {
    // Prepare
    const fake = await gms([400, 500, 500, 500]);
    server = fake.server;

    // Act
    const result = await new DataHubRestEmitter({ endpoint: fake.endpoint, backoffMs: 1 }).emit([STATUS, PROPERTIES]);

    // Assess
    expect(result).toEqual({
      sent: 0,
      failed: 2,
      failures: [
        { entityUrn: STATUS.entityUrn, aspectName: 'status', code: 'HTTP_400', status: 400 },
        { entityUrn: PROPERTIES.entityUrn, aspectName: 'datasetProperties', code: 'HTTP_500', status: 500 },
      ],
    });
    expect(fake.received).toHaveLength(4);
  });

  it('reports an unreachable DataHub as a network error', async () => {
    // Prepare: a port nothing listens on.
    const fake = await gms([]);
    const { endpoint } = fake;
    await new Promise((resolve) => fake.server.close(resolve));

    // Act
    const result = await new DataHubRestEmitter({ endpoint, attempts: 2, backoffMs: 1 }).emit([STATUS]);

    // Assess
    expect(result.failures).toEqual([{ entityUrn: STATUS.entityUrn, aspectName: 'status', code: 'NETWORK_ERROR' }]);
  });

  it('stops trying once DataHub failed several proposals in a row, and reports the rest unsent', async () => {
    // Prepare: every request answered 503.
    const fake = await gms(Array.from({ length: 100 }, () => 503));
    server = fake.server;
    const proposals = Array.from({ length: 10 }, () => STATUS);

    // Act
    const result = await new DataHubRestEmitter({ endpoint: fake.endpoint, attempts: 2, backoffMs: 1, maxConsecutiveFailures: 3 }).emit(proposals);

    // Assess: 3 proposals tried twice each, 7 never sent
    expect(fake.received).toHaveLength(6);
    expect(result.failed).toBe(10);
    expect(result.failures.map((failure) => failure.code)).toEqual([...Array.from({ length: 3 }, () => 'HTTP_503'), ...Array.from({ length: 7 }, () => 'NOT_SENT')]);
  });
});
