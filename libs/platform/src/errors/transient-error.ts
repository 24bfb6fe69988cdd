import { ERROR_CODES, isCurError } from './cur-error';

/**
 * Platform codes of failures that may pass on their own: a backing service that failed or throttled, another
 * delivery holding the same work for a moment, a rate limit. Everything else (validation, conflicts, missing input,
 * tampered files, DQ blocks, access denied, bugs) fails the same way every time.
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([ERROR_CODES.ADAPTER_FAILURE, 'KEY_SERVICE_FAILED', 'RATE_LIMITED', 'DQ_ALERT_IN_PROGRESS', 'LANDING_READ_FAILED']);

/** Node system error codes of a network or file system hiccup. */
const TRANSIENT_SYSTEM_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE']);

/** The shape AWS SDK v3 errors carry: `$retryable` for throttling and the like, `$fault` client or server. */
interface SdkErrorShape {
  readonly $retryable?: unknown;
  readonly $fault?: unknown;
  readonly code?: unknown;
}

/**
 * Whether retrying `error` may succeed: the only errors a pipeline step retries. A platform error is transient when
 * its code is in {@link TRANSIENT_ERROR_CODES}; an adapter failure is judged by its cause, so an SDK error that is the
 * caller's fault (access denied, a validation exception, a missing table) is not, while throttling and server faults
 * are. Other errors are transient only when they are network or file-system hiccups (`ECONNRESET`, `EBUSY`, ...) or
 * SDK errors marked retryable; anything unknown is treated as deterministic and attempted once.
 *
 * @example
 * if (!isTransientError(error) || attempt === attempts) throw error;
 */
export function isTransientError(error: unknown): boolean {
  if (isCurError(error)) {
    if (!TRANSIENT_ERROR_CODES.has(error.code)) return false;
    if (error.code !== ERROR_CODES.ADAPTER_FAILURE || error.cause === undefined) return true;
    // An adapter failure is as transient as what caused it; a cause of unknown shape counts as the service failing.
    return isTransientCause(error.cause) ?? true;
  }
  return isTransientCause(error) ?? false;
}

/** True or false when the error's shape says, `undefined` when it says nothing. */
function isTransientCause(error: unknown): boolean | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (isCurError(error)) return isTransientError(error);
  const shape = error as SdkErrorShape;
  if (shape.$retryable !== undefined && shape.$retryable !== false) return true;
  if (shape.$fault === 'server') return true;
  if (shape.$fault === 'client') return false;
  if (typeof shape.code === 'string' && TRANSIENT_SYSTEM_CODES.has(shape.code)) return true;
  return undefined;
}
