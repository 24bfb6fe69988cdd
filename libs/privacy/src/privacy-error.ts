import { CurError, type CurErrorOptions } from '@cur/platform';

/** Codes of the privacy lib. */
export const PRIVACY_ERROR_CODES = {
  /** A human view has an equivalence class smaller than the threshold: some customers can be singled out. */
  K_ANONYMITY_BELOW_THRESHOLD: 'K_ANONYMITY_BELOW_THRESHOLD',
} as const;

/**
 * A k-anonymity check found human views below the threshold. The message names datasets, zones, columns, counts and
 * k, never a value.
 */
export class KAnonymityBelowThresholdError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(PRIVACY_ERROR_CODES.K_ANONYMITY_BELOW_THRESHOLD, message, options);
    this.name = 'KAnonymityBelowThresholdError';
  }
}
