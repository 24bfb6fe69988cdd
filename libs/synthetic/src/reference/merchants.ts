/** A merchant category (ISO 18245 MCC) with merchants that print such names on Taiwanese card statements. */
export interface MerchantCategory {
  /** 4-digit merchant category code. */
  readonly mcc: string;
  /** Relative share of domestic transactions. */
  readonly weight: number;
  /** Median amount in TWD. */
  readonly medianTwd: number;
  /** Log-normal shape of the amount. */
  readonly sigma: number;
  /** True when most of its transactions are card-not-present (online). */
  readonly online: boolean;
  readonly merchants: readonly string[];
}

/**
 * Domestic merchant categories. Some names contain a comma or double quotes on purpose: they exercise RFC 4180
 * quoting on every consumer of the landing files.
 */
export const DOMESTIC_MERCHANT_CATEGORIES: readonly MerchantCategory[] = [
  { mcc: '5499', weight: 22, medianTwd: 85, sigma: 0.7, online: false, merchants: ['統一超商', '全家便利商店', '萊爾富便利商店', 'OK超商', '7-ELEVEN 信義門市'] },
  { mcc: '5411', weight: 14, medianTwd: 650, sigma: 0.8, online: false, merchants: ['全聯福利中心', '家樂福', '美廉社', '好市多 Costco, 內湖店', '頂好超市', '愛買'] },
  { mcc: '5812', weight: 12, medianTwd: 780, sigma: 0.7, online: false, merchants: ['鼎泰豐', '王品牛排', '瓦城泰國料理', '欣葉台菜', '"老王"牛肉麵', '海底撈火鍋', '饗食天堂'] },
  { mcc: '5814', weight: 9, medianTwd: 180, sigma: 0.5, online: false, merchants: ['麥當勞', '肯德基', '摩斯漢堡', '星巴克', '路易莎咖啡', '50嵐'] },
  { mcc: '5541', weight: 8, medianTwd: 1050, sigma: 0.4, online: false, merchants: ['台灣中油', '台塑石化', '全國加油站'] },
  { mcc: '4111', weight: 6, medianTwd: 120, sigma: 0.9, online: false, merchants: ['台北捷運', '台灣高鐵', '台鐵', '高雄捷運', '悠遊卡自動加值'] },
  { mcc: '4121', weight: 2, medianTwd: 260, sigma: 0.5, online: false, merchants: ['台灣大車隊', 'Uber 台灣', '55688 計程車'] },
  { mcc: '5311', weight: 5, medianTwd: 2600, sigma: 1.0, online: false, merchants: ['新光三越', '遠東百貨', '太平洋SOGO百貨', '微風廣場', '漢神百貨'] },
  { mcc: '5732', weight: 3, medianTwd: 5200, sigma: 1.1, online: false, merchants: ['燦坤3C', '全國電子', '順發3C', 'Apple Store 信義'] },
  { mcc: '5912', weight: 4, medianTwd: 420, sigma: 0.8, online: false, merchants: ['屈臣氏', '康是美', '大樹藥局', '杏一醫療用品'] },
  { mcc: '5651', weight: 3, medianTwd: 1500, sigma: 0.8, online: false, merchants: ['UNIQLO', 'NET', 'GU', 'ZARA 台北忠孝店'] },
  { mcc: '5942', weight: 2, medianTwd: 560, sigma: 0.6, online: false, merchants: ['誠品書店', '金石堂書店', '博客來'] },
  { mcc: '7832', weight: 1, medianTwd: 620, sigma: 0.4, online: false, merchants: ['威秀影城', '國賓影城', '秀泰影城'] },
  { mcc: '7011', weight: 1, medianTwd: 4800, sigma: 0.7, online: false, merchants: ['晶華酒店', '福華大飯店', '老爺酒店', '雲朗觀光'] },
  { mcc: '5200', weight: 2, medianTwd: 1800, sigma: 1.0, online: false, merchants: ['IKEA 宜家家居', '特力屋', 'HOLA', '寶家五金'] },
  { mcc: '8062', weight: 1, medianTwd: 900, sigma: 1.0, online: false, merchants: ['臺大醫院', '長庚紀念醫院', '馬偕紀念醫院', '榮民總醫院'] },
  { mcc: '4814', weight: 3, medianTwd: 699, sigma: 0.4, online: true, merchants: ['中華電信', '台灣大哥大', '遠傳電信'] },
  { mcc: '4900', weight: 2, medianTwd: 1450, sigma: 0.7, online: true, merchants: ['台灣電力公司', '台北自來水事業處', '欣欣天然氣'] },
  { mcc: '5999', weight: 8, medianTwd: 890, sigma: 1.0, online: true, merchants: ['蝦皮購物', 'momo購物網', 'PChome 24h購物', 'Yahoo奇摩購物中心', '博客來網路書店'] },
  { mcc: '4511', weight: 1, medianTwd: 9800, sigma: 0.8, online: true, merchants: ['中華航空', '長榮航空', '星宇航空'] },
  { mcc: '5815', weight: 2, medianTwd: 290, sigma: 0.5, online: true, merchants: ['Netflix', 'Spotify', 'KKBOX', 'Apple.com/bill', 'Google Play'] },
  { mcc: '6300', weight: 1, medianTwd: 12000, sigma: 0.8, online: true, merchants: ['國泰人壽', '富邦人壽', '新光人壽', '南山人壽'] },
];

/** Overseas merchant categories (channel OVERSEAS), with the currency the merchant charges in. */
export const OVERSEAS_MERCHANTS: readonly (readonly [mcc: string, merchant: string, currency: 'USD' | 'JPY' | 'EUR' | 'CNY' | 'TWD', medianTwd: number])[] = [
  ['5999', 'AMAZON.COM', 'USD', 1200],
  ['5311', 'DON QUIJOTE SHIBUYA', 'JPY', 2600],
  ['5812', 'ICHIRAN RAMEN', 'JPY', 420],
  ['7011', 'HOTEL GRACERY SHINJUKU', 'JPY', 5200],
  ['4511', 'JAPAN AIRLINES', 'JPY', 11000],
  ['5651', 'UNIQLO GINZA', 'JPY', 1600],
  ['5411', 'FAMILYMART OSAKA', 'JPY', 160],
  ['5815', 'APPLE.COM/US', 'USD', 330],
  ['4121', 'UBER *TRIP', 'USD', 650],
  ['5812', 'STARBUCKS SEATTLE', 'USD', 210],
  ['7011', 'MARRIOTT PARIS', 'EUR', 6800],
  ['5311', 'GALERIES LAFAYETTE', 'EUR', 7200],
  ['5411', 'HEMA SUPERMARKET', 'CNY', 520],
  ['5999', 'AGODA.COM', 'TWD', 3800],
  ['5999', 'BOOKING.COM', 'TWD', 4200],
];

/** TWD per unit of each currency, for writing amounts in the account or transaction currency. */
export const TWD_PER_UNIT: Readonly<Record<'TWD' | 'USD' | 'JPY' | 'EUR' | 'CNY', number>> = {
  TWD: 1,
  USD: 31.5,
  JPY: 0.21,
  EUR: 34.2,
  CNY: 4.35,
};
