import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The Lambda context fields the platform reads (Lambda passes more). Declared here because the workspace does not
 * depend on `@types/aws-lambda`.
 */
export interface LambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  getRemainingTimeInMillis(): number;
}

/** The service's observability tools an invocation is wrapped in. */
export interface InstrumentHandlerOptions {
  /** The service's one logger: every line of the invocation carries `cold_start`, `function_request_id`, ... */
  readonly logger: Logger;
  /**
   * The service's metrics (`createMetrics` from `@cur/platform/metrics`): what the handler adds is flushed as one
   * EMF line when the invocation ends, thrown or not.
   * @default - no metrics
   */
  readonly metrics?: Metrics;
}

/**
 * Wraps a Lambda handler in the Powertools conventions without middy: before the invocation the logger gets the
 * Lambda context (so every line carries `cold_start`, `function_name`, `function_arn` and `function_request_id`,
 * never the event), and after it the metrics the handler added are published as one EMF line, even when it throws.
 * Without a context (a direct call from a test or the CLI) the handler runs as it is.
 *
 * @example
 * const logger = createLogger({ serviceName: 'ingestion-controller' });
 * export const handler = instrumentHandler(createIngestionHandler(deps), { logger, metrics });
 */
export function instrumentHandler<E, R>(handler: (event: E, context?: LambdaContext) => Promise<R>, options: InstrumentHandlerOptions): (event: E, context?: LambdaContext) => Promise<R> {
  return async (event, context) => {
    if (context !== undefined) options.logger.addContext(context as Parameters<Logger['addContext']>[0]);
    try {
      return await handler(event, context);
    } finally {
      if (options.metrics?.hasStoredMetrics()) options.metrics.publishStoredMetrics();
    }
  };
}
