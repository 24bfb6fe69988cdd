import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Creates the one X-Ray tracer of a service. Import it from `@cur/platform/tracing`, not the package root: loading
 * the X-Ray SDK turns on async hooks for the whole process, which makes every `await` markedly slower, so only a
 * Lambda that traces should pay for it. Outside Lambda (on a laptop, in tests) Powertools disables tracing
 * by itself, so the same code runs everywhere.
 */
export function createTracer(serviceName: string): Tracer {
  return new Tracer({ serviceName, captureHTTPsRequests: true });
}

/**
 * The per-port runtime factories' option that hands every AWS SDK client they create to the tracer, so each S3,
 * DynamoDB, SNS, EventBridge, KMS, Glue or DMS call is an X-Ray subsegment (when tracing is off, the client is
 * returned as it is).
 *
 * @example
 * const tracer = createTracer('retrieval-api');
 * const { keyValueStore } = await createKeyValuePorts(config, captureSdkClients(tracer));
 */
export function captureSdkClients(tracer: Tracer): { readonly captureClient: <C extends object>(client: C) => C } {
  return { captureClient: <C extends object>(client: C): C => tracer.captureAWSv3Client(client) };
}

export type { Tracer };
