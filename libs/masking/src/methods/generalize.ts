import type { Generaliser } from '@cur/contracts';

/** What a generaliser writes when it cannot read a value: never the value itself. */
export const UNREADABLE = '(unreadable)';

const ROC_DATE = /^(\d{2,3})(\d{2})(\d{2})$/;
const ISO_DATE = /^(\d{4})-?(\d{2})-?(\d{2})/;

/**
 * Reads a date written the way extracts write them: ROC calendar `YYYMMDD` (`0780512` = 1989-05-12; six digits for
 * ROC years below 100) or ISO `YYYY-MM-DD` / `YYYYMMDD`, in half- or full-width digits, padded or not. Returns
 * undefined for anything that is not a real date.
 */
export function parseExtractDate(value: string): { year: number; month: number; day: number } | undefined {
  // Full-width digits (０７８０５１２) are the same date; the transform step repaired them when dates were stored whole.
  const text = value.normalize('NFKC').trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = text.length >= 8 && !/^0/.test(text) ? ISO_DATE.exec(text) : null;
  if (iso && Number(iso[1]) > 1900) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const roc = ROC_DATE.exec(text);
    if (!roc) return undefined;
    [year, month, day] = [Number(roc[1]) + 1911, Number(roc[2]), Number(roc[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** The width of each age band: 18-24, 25-34, ... follows the bank's marketing segments. */
const AGE_BANDS: readonly [number, number, string][] = [
  [0, 17, '0-17'],
  [18, 24, '18-24'],
  [25, 34, '25-34'],
  [35, 44, '35-44'],
  [45, 54, '45-54'],
  [55, 64, '55-64'],
  [65, 200, '65+'],
];

// A district's name may itself contain 鎮 or 市 (前鎮區), so a 區 within reach wins over the other suffixes.
const ADMIN_PATTERN = /^(?<city>[^市縣]{2}[市縣])(?<district>.{1,3}?區|.{1,3}?[鄉鎮市])?/u;

/**
 * Reduces a Taiwanese address to its city and district (`臺北市中正區...` -> `臺北市中正區`): enough for segment
 * features, too coarse to find a person. `台` is normalised to `臺`, full-width spaces and postal codes dropped.
 */
export function cityDistrict(address: string): string {
  const text = address
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\d{3,6}/, '')
    .replaceAll('台', '臺');
  const match = ADMIN_PATTERN.exec(text);
  if (!match?.groups) return UNREADABLE;
  return `${match.groups['city']}${match.groups['district'] ?? ''}`;
}

/**
 * Generalises one value. `asOf` (ISO date) anchors age bands; it defaults to today.
 *
 * @returns the generalised value, {@link UNREADABLE} when the value cannot be read, or null for null
 */
export function generalize(generaliser: Generaliser, value: string | null, asOf = new Date().toISOString().slice(0, 10)): string | null {
  if (value === null) return null;
  if (generaliser === 'city_district') return cityDistrict(value);
  const date = parseExtractDate(value);
  if (!date) return UNREADABLE;
  switch (generaliser) {
    case 'birth_year':
      return String(date.year);
    case 'year_month':
      return `${date.year}-${String(date.month).padStart(2, '0')}`;
    case 'age_band': {
      const [asOfYear, asOfMonth, asOfDay] = asOf.split('-').map(Number) as [number, number, number];
      const age = asOfYear - date.year - (asOfMonth < date.month || (asOfMonth === date.month && asOfDay < date.day) ? 1 : 0);
      return AGE_BANDS.find(([from, to]) => age >= from && age <= to)?.[2] ?? UNREADABLE;
    }
  }
}
