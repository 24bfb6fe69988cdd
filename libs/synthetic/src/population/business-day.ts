import { isoFromDays, rocFromDays } from '../taiwan/calendar';

/** One business date of a run, in every form the files need. @internal */
export interface BusinessDay {
  /** 0 for the start date, 1 for the next day, ... */
  readonly index: number;
  /** Days since 1970-01-01. */
  readonly days: number;
  /** `YYYY-MM-DD` */
  readonly iso: string;
  /** `YYYYMMDD` */
  readonly compact: string;
  /** ROC `YYYMMDD` */
  readonly roc: string;
}

/**
 * The business day `index` days after the start day.
 * @internal
 */
export function businessDay(startDays: number, index: number): BusinessDay {
  const days = startDays + index;
  const iso = isoFromDays(days);
  return { index, days, iso, compact: iso.replaceAll('-', ''), roc: rocFromDays(days) };
}
