/** Codes of the lineage's errors. */
export const LINEAGE_ERROR_CODES = {
  /** The SQL of a plan uses something the column-lineage reader cannot follow, or names what the plan does not have. */
  COLUMN_LINEAGE_UNDERIVABLE: 'COLUMN_LINEAGE_UNDERIVABLE',
  /** The lineage definition file is malformed or stale. */
  LINEAGE_DEFINITION_INVALID: 'LINEAGE_DEFINITION_INVALID',
} as const;

/** The one base error of libs/lineage: a code and a message that names a plan, a query or a column, never a value. */
export class LineageError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LineageError';
    this.code = code;
  }
}

/** A plan's column lineage cannot be derived from its SQL; the message names the query and what stopped it. */
export class LineageDerivationError extends LineageError {
  constructor(message: string, options?: ErrorOptions) {
    super(LINEAGE_ERROR_CODES.COLUMN_LINEAGE_UNDERIVABLE, message, options);
    this.name = 'LineageDerivationError';
  }
}
