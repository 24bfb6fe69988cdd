import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { CITIES, SECTION_NUMERALS } from '../../../src/reference/addresses';
import { OCCUPATIONS } from '../../../src/reference/bank-codes';
import { DOMESTIC_MERCHANT_CATEGORIES, OVERSEAS_MERCHANTS } from '../../../src/reference/merchants';
import { GIVEN_NAME_CHARS_FEMALE, GIVEN_NAME_CHARS_MALE, GIVEN_NAME_CHARS_NEUTRAL, SURNAMES } from '../../../src/reference/names';
import { toFullWidth } from '../../../src/index';

/** The texts of a group that do not survive an encode/decode round trip through CP950. */
function notCp950(texts: readonly string[]): string[] {
  return texts.filter((text) => iconv.decode(iconv.encode(text, 'cp950'), 'cp950') !== text);
}

/** Every piece of text the generator can write into a Big5 file, plus the characters it adds itself. */
const GROUPS: Record<string, readonly string[]> = {
  'surnames and given-name characters': [
    ...SURNAMES.map(([surname]) => surname),
    ...GIVEN_NAME_CHARS_MALE,
    ...GIVEN_NAME_CHARS_FEMALE,
    ...GIVEN_NAME_CHARS_NEUTRAL,
  ],
  'cities, districts and roads (臺 and 台)': CITIES.flatMap((city) => [
    city.name,
    city.name.replaceAll('臺', '台'),
    ...city.districts,
    ...city.roads.map((road) => road.replace('+', '')),
    ...city.roads.map((road) => road.replace('+', '').replaceAll('臺', '台')),
  ]),
  'address parts, full-width digits and the ideographic space': [
    ...SECTION_NUMERALS.map((numeral) => `${numeral}段`),
    '巷弄號樓之',
    toFullWidth('0123456789.-,'),
    '\u3000',
  ],
  'merchant names': [...DOMESTIC_MERCHANT_CATEGORIES.flatMap((category) => category.merchants), ...OVERSEAS_MERCHANTS.map(([, merchant]) => merchant)],
  'occupations': OCCUPATIONS.map(([, description]) => description),
};

describe('Reference data', () => {
  it.each(Object.entries(GROUPS))('round-trips all %s through Big5 (CP950) with iconv-lite', (_group, texts) => {
    expect(texts.length).toBeGreaterThan(0);
    expect(notCp950(texts)).toEqual([]);
  });

  it('would notice a character that CP950 cannot encode', () => {
    expect(notCp950(['陳', '𠮷', '😀'])).toEqual(['𠮷', '😀']);
  });

  it('has real districts and roads for every city, with districts unique per city', () => {
    expect(CITIES).toHaveLength(22);
    for (const city of CITIES) {
      expect(city.districts.length).toBeGreaterThan(0);
      expect(new Set(city.districts).size).toBe(city.districts.length);
      expect(city.roads.length).toBeGreaterThan(0);
      expect(city.name).toMatch(/[市縣]$/);
      for (const district of city.districts) expect(district).toMatch(/[區市鎮鄉]$/);
    }
  });

  it('has 4-digit merchant category codes', () => {
    for (const category of DOMESTIC_MERCHANT_CATEGORIES) expect(category.mcc).toMatch(/^\d{4}$/);
    for (const [mcc] of OVERSEAS_MERCHANTS) expect(mcc).toMatch(/^\d{4}$/);
  });
});
