import { afterEach, describe, expect, it, vi } from 'vitest';
import { CurError, REDACTED, createLogger, scrubText } from '../../src/index';

/** Made-up names: single and compound surnames, two to four characters, one with a courtesy title. */
const NAMES = ['龔雀鳴', '陳測雀', '林志', '歐陽金絲', '張簡雀', '黃金絲雀', '溫雀', '林志豪先生'];

/** Made-up Taiwanese addresses: city + district + road + number, postal codes, sections, lanes, floors, full-width digits, no city. */
const ADDRESSES = [
  '臺南市安平區金絲雀路88巷7號3樓',
  '100臺北市中正區重慶南路一段122號',
  '新北市板橋區雀鳥街12號',
  '高雄市前鎮區測試二路2之1號',
  '彰化縣員林市中山路二段5號',
  '宜蘭縣礁溪鄉溫泉路3巷2弄1號',
  '臺中市西屯區臺灣大道三段99號10樓',
  '重慶南路一段122號5樓',
  '金絲雀街１２號',
];

const hasHan = (text: string): boolean => /\p{Script=Han}/u.test(text);

describe('scrubText: Chinese names and Taiwanese addresses', () => {
  it.each(NAMES)('scrubs the name %s wherever it stands in free text', (name) => {
    for (const text of [name, `bad row for ${name} at row 3`, `name=${name};`, `"${name}"`, `(${name}, Jr.)`]) {
      const scrubbed = scrubText(text);
      expect(scrubbed, text).toContain(REDACTED);
      expect(hasHan(scrubbed), text).toBe(false);
    }
  });

  it.each(ADDRESSES)('scrubs the address %s wherever it stands in free text', (address) => {
    for (const text of [address, `customer moved to ${address}, see row 12`, `address:${address}`]) {
      const scrubbed = scrubText(text);
      expect(scrubbed, text).toContain(REDACTED);
      expect(hasHan(scrubbed), text).toBe(false);
      expect(scrubbed, text).not.toMatch(/\d+[號樓]|[號樓巷弄]/);
    }
  });

  it('scrubs a whole row quoted in a message, names, addresses and identifiers alike', () => {
    const row = 'Q298765437,龔雀鳴,0771213,M,0955123987,zq.canary@example.test,臺南市安平區金絲雀路88巷7號3樓,001';
    const scrubbed = scrubText(`header is [${row}]`);
    expect(hasHan(scrubbed)).toBe(false);
    for (const value of ['Q298765437', '0955123987', 'zq.canary@example.test', '0771213']) expect(scrubbed).not.toContain(value);
  });

  it('leaves ordinary English messages untouched', () => {
    const messages = [
      'batch accepted',
      'batch quarantined',
      'customer_profile_20261125.csv header does not match the contract: field 1 is not a column name (the contract has cust_id there). Expected: cust_id, cust_name, birth_date',
      'customer_profile_20261125.csv record 3 (the header is record 1), column address: a field longer than the landing contract allows of 4096 characters',
      'step mask published raw/customer_profile/business_date=2026-11-25/part-3f2a.parquet in 249 ms (10008 rows)',
      'DQ rule IsComplete "cust_id" failed on transformed.customer_profile: 0.97 of rows passed',
      'Lin, Wang and Chen are romanised surnames; Taipei City is a city',
    ];
    for (const message of messages) expect(scrubText(message)).toBe(message);
  });

  it('leaves Chinese text that is not a name or an address alone', () => {
    for (const text of ['客群標籤 2.0', '資料品質檢查失敗', '臺北市', '臺北市的客戶資料已經遮罩', '王小明的帳戶已經關閉']) expect(scrubText(text)).toBe(text);
  });
});

describe('createLogger with Chinese names and addresses in free text', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints none of them, in the message or in an error under an allow-listed key', () => {
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const logger = createLogger({ serviceName: 'scrub-test', logLevel: 'DEBUG' });
    const [name, address] = [NAMES[0] as string, ADDRESSES[0] as string];
    logger.warn(`could not parse the row of ${name} at ${address}`);
    logger.error('a value in an error message', { error: new CurError('TEST', `bad address ${address} for ${name}`, { cause: new Error(`inner ${NAMES[3]}`) }) });
    logger.info('a value in an allow-listed free-text key', { status: `moved to ${ADDRESSES[1]}`, details: { note: NAMES[4] } });
    const printed = lines.join('');
    expect(lines).toHaveLength(3);
    expect(hasHan(printed)).toBe(false);
    expect(printed).toContain('could not parse the row of');
  });
});
