/**
 * Stable error codes. A code names what went wrong; the message says what to do about it. Neither ever carries a
 * value of a sensitive column: messages name the step, object key and column instead.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  NOT_FOUND: 'NOT_FOUND',
  CONDITION_FAILED: 'CONDITION_FAILED',
  ACCESS_DENIED: 'ACCESS_DENIED',
  ADAPTER_FAILURE: 'ADAPTER_FAILURE',
  /** Stopped on request (Ctrl-C, SIGTERM) at a safe point; rerunning resumes. */
  CANCELLED: 'CANCELLED',
} as const;

/** One stable error code. Later packages add their own codes by extending {@link CurError} with a string code. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Options every platform error takes. */
export interface CurErrorOptions extends ErrorOptions {
  /** Safe, value-free facts for logs and API problems (dataset, column, object key, counts). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The one base error of the platform. Subclasses set `name` and a code; wrapping errors pass `{ cause }`.
 *
 * @example
 * throw new NotFoundError(`no object at '${key}' in the raw zone`, { details: { zone: 'raw', key } });
 */
export class CurError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(code: string, message: string, options: CurErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CurError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Configuration is missing or malformed; the message lists every variable at fault. */
export class ConfigError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(ERROR_CODES.CONFIG_INVALID, message, options);
    this.name = 'ConfigError';
  }
}

/** Input at a boundary failed its schema. */
export class ValidationError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(ERROR_CODES.VALIDATION_FAILED, message, options);
    this.name = 'ValidationError';
  }
}

/** A capability that a later issue delivers; thrown instead of pretending. */
export class NotImplementedError extends CurError {
  constructor(capability: string, options?: CurErrorOptions) {
    super(ERROR_CODES.NOT_IMPLEMENTED, `${capability} is not implemented yet`, options);
    this.name = 'NotImplementedError';
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(ERROR_CODES.NOT_FOUND, message, options);
    this.name = 'NotFoundError';
  }
}

/** A conditional write lost: the item exists already or changed since it was read. */
export class ConditionFailedError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(ERROR_CODES.CONDITION_FAILED, message, options);
    this.name = 'ConditionFailedError';
  }
}

/** The caller's role may not do this. */
export class AccessDeniedError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(ERROR_CODES.ACCESS_DENIED, message, options);
    this.name = 'AccessDeniedError';
  }
}

/** An adapter's backing service failed; the original error is the cause. */
export class AdapterError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(ERROR_CODES.ADAPTER_FAILURE, message, options);
    this.name = 'AdapterError';
  }
}

/**
 * Work stopped on request (Ctrl-C, SIGTERM: an `AbortSignal` fired) at a safe point, with nothing half-published.
 * The abort reason of the CLI's signal, and what {@link throwIfCancelled} throws.
 */
export class CancelledError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(ERROR_CODES.CANCELLED, message, options);
    this.name = 'CancelledError';
  }
}

/**
 * A safe point: throws when `signal` has fired. Its reason when that is a {@link CancelledError}, else a
 * CancelledError with the reason as cause (an `AbortSignal.timeout`, say).
 *
 * @example
 * for (const chunk of chunks) { throwIfCancelled(options.signal); await write(chunk); }
 */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof CancelledError ? reason : new CancelledError('cancelled', { cause: reason });
}

/** True when `error` is a platform error, optionally with the given code. */
export function isCurError(error: unknown, code?: string): error is CurError {
  return error instanceof CurError && (code === undefined || error.code === code);
}
