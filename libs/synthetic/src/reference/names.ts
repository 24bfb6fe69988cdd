/**
 * Common Taiwanese surnames with their approximate share of the population (per mille, Ministry of the Interior
 * name statistics) and the passport romanisation used in e-mail addresses.
 */
export const SURNAMES: readonly (readonly [surname: string, perMille: number, romanised: string])[] = [
  ['陳', 111, 'chen'], ['林', 83, 'lin'], ['黃', 60, 'huang'], ['張', 53, 'chang'], ['李', 51, 'lee'],
  ['王', 41, 'wang'], ['吳', 40, 'wu'], ['劉', 32, 'liu'], ['蔡', 29, 'tsai'], ['楊', 26, 'yang'],
  ['許', 23, 'hsu'], ['鄭', 19, 'cheng'], ['謝', 18, 'hsieh'], ['郭', 17, 'kuo'], ['洪', 16, 'hung'],
  ['曾', 14, 'tseng'], ['邱', 14, 'chiu'], ['廖', 13, 'liao'], ['賴', 13, 'lai'], ['周', 12, 'chou'],
  ['徐', 11, 'hsu'], ['蘇', 11, 'su'], ['葉', 10, 'yeh'], ['莊', 9, 'chuang'], ['呂', 9, 'lu'],
  ['江', 9, 'chiang'], ['何', 8, 'ho'], ['蕭', 7, 'hsiao'], ['羅', 7, 'lo'], ['高', 7, 'kao'],
  ['潘', 6, 'pan'], ['簡', 6, 'chien'], ['朱', 6, 'chu'], ['鍾', 6, 'chung'], ['彭', 5, 'peng'],
  ['游', 5, 'yu'], ['詹', 5, 'chan'], ['胡', 5, 'hu'], ['施', 5, 'shih'], ['沈', 4, 'shen'],
  ['余', 4, 'yu'], ['盧', 4, 'lu'], ['梁', 4, 'liang'], ['趙', 4, 'chao'], ['顏', 4, 'yen'],
  ['柯', 4, 'ko'], ['翁', 3, 'weng'], ['魏', 3, 'wei'], ['孫', 3, 'sun'], ['戴', 3, 'tai'],
  ['范', 3, 'fan'], ['方', 3, 'fang'], ['宋', 3, 'sung'], ['鄧', 3, 'teng'], ['杜', 2, 'tu'],
  ['傅', 2, 'fu'], ['侯', 2, 'hou'], ['曹', 2, 'tsao'], ['薛', 2, 'hsueh'], ['丁', 2, 'ting'],
  ['卓', 2, 'cho'], ['馬', 2, 'ma'], ['阮', 2, 'juan'], ['董', 2, 'tung'], ['唐', 2, 'tang'],
  ['歐陽', 0.3, 'ouyang'], ['張簡', 0.2, 'changchien'], ['范姜', 0.1, 'fanchiang'],
];

/** Characters common in Taiwanese men's given names. */
export const GIVEN_NAME_CHARS_MALE: readonly string[] = [
  ...'志明偉俊宏家建文嘉冠宇承翰哲豪傑信育彥柏凱瑋銘佑維政國勝榮雄仁德昌輝瑞祥安廷恩浩軒智賢峰鴻誠',
];

/** Characters common in Taiwanese women's given names. */
export const GIVEN_NAME_CHARS_FEMALE: readonly string[] = [
  ...'淑美惠雅婷怡君佳玲慧芳秀琪欣儀萍珍麗芬如雯筱靜宜詩涵瑜穎郁蓁庭萱妤婉秋月華珊蓉瑩',
];

/** Characters used in both men's and women's given names. */
export const GIVEN_NAME_CHARS_NEUTRAL: readonly string[] = [...'家宜子思品晴安嘉文心'];

/** Web-mail domains Taiwanese customers use, with relative weights. */
export const EMAIL_DOMAINS: readonly (readonly [domain: string, weight: number])[] = [
  ['gmail.com', 50], ['yahoo.com.tw', 18], ['hotmail.com', 9], ['outlook.com', 6], ['msa.hinet.net', 7],
  ['icloud.com', 5], ['pchome.com.tw', 2], ['seed.net.tw', 1], ['livemail.tw', 1], ['ms1.hinet.net', 1],
];
