import { CurError, type CurErrorOptions } from '@cur/platform';

/**
 * Why a landing batch is quarantined. Each code says which promise of the landing contract (PRODUCT.md §5) the batch
 * broke; the message says what to fix, naming files, counts and columns, never values.
 */
export const REJECTION_REASONS = {
  CONTROL_UNREADABLE: 'the control file is not JSON or does not follow the control file schema',
  FILE_NAME_MISMATCH: 'the control file names another data file than its own name implies',
  UNKNOWN_DATASET: 'the dataset is not declared in the contracts',
  UNKNOWN_SCHEMA_VERSION: 'the schema version is not the declared one',
  MISSING_DATA_FILE: 'the data file the control file names is not in the landing zone',
  MISSING_CONTROL_FILE: 'a data file has had no control file for too long',
  CHECKSUM_MISMATCH: 'the data file bytes do not hash to the control file sha256',
  UNDECODABLE_BYTES: 'the data file is not valid in the declared encoding (or not valid gzip)',
  MALFORMED_CSV: 'the data file is not RFC 4180 CSV',
  BAD_HEADER: 'the header row is not the dataset columns in contract order',
  COUNT_MISMATCH: 'the number of data rows differs from the control file rowCount',
  ALREADY_INGESTED: 'another batch for this dataset and business date was ingested already',
} as const;

/** One rejection reason code. */
export type RejectionReason = keyof typeof REJECTION_REASONS;

/** A batch broke the landing contract; `code` is the {@link RejectionReason}. */
export class BatchRejectedError extends CurError {
  declare readonly code: RejectionReason;

  constructor(reason: RejectionReason, message: string, options?: CurErrorOptions) {
    super(reason, message, options);
    this.name = 'BatchRejectedError';
  }
}
