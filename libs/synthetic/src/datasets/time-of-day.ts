import type { Rng } from '../random/prng';
import { WeightedTable } from '../random/weighted-table';
import { PAD2 } from '../taiwan/calendar';

/** Relative activity per hour of the day (Asia/Taipei). @internal */
export const HOURLY_ACTIVITY = new WeightedTable(
  [1, 0.6, 0.3, 0.2, 0.2, 0.4, 1, 2.5, 4, 4, 4.5, 6, 8, 6, 4.5, 4.5, 5, 6, 8, 8, 7, 6, 4, 2].map((weight, hour) => [hour, weight] as const),
);

/**
 * A local time on the business date, `YYYY-MM-DD HH:MM:SS`.
 * @internal
 */
export function timeOnDay(rng: Rng, iso: string): string {
  return `${iso} ${PAD2[HOURLY_ACTIVITY.pick(rng)]}:${PAD2[rng.int(0, 59)]}:${PAD2[rng.int(0, 59)]}`;
}
