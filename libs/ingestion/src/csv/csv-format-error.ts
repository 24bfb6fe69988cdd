import { CurError } from '@cur/platform';

/** What can be wrong with a CSV file's structure, each as a sender would be told it; never with a value. */
export const CSV_FORMAT_PROBLEMS = {
  UNCLOSED_QUOTE: 'the file ends inside a quoted field',
  QUOTE_IN_UNQUOTED_FIELD: 'a double quote inside a field that does not start with one (quote the whole field and double the inner quote)',
  TEXT_AFTER_CLOSING_QUOTE: 'text between the closing quote of a field and the next comma or line break',
  FIELD_TOO_LONG: 'a field longer than the landing contract allows',
  RECORD_TOO_LONG: 'a record longer than the landing contract allows',
  FIELD_COUNT: 'a record with another number of fields than the dataset has columns',
} as const;

/** One CSV structure problem. */
export type CsvFormatProblem = keyof typeof CSV_FORMAT_PROBLEMS;

/** Where in the file a problem is: positions and counts only. */
export interface CsvPosition {
  /** 1-based record number; the header is record 1, a blank line is a record. */
  readonly record: number;
  /** 1-based field number within the record, when the problem is in one field. */
  readonly field?: number;
  /** How many fields the record has (FIELD_COUNT). */
  readonly fields?: number;
  /** The limit that was exceeded, in characters (FIELD_TOO_LONG, RECORD_TOO_LONG), or the expected field count (FIELD_COUNT). */
  readonly limit?: number;
}

/**
 * A CSV file breaks RFC 4180 or the landing contract's length limits. The message and details say which problem and
 * where (record, field, counts, limit), never what the field holds.
 */
export class CsvFormatError extends CurError {
  readonly problem: CsvFormatProblem;
  readonly position: CsvPosition;

  constructor(problem: CsvFormatProblem, position: CsvPosition) {
    const at = `record ${position.record}${position.field === undefined ? '' : `, field ${position.field}`}`;
    const counts = problem === 'FIELD_COUNT' ? ` (${position.fields} fields, expected ${position.limit})` : position.limit === undefined ? '' : ` (limit ${position.limit} characters)`;
    super('MALFORMED_CSV', `${at}: ${CSV_FORMAT_PROBLEMS[problem]}${counts}`, { details: { problem, ...position } });
    this.name = 'CsvFormatError';
    this.problem = problem;
    this.position = position;
  }
}
