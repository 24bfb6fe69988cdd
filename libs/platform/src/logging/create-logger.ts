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
  /**
   * `json`: Powertools' JSON lines (what CloudWatch and log tooling read); `text`: one human-readable line per entry
   * on stderr (`WARN  batch quarantined  batchId=... reasonCode=...`), for a person at a terminal.
   * @default the process default ({@link setDefaultLogFormat}), else CUR_LOG_FORMAT, else `json`
   */
  readonly format?: LogFormat;
}

/** How log entries are printed. */
export const LOG_FORMATS = ['json', 'text'] as const;

/** One log format. */
export type LogFormat = (typeof LOG_FORMATS)[number];

let defaultLogFormat: LogFormat | undefined;

/**
 * Sets the format of loggers created from now on without an explicit `format`: the `cur` command picks `text` on a
 * terminal and `json` otherwise (or what `--log-format` says). Lambdas never call it, so they log JSON.
 */
export function setDefaultLogFormat(format: LogFormat | undefined): void {
  defaultLogFormat = format;
}

function logFormatOf(options: CreateLoggerOptions): LogFormat {
  const fromEnv = process.env['CUR_LOG_FORMAT'];
  return options.format ?? defaultLogFormat ?? ((LOG_FORMATS as readonly string[]).includes(fromEnv ?? '') ? (fromEnv as LogFormat) : 'json');
}

/**
 * Prints each entry as one readable line on stderr instead of JSON: level, message, then `key=value` per attribute,
 * the same redacted attributes the JSON line would carry (formatter and replacer both applied), Lambda context keys
 * left out. stdout stays the command's own output.
 * @internal exported for tests; use {@link createLogger} with `format: 'text'`.
 */
export class HumanReadableLogger extends Logger {
  protected override createLogger(options?: ConstructorParameters<typeof Logger>[0]): Logger {
    return new HumanReadableLogger(options);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const attributes = JSON.parse(JSON.stringify(log.getAttributes(), redactingReplacer)) as Record<string, unknown>;
    const { level, message, timestamp: _timestamp, service: _service, sampling_rate: _sampling, ...rest } = attributes;
    const extras = Object.entries(rest)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    const levelName = String(level ?? logLevel).padEnd(5);
    process.stderr.write(`${levelName} ${String(message ?? '')}${extras.length > 0 ? `  ${extras.join(' ')}` : ''}\n`);
  }
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
 * Creates the one structured logger of a service. Every line is JSON on stdout in the Powertools format (or, in the
 * `cur` command on a terminal, one readable line on stderr: {@link CreateLoggerOptions.format}), and can never print
 * a value of a `quasi`, `direct` or `secret` column (see `redaction.ts`). Never log a whole event.
 *
 * @example
 * const logger = createLogger({ serviceName: 'ingestion-controller' });
 * logger.info('batch accepted', { dataset: 'customer_profile', rowCount: 10000 });
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const LoggerClass = logFormatOf(options) === 'text' ? HumanReadableLogger : Logger;
  return new LoggerClass({
    serviceName: options.serviceName,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    logFormatter: new RedactingLogFormatter(),
    jsonReplacerFn: redactingReplacer,
    ...(options.persistentKeys ? { persistentKeys: options.persistentKeys } : {}),
  });
}

export type { Logger };
