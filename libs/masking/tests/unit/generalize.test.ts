import { describe, expect, it } from 'vitest';
import { UNREADABLE, cityDistrict, generalize, parseExtractDate } from '../../src/methods/generalize';

describe('parseExtractDate', () => {
  it.each([
    ['0780512', { year: 1989, month: 5, day: 12 }],
    ['780512', { year: 1989, month: 5, day: 12 }],
    ['1141125', { year: 2025, month: 11, day: 25 }],
    ['1989-05-12', { year: 1989, month: 5, day: 12 }],
    ['19890512', { year: 1989, month: 5, day: 12 }],
    ['０７８０５１２', { year: 1989, month: 5, day: 12 }],
    ['\u30000780512 ', { year: 1989, month: 5, day: 12 }],
  ])('reads %s', (text, expected) => expect(parseExtractDate(text)).toEqual(expected));

  it.each(['0780230', '1989-02-30', 'abc', '', '12345'])('refuses %j', (text) => expect(parseExtractDate(text)).toBeUndefined());
});

describe('generalize', () => {
  it('turns a birth date into the birth year, year-month or age band', () => {
    expect(generalize('birth_year', '0780512')).toBe('1989');
    expect(generalize('year_month', '0780512')).toBe('1989-05');
    expect(generalize('year_month', '991231')).toBe('2010-12');
    expect(generalize('age_band', '0780512', '2026-11-25')).toBe('35-44');
    expect(generalize('age_band', '0900512', '2026-05-11')).toBe('18-24');
    expect(generalize('age_band', '0900512', '2026-05-12')).toBe('25-34');
  });

  it('keeps null as null and never echoes an unreadable value', () => {
    expect(generalize('birth_year', null)).toBeNull();
    expect(generalize('birth_year', '99/99/99')).toBe(UNREADABLE);
    expect(generalize('city_district', '某處')).toBe(UNREADABLE);
  });
});

describe('cityDistrict', () => {
  it.each([
    ['臺北市中正區重慶南路一段122號', '臺北市中正區'],
    ['台北市大安區復興南路一段390號5樓', '臺北市大安區'],
    ['100臺北市中正區忠孝西路一段49號', '臺北市中正區'],
    ['新北市板橋區中山路一段161號', '新北市板橋區'],
    ['彰化縣彰化市中山路二段416號', '彰化縣彰化市'],
    ['南投縣埔里鎮中山路三段1號', '南投縣埔里鎮'],
    ['花蓮縣秀林鄉富世村1號', '花蓮縣秀林鄉'],
    ['高雄市　前鎮區　中山二路２號', '高雄市前鎮區'],
    ['高雄市鳳山區光復路二段132號', '高雄市鳳山區'],
  ])('reduces %s to %s', (address, expected) => expect(cityDistrict(address)).toBe(expected));
});
