/** A city or county with real districts and real road names, for postal addresses. */
export interface CityEntry {
  /** Official name, with 臺 where the official name has it. */
  readonly name: string;
  /** Population in ten thousands (approximate), the sampling weight. */
  readonly population: number;
  /** National ID letters issued for household registrations in this area (legacy counties included). */
  readonly idLetters: readonly string[];
  readonly districts: readonly string[];
  /** Roads; `+` marks roads that have numbered sections (段). */
  readonly roads: readonly string[];
}

/** The cities and counties of Taiwan, with real districts and roads. */
export const CITIES: readonly CityEntry[] = [
  {
    name: '臺北市', population: 250, idLetters: ['A', 'Y'],
    districts: ['中正區', '大同區', '中山區', '松山區', '大安區', '萬華區', '信義區', '士林區', '北投區', '內湖區', '南港區', '文山區'],
    roads: ['忠孝東路+', '仁愛路+', '信義路+', '和平東路+', '羅斯福路+', '中山北路+', '南京東路+', '民生東路+', '復興南路+', '敦化南路+', '基隆路+', '重慶南路+', '承德路+', '內湖路+', '木柵路+', '天母東路', '光復南路', '松江路', '新生南路+'],
  },
  {
    name: '新北市', population: 400, idLetters: ['F'],
    districts: ['板橋區', '三重區', '中和區', '永和區', '新莊區', '新店區', '土城區', '蘆洲區', '汐止區', '樹林區', '淡水區', '三峽區', '鶯歌區', '林口區'],
    roads: ['文化路+', '中山路+', '民生路+', '中正路', '重新路+', '永和路+', '中和路', '景平路', '思源路', '中華路+', '北新路+', '中央路+', '學府路+', '長江路+', '中山北路+', '大同路+', '三民路', '復興路'],
  },
  {
    name: '桃園市', population: 230, idLetters: ['H'],
    districts: ['桃園區', '中壢區', '平鎮區', '八德區', '楊梅區', '蘆竹區', '龜山區', '大園區', '大溪區', '龍潭區'],
    roads: ['中正路', '復興路', '中山路', '民族路+', '經國路', '中華路+', '環中東路', '延平路', '介壽路', '南崁路+', '萬壽路+', '文化一路'],
  },
  {
    name: '臺中市', population: 280, idLetters: ['B', 'L'],
    districts: ['中區', '東區', '西區', '南區', '北區', '西屯區', '南屯區', '北屯區', '豐原區', '大里區', '太平區', '沙鹿區', '清水區', '潭子區'],
    roads: ['臺灣大道+', '文心路+', '公益路+', '五權路', '三民路+', '中清路+', '崇德路+', '英才路', '河南路+', '向上路+', '美村路+', '中山路', '大雅路', '東山路+'],
  },
  {
    name: '臺南市', population: 185, idLetters: ['D', 'R'],
    districts: ['中西區', '東區', '南區', '北區', '安平區', '安南區', '永康區', '新營區', '仁德區', '歸仁區', '善化區'],
    roads: ['中華東路+', '中華西路+', '民族路+', '成功路', '府前路+', '東門路+', '西門路+', '健康路+', '北門路+', '公園路', '中正南路', '永華路+'],
  },
  {
    name: '高雄市', population: 272, idLetters: ['E', 'S'],
    districts: ['新興區', '前金區', '苓雅區', '鹽埕區', '鼓山區', '旗津區', '前鎮區', '三民區', '左營區', '楠梓區', '小港區', '鳳山區', '岡山區'],
    roads: ['中山一路', '中山二路', '中正四路', '五福一路', '四維三路', '民族一路', '博愛二路', '九如一路', '建國二路', '自由一路', '青年一路', '中華五路', '光復路+', '大順三路', '明誠四路', '七賢二路'],
  },
  {
    name: '基隆市', population: 36, idLetters: ['C'],
    districts: ['仁愛區', '信義區', '中正區', '中山區', '安樂區', '暖暖區', '七堵區'],
    roads: ['愛一路', '仁一路', '忠一路', '信二路', '中正路', '基金一路', '麥金路', '安樂路+', '孝一路'],
  },
  {
    name: '新竹市', population: 45, idLetters: ['O'],
    districts: ['東區', '北區', '香山區'],
    roads: ['光復路+', '東大路+', '中華路+', '經國路+', '民族路', '食品路', '建中路', '西大路'],
  },
  {
    name: '新竹縣', population: 58, idLetters: ['J'],
    districts: ['竹北市', '竹東鎮', '湖口鄉', '新豐鄉', '新埔鎮'],
    roads: ['光明六路', '縣政九路', '中正東路', '博愛街', '中華路', '長安路'],
  },
  {
    name: '苗栗縣', population: 53, idLetters: ['K'],
    districts: ['苗栗市', '頭份市', '竹南鎮', '苑裡鎮', '通霄鎮'],
    roads: ['中正路', '為公路', '自強路', '中華路', '光復路'],
  },
  {
    name: '彰化縣', population: 123, idLetters: ['N'],
    districts: ['彰化市', '員林市', '鹿港鎮', '和美鎮', '溪湖鎮', '北斗鎮', '田中鎮'],
    roads: ['中山路+', '中正路+', '民族路', '光復路', '彰南路+', '員鹿路+', '中華路'],
  },
  {
    name: '南投縣', population: 48, idLetters: ['M'],
    districts: ['南投市', '埔里鎮', '草屯鎮', '竹山鎮', '集集鎮'],
    roads: ['中山路', '中正路', '復興路', '南昌街', '和平東路', '民族路'],
  },
  {
    name: '雲林縣', population: 67, idLetters: ['P'],
    districts: ['斗六市', '虎尾鎮', '斗南鎮', '北港鎮', '西螺鎮'],
    roads: ['中山路', '大學路+', '林森路+', '公正街', '文化路', '延平路'],
  },
  {
    name: '嘉義市', population: 26, idLetters: ['I'],
    districts: ['東區', '西區'],
    roads: ['中山路', '垂楊路', '民族路', '文化路', '友愛路', '世賢路+'],
  },
  {
    name: '嘉義縣', population: 49, idLetters: ['Q'],
    districts: ['太保市', '朴子市', '民雄鄉', '水上鄉', '中埔鄉'],
    roads: ['祥和二路', '開元路', '中正路', '中山路', '建國路+'],
  },
  {
    name: '屏東縣', population: 80, idLetters: ['T'],
    districts: ['屏東市', '潮州鎮', '東港鎮', '恆春鎮', '內埔鄉'],
    roads: ['自由路', '民生路', '廣東路', '中正路', '建基路', '光復路'],
  },
  {
    name: '宜蘭縣', population: 45, idLetters: ['G'],
    districts: ['宜蘭市', '羅東鎮', '礁溪鄉', '頭城鎮', '蘇澳鎮'],
    roads: ['中山路+', '公正路', '純精路+', '中正路', '民權路+'],
  },
  {
    name: '花蓮縣', population: 32, idLetters: ['U'],
    districts: ['花蓮市', '吉安鄉', '新城鄉', '玉里鎮'],
    roads: ['中山路', '中正路', '中華路', '林森路', '建國路'],
  },
  {
    name: '臺東縣', population: 21, idLetters: ['V'],
    districts: ['臺東市', '成功鎮', '關山鎮', '卑南鄉'],
    roads: ['中華路+', '更生路', '正氣路', '新生路', '中興路+'],
  },
  {
    name: '澎湖縣', population: 10, idLetters: ['X'],
    districts: ['馬公市', '湖西鄉', '白沙鄉'],
    roads: ['中正路', '民族路', '光復路', '三民路'],
  },
  {
    name: '金門縣', population: 14, idLetters: ['W'],
    districts: ['金城鎮', '金湖鎮', '金沙鎮'],
    roads: ['民生路', '中興路', '復興路', '環島北路+'],
  },
  {
    name: '連江縣', population: 1.4, idLetters: ['Z'],
    districts: ['南竿鄉', '北竿鄉'],
    roads: ['介壽村', '復興村', '塘岐村'],
  },
];

/** Chinese numerals for road sections (段) and floors. */
export const SECTION_NUMERALS: readonly string[] = ['一', '二', '三', '四', '五', '六', '七'];
