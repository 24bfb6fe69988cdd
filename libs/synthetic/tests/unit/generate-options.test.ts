import { describe, expect, it } from 'vitest';
import { GenerateOptionsSchema, SyntheticOptionsError, parseGenerateOptions } from '../../src/index';

describe('Function: parseGenerateOptions', () => {
  it('applies the documented defaults', () => {
    expect(parseGenerateOptions()).toEqual({
      customers: 10_000,
      days: 1,
      seed: 1,
      startDate: '2026-11-25',
      cardActivity: 1,
      dirtyRate: 0.005,
      big5Datasets: ['customer_profile', 'account_balance'],
      gzipDatasets: ['card_transaction'],
      datasets: ['customer_profile', 'account_balance', 'card_transaction', 'digital_activity'],
      recordDirtyRows: false,
    });
  });

  it('keeps dataset lists in contract order without repeats', () => {
    const options = parseGenerateOptions({ datasets: ['digital_activity', 'customer_profile', 'digital_activity'] });
    expect(options.datasets).toEqual(['customer_profile', 'digital_activity']);
  });

  it.each([
    [{ customers: 0 }, 'customers'],
    [{ customers: 1.5 }, 'customers'],
    [{ customers: 20_000_000 }, 'customers'],
    [{ days: 0 }, 'days'],
    [{ seed: -1 }, 'seed'],
    [{ startDate: '2026-02-30' }, 'startDate'],
    [{ startDate: '1990-01-01' }, 'startDate'],
    [{ dirtyRate: 0.9 }, 'dirtyRate'],
    [{ big5Datasets: ['customer_features'] }, 'big5Datasets'],
    [{ unknown: true }, 'unknown'],
  ])('rejects %j, naming %s', (options, field) => {
    expect(() => parseGenerateOptions(options as never)).toThrow(SyntheticOptionsError);
    expect(() => parseGenerateOptions(options as never)).toThrow(field);
  });

  it('is the schema the package exports', () => {
    expect(GenerateOptionsSchema.parse({ customers: 5 }).customers).toBe(5);
  });
});
