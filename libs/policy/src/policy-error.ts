import { CurError, type CurErrorOptions } from '@cur/platform';

/** Codes of the policy lib. */
export const POLICY_ERROR_CODES = {
  POLICY_DENIED: 'POLICY_DENIED',
  POLICY_INVALID: 'POLICY_INVALID',
} as const;

/** The policy refuses: unknown role, dataset or column. Nothing is ever shown when the policy cannot decide. */
export class PolicyDeniedError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(POLICY_ERROR_CODES.POLICY_DENIED, message, options);
    this.name = 'PolicyDeniedError';
  }
}

/** An override file is malformed or would weaken protection (plaintext of a sensitive column for a human). */
export class PolicyInvalidError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(POLICY_ERROR_CODES.POLICY_INVALID, message, options);
    this.name = 'PolicyInvalidError';
  }
}
