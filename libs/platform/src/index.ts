export {
  ERROR_CODES,
  CurError,
  ConfigError,
  ValidationError,
  NotImplementedError,
  NotFoundError,
  ConditionFailedError,
  AccessDeniedError,
  AdapterError,
  CancelledError,
  isCurError,
  throwIfCancelled,
} from './errors/cur-error';
export { isTransientError, TRANSIENT_ERROR_CODES } from './errors/transient-error';
export type { ErrorCode, CurErrorOptions } from './errors/cur-error';
export {
  RUNTIME_MODES,
  DEFAULT_STAGE,
  DEFAULT_REGION,
  DEFAULT_CUR_HOME,
  PlatformEnvSchema,
  loadPlatformConfig,
} from './config/platform-config';
export type { RuntimeMode, PlatformConfig } from './config/platform-config';
export { REDACTED, LOGGABLE_KEYS, scrubText, redactingReplacer, redactAttributes } from './logging/redaction';
export { HumanReadableLogger, LOG_FORMATS, RedactingLogFormatter, createLogger, setDefaultLogFormat } from './logging/create-logger';
export type { CreateLoggerOptions, LogFormat, Logger } from './logging/create-logger';
export { instrumentHandler } from './lambda/instrument-handler';
export type { InstrumentHandlerOptions, LambdaContext } from './lambda/instrument-handler';
export { assertSafeBlobKey } from './ports/blob-keys';
export type { BlobStore, BlobInfo, BlobBody, PutBlobOptions, PutBlobResult } from './ports/blob-store';
export type { KeyValueStore, Item, ItemKey, PutCondition, QueryOptions, QueryPage } from './ports/key-value-store';
export type { Notifier, Notification, PublishResult } from './ports/notifier';
export type { EmfDocument, MetricsSink } from './ports/metrics-sink';
export { problemResponse, toProblemResponse, STATUS_BY_CODE } from './http/problem-response';
export type { Problem } from './http/problem-response';
export type { KeyVault, KeyContext, GeneratedDataKey } from './ports/key-vault';
export type { EventPublisher } from './ports/event-publisher';
export type { SqlEngine } from './ports/sql-engine';
export { TRAINING_EXECUTION_STATUSES, TRAINING_JOB_STATUSES } from './ports/training-workflow';
export type {
  TrainingWorkflow,
  TrainingExecution,
  TrainingExecutionInput,
  TrainingExecutionStatus,
  TrainingJobProgress,
  TrainingJobProgressStatus,
  TrainingJobTransition,
} from './ports/training-workflow';
export { queryPartition } from './ports/query-partition';
