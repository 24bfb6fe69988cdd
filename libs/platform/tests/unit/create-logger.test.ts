import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATASETS } from '@cur/contracts';
import { CurError, REDACTED, createLogger, setDefaultLogFormat } from '../../src/index';

/**
 * Canary values: one made-up plaintext per sensitive column of every dataset. None may appear in any log line,
 * whatever shape the caller logs it in.
 */
const CANARIES: Record<string, string> = {
  cust_id: 'Z298765431',
  cust_name: '金絲雀測試',
  birth_date: '0780512',
  open_date: '1050301',
  mobile: '0987654321',
  email: 'canary.bird@example.test',
  address: '臺北市中正區金絲雀路一段1號',
  acct_no: '12345678901234',
  card_no: '4111111111111111',
  device_id: 'canary-device-7f3a9c',
  ip_address: '203.0.113.77',
};

describe('createLogger', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    // Powertools writes INFO and below to stdout and WARN and above to stderr: capture both.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());

  const output = (): string => lines.join('');

  it('covers a canary for every sensitive column the contracts declare', () => {
    const sensitive = Object.values(DATASETS).flatMap((d) => d.columns.filter((c) => c.classification !== 'public').map((c) => c.name));
    for (const name of sensitive) expect(CANARIES, name).toHaveProperty(name);
  });

  it.each(['json', 'text'] as const)('never prints a canary value, however it is logged (%s)', (format) => {
    // Prepare
    const logger = createLogger({ serviceName: 'canary-test', logLevel: 'DEBUG', format });
    const row = { ...CANARIES };

    // Act
    logger.info('row under its own keys', row);
    logger.info('row nested under an allowed key', { metrics: { row }, details: { rows: [row, row] } });
    logger.info('row under an unknown key', { payload: row, value: CANARIES['cust_name'] });
    logger.warn(`message quoting values ${CANARIES['cust_id']} ${CANARIES['mobile']} ${CANARIES['email']} ${CANARIES['card_no']}`);
    logger.error('an error quoting a value', {
      error: new CurError('TEST', `bad row for ${CANARIES['cust_id']} at ${CANARIES['ip_address']}`, { cause: new Error(`inner ${CANARIES['acct_no']}`) }),
    });
    logger.debug('ROC birth date in text', { status: `born ${CANARIES['birth_date']}` });
    logger.appendKeys({ cust_id: CANARIES['cust_id'] ?? '' });
    logger.info('persistent key');

    // Assess
    const printed = output();
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const [column, canary] of Object.entries(CANARIES)) {
      expect(printed, `value of ${column} leaked`).not.toContain(canary);
    }
    expect(printed).toContain(REDACTED);
  });

  it('keeps allow-listed facts readable', () => {
    const logger = createLogger({ serviceName: 'canary-test', logLevel: 'INFO' });
    logger.info('batch accepted', { dataset: 'customer_profile', rowCount: 10000, businessDate: '2026-11-25', objectKey: 'raw/customer_profile/business_date=2026-11-25/part-0.parquet' });
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'INFO', message: 'batch accepted', service: 'canary-test', dataset: 'customer_profile', rowCount: 10000, businessDate: '2026-11-25' });
    expect(line['objectKey']).toBe('raw/customer_profile/business_date=2026-11-25/part-0.parquet');
  });

  it('text format: one readable line per entry on stderr, allow-listed facts as key=value, children too (issue 17, point 5)', () => {
    // Prepare
    const stderr = vi.spyOn(process.stderr, 'write');
    const logger = createLogger({ serviceName: 'canary-test', logLevel: 'INFO', format: 'text' });

    // Act
    logger.warn('batch quarantined', { batchId: 'customer_profile/2026-11-25', reasonCode: 'ALREADY_INGESTED', value: CANARIES['cust_id'] });
    logger.createChild({ serviceName: 'child' }).info('batch accepted', { dataset: 'customer_profile', rowCount: 3 });

    // Assess
    expect(lines).toEqual([
      `WARN  batch quarantined  batchId=customer_profile/2026-11-25 reasonCode=ALREADY_INGESTED value=${REDACTED}\n`,
      'INFO  batch accepted  dataset=customer_profile rowCount=3\n',
    ]);
    expect(stderr).toHaveBeenCalledTimes(2);
  });

  it('json stays the default, and CUR_LOG_FORMAT or setDefaultLogFormat choose text', () => {
    createLogger({ serviceName: 'canary-test', logLevel: 'INFO' }).warn('plain');
    setDefaultLogFormat('text');
    createLogger({ serviceName: 'canary-test', logLevel: 'INFO' }).warn('by default');
    setDefaultLogFormat(undefined);
    vi.stubEnv('CUR_LOG_FORMAT', 'text');
    createLogger({ serviceName: 'canary-test', logLevel: 'INFO' }).warn('by env');
    vi.unstubAllEnvs();
    const printed = output().split('\n').filter((line) => line !== '');
    expect(printed).toHaveLength(3);
    expect(JSON.parse(printed[0] ?? '')).toMatchObject({ level: 'WARN', message: 'plain' });
    expect(printed.slice(1)).toEqual(['WARN  by default', 'WARN  by env']);
  });
});
