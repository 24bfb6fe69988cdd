import { z } from 'zod';
import { CurError } from '@cur/platform';
import { CUSTOMER_TOKEN_COLUMN } from '../constants';
import type { CustomerLookup, CustomerTokenizer } from '../ports/customer-tokenizer';
import type { Detokenizer } from '../ports/detokenizer';
import type { KeyServiceCaller } from '../ports/key-service-caller';
import { ServingError } from '../serving-error';

/** Options of {@link HttpKeyServiceClient}. */
export interface HttpKeyServiceClientOptions {
  /** The masking-key-service's base URL, e.g. `https://keys.cur.example` (config `CUR_KEY_SERVICE_URL`). */
  readonly baseUrl: string;
  /** @default 3000 */
  readonly timeoutMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const LookupResponseSchema = z.looseObject({ token: z.string(), keyVersion: z.number().int().positive().optional() });
const DetokenizeResponseSchema = z.looseObject({ values: z.array(z.string().nullable()) });
const ProblemSchema = z.looseObject({ code: z.string().max(64).regex(/^[A-Z][A-Z0-9_]*$/) });

/**
 * The masking-key-service over HTTP: `POST /v1/lookup` (one national ID) and `POST /v1/detokenize` on the customer
 * token column, with the caller's own bearer token, so the key service authorizes, rate-limits and audits the caller.
 * Request bodies (national IDs) are never logged or put into an error.
 *
 * @example
 * const keys = new HttpKeyServiceClient({ baseUrl: config.keyServiceUrl });
 * const { token } = await keys.lookup({ principal: 'app-crm', role: 'AP', bearerToken }, 'A123456789');
 */
export class HttpKeyServiceClient implements CustomerTokenizer, Detokenizer {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: HttpKeyServiceClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async lookup(caller: KeyServiceCaller, nationalId: string, keyVersion?: number): Promise<CustomerLookup> {
    const body = await this.#post('lookup', caller, { nationalId, ...(keyVersion === undefined ? {} : { keyVersion }) });
    const parsed = LookupResponseSchema.safeParse(body);
    if (!parsed.success) throw new ServingError('KEY_SERVICE_FAILED', 'the masking-key-service answered lookup with an unexpected body');
    return { token: parsed.data.token, ...(parsed.data.keyVersion === undefined ? {} : { keyVersion: parsed.data.keyVersion }) };
  }

  async detokenize(caller: KeyServiceCaller, tokens: readonly string[], keyVersion: number | undefined): Promise<readonly (string | null)[]> {
    const body = await this.#post('detokenize', caller, { ...CUSTOMER_TOKEN_COLUMN, tokens, ...(keyVersion === undefined ? {} : { keyVersion }) });
    const parsed = DetokenizeResponseSchema.safeParse(body);
    if (!parsed.success || parsed.data.values.length !== tokens.length) {
      throw new ServingError('KEY_SERVICE_FAILED', 'the masking-key-service answered detokenize with an unexpected body');
    }
    return parsed.data.values;
  }

  async #post(operation: 'lookup' | 'detokenize', caller: KeyServiceCaller, payload: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}/v1/${operation}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(caller.bearerToken ? { authorization: `Bearer ${caller.bearerToken}` } : {}) },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const kind = error instanceof Error ? error.name : 'error';
      throw new ServingError('KEY_SERVICE_FAILED', `the masking-key-service could not be reached for ${operation} (${kind})`, { cause: error });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok) return json;
    const problem = ProblemSchema.safeParse(json);
    // A refusal keeps the key service's code (a 403 stays a 403 for the API's caller); anything else is its failure.
    // Only the code is passed on: the API never repeats another service's text to its caller.
    if (response.status === 403 && problem.success) {
      throw new CurError(problem.data.code, `the masking-key-service refused ${operation} for this caller [${problem.data.code}]`, { details: { operation, statusCode: response.status } });
    }
    if (response.status === 429) {
      const retryAfterSeconds = Math.max(1, Number(response.headers.get('retry-after')) || 60);
      throw new CurError('RATE_LIMITED', `too many lookups by this caller; retry in ${retryAfterSeconds} s`, { details: { operation, statusCode: 429, retryAfterSeconds } });
    }
    throw new ServingError('KEY_SERVICE_FAILED', `the masking-key-service answered ${operation} with HTTP ${response.status}`, { details: { operation, statusCode: response.status } });
  }
}
