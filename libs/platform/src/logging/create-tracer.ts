import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Creates the one X-Ray tracer of a service. Outside Lambda (on a laptop, in tests) Powertools disables tracing
 * by itself, so the same code runs everywhere.
 */
export function createTracer(serviceName: string): Tracer {
  return new Tracer({ serviceName, captureHTTPsRequests: true });
}

export type { Tracer };
