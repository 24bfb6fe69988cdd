import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@cur/platform';
import { problemResponse } from '@cur/platform';
import { MAX_REQUEST_BYTES, readRequestBody, sendApiGatewayResponse as send, toApiGatewayEvent } from '@cur/platform/http-gateway';
import type { TokenService } from '../service/token-service';
import { createMaskingKeyServiceHandler } from './key-service-handler';

/** The environment variable the Spark mask job reads its key service credential from (never argv, never a log). */
export const KEY_SERVICE_TOKEN_ENV = 'CUR_KEY_SERVICE_TOKEN';

/** The principal the audit log records for the loopback service's caller. */
export const LOOPBACK_PRINCIPAL = 'system:spark-mask-job';

/** The one route the loopback service answers: the mask job needs nothing else, so its credential opens nothing else. */
const TOKENIZE_PATH = '/v1/tokenize';

/** Options of {@link startLoopbackKeyService}. */
export interface LoopbackKeyServiceOptions {
  /** The token service the handler calls: the run's keys and audit log. */
  readonly service: TokenService;
  /** @default {@link LOOPBACK_PRINCIPAL} */
  readonly principal?: string;
  /** @default the handler's own `masking-key-service` logger */
  readonly logger?: Logger;
}

/** A running loopback key service. */
export interface LoopbackKeyService {
  /** e.g. `http://127.0.0.1:41234/v1/tokenize` */
  readonly tokenizeUrl: string;
  /**
   * The per-run SYSTEM credential: random, valid until {@link close}. Hand it only to the job that masks, in its
   * environment ({@link KEY_SERVICE_TOKEN_ENV}); never in arguments, files or logs.
   */
  readonly credential: string;
  /** Requests answered so far (refusals included). */
  readonly requests: () => number;
  close(): Promise<void>;
}

/**
 * Serves the masking-key-service's Lambda handler (`createMaskingKeyServiceHandler`, the one implementation of the
 * crypto) on 127.0.0.1 at a random port, for the Spark mask job: locally it stands where, in AWS, the Lambda behind
 * IAM auth stands. The caller is authenticated by a per-run bearer credential compared in constant time; a request
 * without it is answered 401 and never reaches the handler. An authenticated request becomes an API Gateway v2 event
 * with the claims a JWT authorizer would put there: `sub` the job's principal, `cur:role` SYSTEM; the token service
 * audits every call. Only `POST /v1/tokenize` is served. Bodies are never logged.
 *
 * @example
 * const keys = await startLoopbackKeyService({ service: TokenService.create({ keyValueStore, keyVault }) });
 * try {
 *   spawn(python, ['-m', 'cur_spark.jobs.mask', '--request', file], { env: { ...process.env, [KEY_SERVICE_TOKEN_ENV]: keys.credential } });
 * } finally {
 *   await keys.close();
 * }
 */
export async function startLoopbackKeyService(options: LoopbackKeyServiceOptions): Promise<LoopbackKeyService> {
  const handler = createMaskingKeyServiceHandler(() => Promise.resolve(options.service), options.logger ? { logger: options.logger } : {});
  const credential = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${credential}`);
  const claims = { sub: options.principal ?? LOOPBACK_PRINCIPAL, 'cur:role': 'SYSTEM' };
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    void answer(request, response).catch(() => {
      if (!response.headersSent) send(response, problemResponse(500, 'INTERNAL', 'Internal error', 'the loopback key service failed'));
      else response.destroy();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method !== 'POST' || path !== TOKENIZE_PATH) {
      request.resume();
      return send(response, problemResponse(404, 'ROUTE_NOT_FOUND', 'No such route', `the loopback key service answers only POST ${TOKENIZE_PATH}`));
    }
    const presented = Buffer.from(request.headers.authorization ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      request.resume();
      return send(response, problemResponse(401, 'UNAUTHENTICATED', 'Unauthorized', 'the bearer credential is not this run’s'));
    }
    const body = await readRequestBody(request);
    if (body === undefined) return send(response, problemResponse(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', `requests are limited to ${MAX_REQUEST_BYTES} bytes`));
    // The event carries the job's claims, as a JWT authorizer's would, and not the credential itself.
    send(response, await handler(toApiGatewayEvent(request, body, { claims, apiId: 'cur-loopback', keepHeaders: ['content-type', 'host', 'user-agent'] })));
  }

  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    tokenizeUrl: `http://127.0.0.1:${port}${TOKENIZE_PATH}`,
    credential,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
