/** Most tokens one `POST /v1/customers:batchGet` may carry. */
export const MAX_BATCH_TOKENS = 100;

/** Longest page of `GET /v1/tags/{name}/customers`. */
export const MAX_PAGE_LENGTH = 1000;

/** Page length of `GET /v1/tags/{name}/customers` when the caller gives none. */
export const DEFAULT_PAGE_LENGTH = 100;

/** Largest request body the API reads, in bytes (a full batchGet is about 6 KB). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * How long a reader trusts its copy of the version pointer before reading it again. Safe because the previous
 * version is kept until the next load, and a miss re-reads the pointer before answering "not found".
 */
export const DEFAULT_POINTER_TTL_MS = 1_000;

/**
 * How long a load's lease lasts without renewal. A load renews it as it writes; a lease left to expire belongs to a
 * loader that died, and the next load takes it over.
 */
export const LOAD_LEASE_MS = 10 * 60 * 1000;

/**
 * A customer token as the pipeline writes it: the FF1 token of a national ID (itself shaped like one), or the
 * AES-SIV seal of an ID that did not fit the format (`v<version>.<base64url>`).
 */
export const CUSTOMER_TOKEN_PATTERN = /^(?:[A-Z][1289]\d{8}|v\d{1,6}\.[A-Za-z0-9_-]{16,512})$/;

/** A tag name, as the tag definitions declare it. */
export const TAG_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** A segment id, e.g. `MASS_AFFLUENT`. */
export const SEGMENT_ID_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;

/** A month, `YYYY-MM`. */
export const MONTH_PATTERN = /^\d{4}-(?:0[1-9]|1[0-2])$/;

/** The dataset and column whose tokens customers are keyed by. */
export const CUSTOMER_TOKEN_COLUMN = { dataset: 'customer_features', column: 'cust_id' } as const;
