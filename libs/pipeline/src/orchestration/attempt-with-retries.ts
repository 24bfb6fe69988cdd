import { isCurError, isTransientError } from '@cur/platform';

/** Options of {@link attemptWithRetries}. */
export interface AttemptOptions {
  /** Attempts at most, the first included. */
  readonly attempts: number;
  /** The first retry's delay; it doubles each time. */
  readonly backoffMs: number;
  /** Stops before the next attempt, and during a backoff wait, once it fires. */
  readonly signal?: AbortSignal;
  /** Which errors are worth another attempt. @default isTransientError (libs/platform) */
  readonly isTransient?: (error: unknown) => boolean;
}

/** How a piece of work ended, with the number of attempts really made. */
export type AttemptOutcome<T> =
  | { readonly kind: 'succeeded'; readonly result: T; readonly attempts: number }
  | { readonly kind: 'failed'; readonly error: unknown; readonly attempts: number }
  /** Stopped by the signal: before an attempt, while waiting to retry (`error` is the last one), or by the work itself throwing `CANCELLED`. */
  | { readonly kind: 'cancelled'; readonly attempts: number; readonly error?: unknown };

/**
 * Runs `work` until it succeeds, retrying only transient errors (a throttled or failing service, a dropped
 * connection) with exponential backoff. A deterministic error (validation, a conflict such as
 * `SERVING_LOAD_CONFLICT`, missing input, `CONTENT_MISMATCH`, access denied, a bug) fails at once: retrying it would
 * fail the same way and only delay the report. Never throws: the outcome says what happened and how many attempts
 * were made.
 *
 * @example
 * const outcome = await attemptWithRetries(() => runMartStep(deps, date), { attempts: 3, backoffMs: 200, signal });
 * if (outcome.kind === 'failed') log(`failed after ${outcome.attempts} attempt(s)`);
 */
export async function attemptWithRetries<T>(work: () => Promise<T>, options: AttemptOptions): Promise<AttemptOutcome<T>> {
  const isTransient = options.isTransient ?? isTransientError;
  for (let attempt = 1; ; attempt += 1) {
    if (options.signal?.aborted) return { kind: 'cancelled', attempts: attempt - 1 };
    try {
      return { kind: 'succeeded', result: await work(), attempts: attempt };
    } catch (error) {
      if (isCurError(error, 'CANCELLED')) return { kind: 'cancelled', attempts: attempt, error };
      if (attempt >= options.attempts || !isTransient(error)) return { kind: 'failed', error, attempts: attempt };
      if (!(await wait(options.backoffMs * 2 ** (attempt - 1), options.signal))) return { kind: 'cancelled', attempts: attempt, error };
    }
  }
}

/** Waits `ms`; false when the signal fired first. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
