import { InvalidArgumentError } from 'commander';

/**
 * Commander's parser for a `YYYY-MM-DD` option: a real calendar date, checked before the command does anything, so
 * `--date 2026-13-45` is a usage error (exit 2) naming the flag instead of a step failing after its retries.
 *
 * @example
 * program.command('run').option('--date <YYYY-MM-DD>', 'business date', isoDateOption);
 */
export function isoDateOption(value: string): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (parsed === undefined || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a calendar date as YYYY-MM-DD, e.g. 2026-11-25');
  }
  return value;
}
