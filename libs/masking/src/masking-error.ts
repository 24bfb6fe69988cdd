import { CurError, type CurErrorOptions } from '@cur/platform';

/** Codes of the masking lib. */
export const MASKING_ERROR_CODES = {
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  TOKEN_INVALID: 'TOKEN_INVALID',
  VALUE_INVALID: 'VALUE_INVALID',
  NOT_REVERSIBLE: 'NOT_REVERSIBLE',
  PLUGIN_FAILED: 'PLUGIN_FAILED',
  /** A key group name the masking policy does not define. */
  KEY_GROUP_UNKNOWN: 'KEY_GROUP_UNKNOWN',
  /** A bare rotation of a join-key group, which would silently break joins across dates: re-tokenise instead. */
  ROTATION_BREAKS_JOINS: 'ROTATION_BREAKS_JOINS',
  /** A principal made more customer lookups than its rate allows; retry after the window. */
  RATE_LIMITED: 'RATE_LIMITED',
} as const;

/**
 * A masking failure. Messages name the dataset, column, key group, version and row position, never a value or a
 * token: a token is masked, but an error message is the wrong place for either.
 */
export class MaskingError extends CurError {
  constructor(code: keyof typeof MASKING_ERROR_CODES, message: string, options?: CurErrorOptions) {
    super(code, message, options);
    this.name = 'MaskingError';
  }
}
