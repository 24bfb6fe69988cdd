import { ValidationError } from '@cur/platform';

/**
 * Checks a business date before it is written into generated SQL or JSON: `YYYY-MM-DD` and a real day.
 *
 * @throws ValidationError otherwise
 */
export function assertBusinessDate(value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (day === undefined || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw new ValidationError(`business date must be YYYY-MM-DD, a real day: '${value.slice(0, 20)}'`);
  }
  return value;
}
