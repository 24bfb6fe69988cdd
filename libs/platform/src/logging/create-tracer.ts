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

export type { Tracer };
