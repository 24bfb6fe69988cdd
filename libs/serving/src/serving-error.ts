import { CurError, type CurErrorOptions } from '@cur/platform';

/** Stable codes of the serving store and the retrieval API; clients switch on these. */
export const SERVING_ERROR_CODES = {
  /** No version has been loaded into the serving store yet. */
  SERVING_NOT_LOADED: 'SERVING_NOT_LOADED',
  /** A load would replace a newer business date with an older one. */
  SERVING_STALE_LOAD: 'SERVING_STALE_LOAD',
  /** Another load flipped the pointer first; this one was discarded. */
  SERVING_LOAD_CONFLICT: 'SERVING_LOAD_CONFLICT',
  /** The published input of a load is missing. */
  SERVING_INPUT_MISSING: 'SERVING_INPUT_MISSING',
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  TAG_NOT_FOUND: 'TAG_NOT_FOUND',
  SEGMENT_NOT_FOUND: 'SEGMENT_NOT_FOUND',
  METRICS_NOT_FOUND: 'METRICS_NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  INVALID_TOKEN: 'INVALID_TOKEN',
  INVALID_NATIONAL_ID: 'INVALID_NATIONAL_ID',
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** The cursor's version has been pruned: start the listing again. */
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** No (or an unusable) identity from the authorizer. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller's role may not use this route. */
  ROLE_FORBIDDEN: 'ROLE_FORBIDDEN',
  /** The masking-key-service failed or answered something unexpected. */
  KEY_SERVICE_FAILED: 'KEY_SERVICE_FAILED',
} as const;

/** One serving code. */
export type ServingErrorCode = (typeof SERVING_ERROR_CODES)[keyof typeof SERVING_ERROR_CODES];

/** HTTP status of each serving code. */
export const SERVING_STATUS_BY_CODE: Readonly<Record<ServingErrorCode, number>> = {
  SERVING_NOT_LOADED: 503,
  SERVING_STALE_LOAD: 409,
  SERVING_LOAD_CONFLICT: 409,
  SERVING_INPUT_MISSING: 404,
  CUSTOMER_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  SEGMENT_NOT_FOUND: 404,
  METRICS_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INVALID_TOKEN: 400,
  INVALID_NATIONAL_ID: 400,
  INVALID_CURSOR: 400,
  CURSOR_EXPIRED: 410,
  BATCH_TOO_LARGE: 400,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_REQUEST: 400,
  UNAUTHENTICATED: 401,
  ROLE_FORBIDDEN: 403,
  KEY_SERVICE_FAILED: 502,
};

/**
 * The one error of the serving lib. Messages name routes, fields, limits and versions, never a national ID; a
 * customer token may appear only where the caller sent it.
 *
 * @example
 * throw new ServingError('TAG_NOT_FOUND', `no tag 'gold' in the served version`);
 */
export class ServingError extends CurError {
  override readonly code: ServingErrorCode;

  constructor(code: ServingErrorCode, message: string, options?: CurErrorOptions) {
    super(code, message, options);
    this.name = 'ServingError';
    this.code = code;
  }
}
