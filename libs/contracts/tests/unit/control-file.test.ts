import { describe, expect, it } from 'vitest';
import { ControlFileSchema, controlFileName, dataFileName, parseLandingFileName } from '../../src/index';

const valid = {
  dataset: 'customer_profile',
  businessDate: '2026-11-25',
  file: 'customer_profile_20261125.csv',
  rowCount: 10000,
  sha256: 'a'.repeat(64),
  encoding: 'utf-8',
  schemaVersion: 1,
};

describe('ControlFileSchema', () => {
  it('accepts the control file of the landing contract', () => {
    expect(ControlFileSchema.parse(valid)).toEqual(valid);
    expect(ControlFileSchema.parse({ ...valid, file: 'customer_profile_20261125.csv.gz', encoding: 'big5' }).encoding).toBe('big5');
  });

  it.each([
    ['a file name for another date', { file: 'customer_profile_20261124.csv' }, 'file'],
    ['an upper-case checksum', { sha256: 'A'.repeat(64) }, 'sha256'],
    ['an unknown encoding', { encoding: 'latin1' }, 'encoding'],
    ['a negative row count', { rowCount: -1 }, 'rowCount'],
    ['an impossible date', { businessDate: '2026-02-30', file: 'customer_profile_20260230.csv' }, 'businessDate'],
    ['an extra field', { extra: 1 }, ''],
  ])('rejects %s', (_label, patch, path) => {
    const result = ControlFileSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    if (path) expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('landing file names', () => {
  it('splits data, compressed data and control file names', () => {
    expect(parseLandingFileName('card_transaction_20261125.csv')).toEqual({ dataset: 'card_transaction', businessDate: '2026-11-25', kind: 'data', compressed: false });
    expect(parseLandingFileName('card_transaction_20261125.csv.gz')?.compressed).toBe(true);
    expect(parseLandingFileName('card_transaction_20261125.ctl')?.kind).toBe('control');
  });

  it('refuses names outside the contract', () => {
    for (const name of ['card_transaction.csv', 'Card_20261125.csv', 'card_transaction_20261332.csv', 'card_transaction_20261125.txt']) {
      expect(parseLandingFileName(name), name).toBeUndefined();
    }
  });

  it('builds names that parse back', () => {
    expect(parseLandingFileName(controlFileName('account_balance', '2026-01-05'))?.businessDate).toBe('2026-01-05');
    expect(dataFileName('account_balance', '2026-01-05', true)).toBe('account_balance_20260105.csv.gz');
  });
});
