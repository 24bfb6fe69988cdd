import { describe, expect, it } from 'vitest';
import type { ControlFile } from '@cur/contracts';
import { getDataset } from '@cur/contracts';
import { createMaskingPolicy } from '@cur/policy';
import { renderMaskRequest } from '../../../src/steps/mask-step-on-spark';

const control = (overrides: Partial<ControlFile> = {}): ControlFile => ({
  dataset: 'customer_profile',
  businessDate: '2026-11-25',
  file: 'customer_profile_20261125.csv',
  rowCount: 42,
  sha256: '0'.repeat(64),
  encoding: 'big5',
  schemaVersion: getDataset('customer_profile').schemaVersion,
  ...overrides,
});

const options = { policy: createMaskingPolicy(), landingPath: '/lake/landing/incoming/customer_profile/customer_profile_20261125.csv', outputPath: '/scratch/raw', keyService: { tokenizeUrl: 'http://127.0.0.1:4000/v1/tokenize' } };

describe('renderMaskRequest', () => {
  it('asks to mask every column the policy stores as anything but plaintext, each as itself, and nothing else', () => {
    // Act
    const request = renderMaskRequest(control(), options);

    // Assess
    const policy = createMaskingPolicy();
    const columns = getDataset('customer_profile').columns.map((c) => c.name);
    expect(request.landing.columns).toEqual(columns);
    expect(request.maskColumns.map((m) => m.column)).toEqual(columns.filter((c) => policy.storageTreatmentFor('customer_profile', c).method !== 'plaintext'));
    expect(request.maskColumns.map((m) => m.column)).toEqual(expect.arrayContaining(['cust_id', 'cust_name', 'birth_date', 'mobile', 'address', 'open_date']));
    expect(request.maskColumns.map((m) => m.column)).not.toContain('gender');
    expect(request.maskColumns.every((m) => m.tokenize.dataset === 'customer_profile' && m.tokenize.column === m.column)).toBe(true);
  });

  it('describes the landing file as its control file does, and authenticates with the per-run bearer credential by default', () => {
    const big5 = renderMaskRequest(control(), options);
    const gzip = renderMaskRequest(control({ encoding: 'utf-8', file: 'customer_profile_20261125.csv.gz' }), { ...options, landingPath: `${options.landingPath}.gz` });

    expect(big5.landing).toMatchObject({ encoding: 'big5', compression: 'none', rowCount: 42 });
    expect(gzip.landing).toMatchObject({ encoding: 'utf-8', compression: 'gzip' });
    expect(big5.tokenize).toEqual({ url: options.keyService.tokenizeUrl, batchValues: 10_000, timeoutSeconds: 60, auth: { kind: 'bearer', tokenEnv: 'CUR_KEY_SERVICE_TOKEN' } });
    expect(renderMaskRequest(control(), { ...options, keyService: { ...options.keyService, auth: { kind: 'sigv4', region: 'ap-northeast-1', service: 'lambda' } } }).tokenize.auth).toEqual({ kind: 'sigv4', region: 'ap-northeast-1', service: 'lambda' });
  });
});
