import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { z } from 'zod';
import { PIPELINE_TRIGGER_ERROR_CODES, MwaaInvokeError } from './errors';

/** AWS credentials as the SDK's providers resolve them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Options of {@link MwaaRestApiClient}. */
export interface MwaaRestApiClientOptions {
  readonly region: string;
  /**
   * Where to send the call instead of MWAA's regional endpoint (a stand-in on loopback in tests). No `env.` host
   * prefix is added to it, as the SDK's `disableHostPrefix` would not.
   * @default `https://env.airflow.<region>.amazonaws.com`
   */
  readonly endpoint?: string;
  /** @default the SDK's default credential chain (`@aws-sdk/credential-provider-node`): the Lambda role's keys */
  readonly credentials?: () => Promise<AwsCredentials>;
  /** @default DEFAULT_MWAA_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

/** One Airflow REST API call through MWAA (`InvokeRestApi`'s input). */
export interface InvokeRestApiInput {
  /** The MWAA environment's name. */
  readonly name: string;
  /** The Airflow REST API path, e.g. `/dags/cur_pipeline/dagRuns` (at most 64 characters). */
  readonly path: string;
  readonly method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  readonly body?: Readonly<Record<string, unknown>>;
  readonly queryParameters?: Readonly<Record<string, unknown>>;
}

/** What Airflow answered (`InvokeRestApi`'s output). */
export interface InvokeRestApiOutput {
  readonly restApiStatusCode: number;
  readonly restApiResponse: unknown;
}

/** MWAA's own timeout for InvokeRestApi is 10 s; this leaves it room to answer. @default */
export const DEFAULT_MWAA_TIMEOUT_MS = 15_000;

/** `InvokeRestApiResponse`, and the body of `RestApiClientException` / `RestApiServerException`. */
const RestApiAnswerSchema = z.looseObject({ RestApiStatusCode: z.number().int().optional(), RestApiResponse: z.unknown().optional() });

/**
 * MWAA's `InvokeRestApi` (API version 2020-07-01, protocol rest-json): `POST /restapi/{Name}` on
 * `env.airflow.<region>.amazonaws.com`, signed with SigV4 for the service `airflow`, the Airflow call as
 * `{ Path, Method, QueryParameters, Body }`.
 *
 * Written here rather than taken from `@aws-sdk/client-mwaa` because the newest release the npm registry serves this
 * workspace (3.523.0) predates the operation; the wire format follows the service model botocore ships
 * (`botocore/data/mwaa/2020-07-01/service-2.json`). Replace it with the SDK's `InvokeRestApiCommand` once a release
 * with it is available.
 *
 * Errors: anything but HTTP 200 is a {@link MwaaInvokeError} with MWAA's error type; when the call reached Airflow
 * (`RestApiClientException`, `RestApiServerException`) it carries Airflow's status code. Airflow's response text is
 * never put in a message.
 */
export class MwaaRestApiClient {
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #timeoutMs: number;

  constructor(options: MwaaRestApiClientOptions) {
    this.#url = new URL(options.endpoint ?? `https://env.airflow.${options.region}.${dnsSuffixOf(options.region)}`);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_MWAA_TIMEOUT_MS;
    this.#signer = new SignatureV4({
      service: 'airflow',
      region: options.region,
      credentials: options.credentials ?? defaultCredentials(),
      sha256: NodeSha256,
      uriEscapePath: true,
      applyChecksum: true,
    });
  }

  /** Where calls go: MWAA's regional endpoint, or the configured one. */
  get endpoint(): string {
    return this.#url.origin;
  }

  /** Sends one Airflow REST API call through MWAA and returns Airflow's status and response. */
  async invoke(input: InvokeRestApiInput): Promise<InvokeRestApiOutput> {
    const body = JSON.stringify({
      Path: input.path,
      Method: input.method,
      ...(input.queryParameters === undefined ? {} : { QueryParameters: input.queryParameters }),
      ...(input.body === undefined ? {} : { Body: input.body }),
    });
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: this.#url.protocol,
      hostname: this.#url.hostname,
      ...(this.#url.port === '' ? {} : { port: Number(this.#url.port) }),
      path: `${this.#url.pathname.replace(/\/$/, '')}/restapi/${encodeURIComponent(input.name)}`,
      query: {},
      headers: { host: this.#url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    const response = await this.#send(signed.path, signed.headers, body);
    const parsed = RestApiAnswerSchema.safeParse(parseJson(response.body));
    if (response.status === 200) {
      if (!parsed.success || parsed.data.RestApiStatusCode === undefined) {
        throw new MwaaInvokeError(PIPELINE_TRIGGER_ERROR_CODES.mwaaFailed, 'MWAA answered InvokeRestApi without RestApiStatusCode', { errorType: 'MalformedResponse', httpStatus: 200 });
      }
      return { restApiStatusCode: parsed.data.RestApiStatusCode, restApiResponse: parsed.data.RestApiResponse };
    }
    const errorType = errorTypeOf(response.headers['x-amzn-errortype'], parseJson(response.body));
    const restApiStatusCode = parsed.success ? parsed.data.RestApiStatusCode : undefined;
    throw new MwaaInvokeError(
      PIPELINE_TRIGGER_ERROR_CODES.mwaaFailed,
      `MWAA InvokeRestApi ${input.method} ${input.path} on ${input.name} failed: ${errorType} (HTTP ${response.status}${restApiStatusCode === undefined ? '' : `, Airflow ${restApiStatusCode}`})`,
      { errorType, httpStatus: response.status, ...(restApiStatusCode === undefined ? {} : { restApiStatusCode }) },
    );
  }

  #send(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const send = this.#url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        { method: 'POST', host: this.#url.hostname, port: this.#url.port === '' ? undefined : Number(this.#url.port), path, headers, timeout: this.#timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`MWAA InvokeRestApi did not answer within ${this.#timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The DNS suffix of a region's partition. */
function dnsSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The SDK's default credential chain, loaded on first use. */
function defaultCredentials(): () => Promise<AwsCredentials> {
  let provider: (() => Promise<AwsCredentials>) | undefined;
  return async () => {
    if (provider === undefined) {
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      provider = defaultProvider();
    }
    return provider();
  };
}

/** A rest-json error's type: the `x-amzn-ErrorType` header, else the body's `__type` or `code`, without namespace or URL. */
function errorTypeOf(header: string | string[] | undefined, body: unknown): string {
  const fromBody = typeof body === 'object' && body !== null ? ((body as Record<string, unknown>)['__type'] ?? (body as Record<string, unknown>)['code']) : undefined;
  const raw = (Array.isArray(header) ? header[0] : header) ?? (typeof fromBody === 'string' ? fromBody : undefined) ?? 'UnknownError';
  return raw.split(':')[0]?.split('#').pop() ?? 'UnknownError';
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape SigV4 expects (`@smithy/types` `Checksum`). */
class NodeSha256 {
  readonly #secret: SourceData | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = NodeSha256.#create(secret);
  }

  static #create(secret: SourceData | undefined): Hash | Hmac {
    return secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: SourceData): void {
    this.#hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = NodeSha256.#create(this.#secret);
  }
}
