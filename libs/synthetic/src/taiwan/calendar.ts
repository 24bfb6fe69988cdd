/** Offset between the Gregorian and the ROC (Minguo) year: ROC year 1 is 1912. */
export const ROC_YEAR_OFFSET = 1911;

/** A calendar date. */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). Months and days out of
 * range roll over, as `Date.UTC` does.
 * @internal
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The calendar date of a day number (days since 1970-01-01); the inverse of {@link daysFromCivil}.
 * @internal
 */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** `0`-padded 2-digit strings `00` to `99`. @internal */
export const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * The day number of an ISO date `YYYY-MM-DD`.
 * @internal
 */
export function daysFromIso(iso: string): number {
  const [year, month, day] = iso.split('-').map(Number);
  return daysFromCivil(year ?? Number.NaN, month ?? Number.NaN, day ?? Number.NaN);
}

/**
 * The ISO date `YYYY-MM-DD` of a day number.
 * @internal
 */
export function isoFromDays(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${PAD2[month]}-${PAD2[day]}`;
}

/**
 * A date in the ROC calendar as the bank extracts write it: `YYYMMDD`, the ROC year zero-padded to 3 digits.
 *
 * @example
 * rocDate({ year: 1989, month: 5, day: 12 }); // '0780512'
 */
export function rocDate(date: CivilDate): string {
  return `${String(date.year - ROC_YEAR_OFFSET).padStart(3, '0')}${PAD2[date.month]}${PAD2[date.day]}`;
}

/**
 * The ROC `YYYMMDD` form of a day number.
 * @internal
 */
export function rocFromDays(days: number): string {
  return rocDate(civilFromDays(days));
}
