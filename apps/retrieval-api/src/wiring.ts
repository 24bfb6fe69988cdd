import { loadPlatformConfig } from '@cur/platform';
import { captureSdkClients, createTracer } from '@cur/platform/tracing';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import type { CustomerTokenizer, Detokenizer, RetrievalApiDependencies } from '@cur/serving';
import { HttpKeyServiceClient, ServingError, ServingStore } from '@cur/serving';
import { loadRetrievalApiConfig } from './config';
import { SERVICE_NAME } from './constants';

/** The service's X-Ray tracer (tracing is active in the CDK; off outside Lambda): every DynamoDB call a subsegment. */
export const tracer = createTracer(SERVICE_NAME);

/** Without a key service URL (a local `cur invoke`), lookups and reveals say so instead of failing obscurely. */
const NO_KEY_SERVICE: CustomerTokenizer & Detokenizer = {
  lookup: () => Promise.reject(new ServingError('KEY_SERVICE_FAILED', 'CUR_KEY_SERVICE_URL is not set: this API cannot reach the masking-key-service')),
  detokenize: () => Promise.reject(new ServingError('KEY_SERVICE_FAILED', 'CUR_KEY_SERVICE_URL is not set: this API cannot reach the masking-key-service')),
};

/**
 * The composition root: configuration from the environment, the runtime's key-value store for the serving table,
 * and the masking-key-service over HTTP. Built once per Lambda container, on the first call that needs it.
 */
export async function createRetrievalApiDependencies(env: NodeJS.ProcessEnv = process.env): Promise<RetrievalApiDependencies> {
  const config = loadRetrievalApiConfig(env);
  // The serving table is the only port this API uses: its bundle carries the DynamoDB client and no other.
  const { keyValueStore } = await createKeyValuePorts(loadPlatformConfig(env), captureSdkClients(tracer));
  const keyService = config.keyServiceUrl === undefined ? NO_KEY_SERVICE : new HttpKeyServiceClient({ baseUrl: config.keyServiceUrl });
  return {
    serving: new ServingStore(keyValueStore, { pointerTtlMs: config.pointerTtlMs }),
    tokenizer: keyService,
    detokenizer: keyService,
  };
}
