/**
 * The commonest Taiwanese surnames (about the first hundred of the Ministry of the Interior's name statistics, with
 * the variant forms 黄/黃, 温/溫, 凃/涂 both listed), then the compound surnames still in use.
 * @internal
 */
export const TAIWANESE_SURNAMES: readonly string[] = [
  ...'陳林黃黄張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温溫唐藍石蔣古紀姚連馮歐程湯田康姜白汪鄒尤巫鐘黎涂凃龔嚴韓袁金童陸夏柳邵',
  '歐陽', '張簡', '范姜', '周黃', '司馬', '諸葛', '上官', '司徒', '東方',
];

const HAN = '\\p{Script=Han}';
const DIGIT = '[0-9０-９]';
const compound = TAIWANESE_SURNAMES.filter((surname) => surname.length > 1).join('|');
const single = TAIWANESE_SURNAMES.filter((surname) => surname.length === 1).join('');

/**
 * A Taiwanese address from its city or county and its district, township or county-administered city onwards
 * (`臺南市安平區金絲雀路88巷7號3樓`, with or without a postal code in front): the rest of the Han text, digits and
 * address characters after the district goes with it.
 */
const ADMIN_ADDRESS = new RegExp(`(?:\\d{3,6}\\s*)?${HAN}{1,3}[市縣]${HAN}{1,3}?[區鄉鎮市](?:${HAN}|${DIGIT}|[-－])*`, 'gu');

/** A street address without its city: road or street, optional section, lane and alley, then a house number (`重慶南路一段122號5樓`). */
const STREET_ADDRESS = new RegExp(
  `${HAN}{1,8}(?:路|街|大道)(?:${HAN}{1,2}段)?(?:${DIGIT}+巷)?(?:${DIGIT}+弄)?${DIGIT}+(?:之${DIGIT}+)?號(?:${DIGIT}+樓)?(?:之${DIGIT}+)?`,
  'gu',
);

/**
 * A Chinese personal name: a run of 2 to 4 Han characters standing alone in the text (no Han character before or
 * after it, or only a courtesy title, which goes with it) that starts with a common surname. A whole run must match, so a longer
 * Chinese phrase is left alone, and so is a run that does not start with a surname; a short word that happens to start
 * with one (高雄, 黃金) is scrubbed too, the price of catching names in free text.
 */
const PERSON_NAME = new RegExp(`(?<!${HAN})(?:(?:${compound})${HAN}{1,2}|[${single}]${HAN}{1,3}?)(?:先生|小姐|女士|太太)?(?!${HAN})`, 'gu');

/**
 * Patterns of Chinese names and Taiwanese addresses in free text, addresses first (an address can hold a name-like
 * run). A second line of defence behind the logger's key allow-list, for text such as an error message that quotes a
 * value.
 */
export const CHINESE_PERSONAL_DATA_PATTERNS: readonly RegExp[] = [ADMIN_ADDRESS, STREET_ADDRESS, PERSON_NAME];
