import { CurError, type CurErrorOptions } from '@cur/platform';

/** Codes of the dq lib. */
export const DQ_ERROR_CODES = {
  DQDL_SYNTAX: 'DQDL_SYNTAX',
  DQ_RULESET_NOT_FOUND: 'DQ_RULESET_NOT_FOUND',
  DQ_OPTIONS_INVALID: 'DQ_OPTIONS_INVALID',
} as const;

/**
 * A DQDL document does not parse, or breaks a rule of the language (an unknown rule type, a condition on a rule that
 * takes none). The message starts with the line and column: `line 3, column 17: expected a number after '>'`.
 */
export class DqdlSyntaxError extends CurError {
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
  /** What is wrong, without the position prefix. */
  readonly reason: string;

  constructor(line: number, column: number, reason: string, options?: CurErrorOptions) {
    super(DQ_ERROR_CODES.DQDL_SYNTAX, `line ${line}, column ${column}: ${reason}`, { ...options, details: { ...options?.details, line, column } });
    this.name = 'DqdlSyntaxError';
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/** No ruleset file exists for the dataset and zone asked for. */
export class DqRulesetNotFoundError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(DQ_ERROR_CODES.DQ_RULESET_NOT_FOUND, message, options);
    this.name = 'DqRulesetNotFoundError';
  }
}

/** The evaluator was called with options it cannot use (a view name that is not a plain identifier). */
export class DqOptionsError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super(DQ_ERROR_CODES.DQ_OPTIONS_INVALID, message, options);
    this.name = 'DqOptionsError';
  }
}
