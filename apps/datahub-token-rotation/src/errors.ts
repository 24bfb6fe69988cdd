import { CurError, type CurErrorOptions } from '@cur/platform';

/** What went wrong in a rotation; each code's message says what a person does about it. */
export const TOKEN_ROTATION_ERROR_CODES = {
  /** Rotation is off for the secret, or the version Secrets Manager named is not the secret's. */
  ROTATION_NOT_APPLICABLE: 'ROTATION_NOT_APPLICABLE',
  /** The version to rotate is neither pending nor current. */
  ROTATION_VERSION_NOT_PENDING: 'ROTATION_VERSION_NOT_PENDING',
  /** The secret is not the connection's JSON, or holds no token (never seeded). */
  DATAHUB_CONNECTION_UNSEEDED: 'DATAHUB_CONNECTION_UNSEEDED',
  /** DataHub refused the token (401, 403, or a GraphQL error): expired, revoked, or lacking the privilege. */
  DATAHUB_TOKEN_REFUSED: 'DATAHUB_TOKEN_REFUSED',
  /** DataHub did not answer, answered 5xx, or answered something that is not its GraphQL response. */
  DATAHUB_UNAVAILABLE: 'DATAHUB_UNAVAILABLE',
  /** The new token is current, but the old one could not be revoked: it stays valid until it expires. */
  DATAHUB_OLD_TOKEN_NOT_REVOKED: 'DATAHUB_OLD_TOKEN_NOT_REVOKED',
} as const;

/** One rotation error code. */
export type TokenRotationErrorCode = (typeof TOKEN_ROTATION_ERROR_CODES)[keyof typeof TOKEN_ROTATION_ERROR_CODES];

/**
 * The rotation's one error. Its message names the step, the secret and what to do; never a token, and never
 * DataHub's own error text (which is not ours to vouch for).
 */
export class TokenRotationError extends CurError {
  constructor(code: TokenRotationErrorCode, message: string, options: CurErrorOptions = {}) {
    super(code, message, options);
    this.name = 'TokenRotationError';
  }
}
