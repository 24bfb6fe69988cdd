import { nationalIdCheckDigit } from '@cur/crypto';

const SURNAMES = Array.from(new Set('陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温唐藍石蔣古紀姚連馮歐程湯田康姜白汪鄒尤巫涂龔嚴韓袁金童陸夏柳邢'));
const GIVEN = Array.from(new Set('志明淑芬美玲家豪雅婷建宏俊傑怡君宗翰欣承恩冠宇柏彥廷品妍詩涵子晴宥辰佳穎雯信文華國強秀英麗珍惠如智偉振興佩育誠哲維思妤芷若宜蓁靜書立群琪慧筱佑庭宸瑋昱禹安心語萱博凱翔睿宏志'));
const WORDS = ['chen', 'lin', 'huang', 'chang', 'lee', 'wang', 'wu', 'liu', 'tsai', 'yang', 'hsu', 'cheng', 'amy', 'kevin', 'jason', 'vivian'];
const DOMAINS = ['gmail.com', 'yahoo.com.tw', 'hotmail.com', 'msa.hinet.net', 'example.com.tw', 'outlook.com'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ID_CLASSES = '1289';
const ID_DOMAIN = 26 * 4 * 10_000_000;

/**
 * `count` distinct 10-digit strings: i * 2654435761 + 12345 mod 10^10, a bijection because the multiplier is prime to 10.
 *
 * @param count - at most 10^10
 */
export function tenDigitValues(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String((i * 2_654_435_761 + 12_345) % 1e10).padStart(10, '0'));
}

/**
 * `count` distinct valid Taiwanese national IDs, spread over all letters and class digits.
 *
 * @param count - at most 1.04e9
 */
export function nationalIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    // 52,000,003 is prime to 2^10 * 5^7 * 13 = 1.04e9, so this visits distinct points of the ID domain.
    const x = (i * 52_000_003 + 12_345) % ID_DOMAIN;
    const middle = x % 10_000_000;
    const rest = (x - middle) / 10_000_000;
    const first9 = `${LETTERS[Math.floor(rest / 4)]}${ID_CLASSES[rest % 4]}${String(middle).padStart(7, '0')}`;
    return first9 + nationalIdCheckDigit(first9);
  });
}

/**
 * `count` distinct Chinese names of 3 or 4 characters (9 or 12 bytes of UTF-8): even indices give surname + 2 given
 * characters, odd ones surname + 3, each index decomposed in mixed radix so no two are equal.
 *
 * @param count - at most twice the number of 3-character names (about 1.3 million)
 */
export function chineseNames(count: number): string[] {
  const s = SURNAMES.length;
  const g = GIVEN.length;
  if (Math.ceil(count / 2) > s * g * g) throw new Error(`at most ${2 * s * g * g} distinct names`);
  return Array.from({ length: count }, (_, i) => {
    let k = i >>> 1;
    let name = SURNAMES[k % s] ?? '';
    k = Math.floor(k / s);
    for (let c = 0; c < (i % 2 === 0 ? 2 : 3); c++) {
      name += GIVEN[k % g] ?? '';
      k = Math.floor(k / g);
    }
    return name;
  });
}

/**
 * `count` distinct e-mail addresses of 18..30 bytes, unique through a base-36 serial.
 *
 * @param count - any
 */
export function emails(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${WORDS[i % WORDS.length]}.${i.toString(36)}@${DOMAINS[(i >>> 4) % DOMAINS.length]}`);
}
