import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import { redactAttributes, redactingReplacer, scrubText } from './redaction';

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** The service name on every line, e.g. `ingestion-controller` or `cur-cli`. */
  readonly serviceName: string;
  /** @default POWERTOOLS_LOG_LEVEL or LOG_LEVEL from the environment, else 'INFO' */
  readonly logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' | 'CRITICAL';
  /** Attributes on every line; they pass the same allow-list as any other. */
  readonly persistentKeys?: Record<string, string>;
}

/**
 * Powertools' log format (its standard keys) with the platform's redaction applied to the message and to every attribute: only
 * allow-listed keys keep their values, and the JSON replacer redacts sensitive column names at any depth.
 * @internal exported for tests; use {@link createLogger}.
 */
export class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const baseAttributes = {
      level: attributes.logLevel,
      message: scrubText(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: baseAttributes }).addAttributes(redactAttributes(additionalLogAttributes) as LogAttributes);
  }
}

/**
 * Creates the one structured logger of a service. Every line is JSON on stdout in the Powertools format, and can
 * never print a value of a `quasi`, `direct` or `secret` column (see `redaction.ts`). Never log a whole event.
 *
 * @example
 * const logger = createLogger({ serviceName: 'ingestion-controller' });
 * logger.info('batch accepted', { dataset: 'customer_profile', rowCount: 10000 });
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  return new Logger({
    serviceName: options.serviceName,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    logFormatter: new RedactingLogFormatter(),
    jsonReplacerFn: redactingReplacer,
    ...(options.persistentKeys ? { persistentKeys: options.persistentKeys } : {}),
  });
}

export type { Logger };
