import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '@cur/platform';

/** Options of {@link LookupRateLimit}. */
export interface LookupRateLimitOptions {
  /** Lookups one principal may make per window. @default 60 */
  readonly limit?: number;
  /** @default 60_000 (one minute) */
  readonly windowMs?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What {@link LookupRateLimit.take} decided. */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Lookups per principal per minute, unless the deployment says otherwise (`CUR_LOOKUP_RATE_PER_MINUTE`). */
export const DEFAULT_LOOKUP_LIMIT = 60;

const TABLE = 'audit-log';

/**
 * How many customer lookups by national ID a principal may make: a fixed window per principal, counted in the
 * `audit-log` table as one append-only marker item per lookup (`rate#lookup#<principal>#<window>`), so nothing is
 * ever overwritten and a marker expires with the table's TTL (`expiresAt`, epoch seconds).
 *
 * Every call to the oracle costs a marker, refused calls included, so a caller that keeps trying does not get more.
 * Calls racing in the same instant may each see the count just below the limit: the limit holds to within the number
 * of calls one principal has in flight.
 */
export class LookupRateLimit {
  readonly #store: KeyValueStore;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => Date;

  constructor(store: KeyValueStore, options: LookupRateLimitOptions = {}) {
    this.#store = store;
    this.#limit = options.limit ?? DEFAULT_LOOKUP_LIMIT;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  /** Counts one lookup for the principal and says whether it may go ahead. */
  async take(principal: string): Promise<RateDecision> {
    const now = this.#now().getTime();
    const windowStart = now - (now % this.#windowMs);
    const pk = `rate#lookup#${principal}#${new Date(windowStart).toISOString()}`;
    const page = await this.#store.query(TABLE, pk, { limit: this.#limit + 1 });
    await this.#store.put(
      TABLE,
      { pk, sk: `${new Date(now).toISOString()}#${randomUUID()}`, expiresAt: Math.ceil((windowStart + 2 * this.#windowMs) / 1000) },
      { kind: 'absent' },
    );
    if (page.items.length < this.#limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + this.#windowMs - now) / 1000)) };
  }
}
