/** Codes of the synthetic data lib. */
export const SYNTHETIC_ERROR_CODES = {
  OPTIONS_INVALID: 'SYNTHETIC_OPTIONS_INVALID',
  SINK_FAILED: 'SYNTHETIC_SINK_FAILED',
} as const;

/** One code of the synthetic data lib. */
export type SyntheticErrorCode = (typeof SYNTHETIC_ERROR_CODES)[keyof typeof SYNTHETIC_ERROR_CODES];

/** The base error of the synthetic data lib; `cause` carries the original error when one is wrapped. */
export class SyntheticError extends Error {
  /** A stable, machine-readable code. */
  readonly code: SyntheticErrorCode;

  constructor(code: SyntheticErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SyntheticError';
    this.code = code;
  }
}

/** The generator options failed their schema; the message lists every field at fault. */
export class SyntheticOptionsError extends SyntheticError {
  constructor(message: string, options?: ErrorOptions) {
    super(SYNTHETIC_ERROR_CODES.OPTIONS_INVALID, message, options);
    this.name = 'SyntheticOptionsError';
  }
}

/** The sink failed to write a file, or returned before it had read all of the file's bytes. */
export class SyntheticSinkError extends SyntheticError {
  constructor(message: string, options?: ErrorOptions) {
    super(SYNTHETIC_ERROR_CODES.SINK_FAILED, message, options);
    this.name = 'SyntheticSinkError';
  }
}
