/** Home branch codes (3 digits) of the synthetic bank. */
export const BRANCH_CODES: readonly string[] = Array.from({ length: 120 }, (_, i) => String(i < 60 ? i + 1 : 100 + (i - 60) * 3).padStart(3, '0'));

/** Occupation codes of the bank's reference table, with a description. */
export const OCCUPATIONS: readonly (readonly [code: string, description: string])[] = [
  ['01', '農林漁牧業'], ['02', '製造業'], ['03', '營造業'], ['04', '批發及零售業'], ['05', '住宿及餐飲業'],
  ['06', '運輸及倉儲業'], ['07', '資訊及通訊傳播業'], ['08', '金融及保險業'], ['09', '不動產業'], ['10', '專業、科學及技術服務業'],
  ['11', '公共行政'], ['12', '教育業'], ['13', '醫療保健業'], ['14', '藝術、娛樂及休閒服務業'], ['15', '學生'],
  ['16', '家管'], ['17', '退休人員'], ['18', '自由業'], ['19', '軍警'], ['20', '無業'],
];

/** KYC risk levels 1 (low) to 5 (high) with their shares. */
export const RISK_LEVEL_WEIGHTS: readonly (readonly [level: string, weight: number])[] = [
  ['1', 30], ['2', 36], ['3', 24], ['4', 7], ['5', 3],
];

/**
 * Card BINs (first six digits) of the synthetic bank's Visa, Mastercard and JCB cards. Not real issuer BINs of any
 * bank.
 */
export const CARD_BINS: readonly string[] = ['455623', '472815', '489931', '540812', '552271', '356712'];

/**
 * First two octets of IPv4 blocks that Taiwanese ISPs (HiNet, Taiwan Mobile, FarEasTone, SEEDNet) announce; client
 * addresses of digital activity are drawn from them.
 */
export const TAIWAN_IPV4_PREFIXES: readonly (readonly [number, number])[] = [
  [1, 160], [1, 161], [1, 169], [1, 171], [36, 224], [36, 226], [36, 230], [36, 237], [42, 72], [42, 73],
  [49, 216], [49, 217], [59, 120], [59, 124], [61, 216], [61, 218], [61, 224], [101, 8], [101, 12], [111, 240],
  [111, 248], [114, 24], [114, 32], [114, 36], [114, 44], [118, 160], [118, 166], [122, 116], [125, 224], [125, 227],
  [175, 96], [175, 180], [180, 176], [180, 217], [211, 20], [211, 75], [218, 161], [218, 164], [220, 128], [220, 136],
];
