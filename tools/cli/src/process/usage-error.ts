import { CurError, type CurErrorOptions } from '@cur/platform';

/**
 * The command line is wrong: a flag's value out of range, a folder that does not exist. `cur` prints the message
 * and exits {@link EXIT_CODES.USAGE} (2) without doing anything. Messages name the flag and what it accepts.
 *
 * @example
 * throw new UsageError('--date must be YYYY-MM-DD');
 */
export class UsageError extends CurError {
  constructor(message: string, options?: CurErrorOptions) {
    super('USAGE_INVALID', message, options);
    this.name = 'UsageError';
  }
}
