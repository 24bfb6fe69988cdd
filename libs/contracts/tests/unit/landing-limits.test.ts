import { describe, expect, it } from 'vitest';
import { DATASETS, DEFAULT_LANDING_CSV_LIMITS, defineDataset, getDataset, landingCsvLimitsFor, type DatasetSpecInput } from '../../src/index';

const declaration: DatasetSpecInput = {
  name: 'tiny',
  description: 'a test dataset',
  owner: 'tests',
  schemaVersion: 1,
  zones: ['landing'],
  columns: [{ name: 'code', type: 'string', nullable: false, classification: 'public', description: 'a code' }],
  primaryKey: ['code'],
  partitionColumns: [],
};

describe('landing CSV limits', () => {
  it('gives every source dataset the landing contract defaults: 4 KiB characters a field, 64 KiB a record', () => {
    expect(DEFAULT_LANDING_CSV_LIMITS).toEqual({ maxFieldChars: 4096, maxRecordChars: 65_536 });
    for (const dataset of Object.values(DATASETS)) expect(landingCsvLimitsFor(dataset), dataset.name).toEqual(DEFAULT_LANDING_CSV_LIMITS);
  });

  it('lets a dataset declare its own limit over the default', () => {
    const dataset = defineDataset({ ...declaration, landingLimits: { maxFieldChars: 100 } });
    expect(landingCsvLimitsFor(dataset)).toEqual({ maxFieldChars: 100, maxRecordChars: 65_536 });
    expect(landingCsvLimitsFor(getDataset('customer_profile')).maxFieldChars).toBe(4096);
  });

  it('refuses a declaration whose field limit exceeds its record limit, or that is not a positive integer', () => {
    expect(() => defineDataset({ ...declaration, landingLimits: { maxRecordChars: 10 } })).toThrow(/landingLimits/);
    expect(() => defineDataset({ ...declaration, landingLimits: { maxFieldChars: 0 } })).toThrow(/landingLimits/);
    expect(() => defineDataset({ ...declaration, landingLimits: { maxFieldChars: 1.5 } })).toThrow(/landingLimits/);
  });
});
