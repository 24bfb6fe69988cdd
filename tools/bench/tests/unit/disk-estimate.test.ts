import { describe, expect, it } from 'vitest';
import { DISK_MULTIPLE_OF_EXTRACTS, EXTRACT_BYTES_PER_ROW, MASK_PEAK_BYTES_PER_ROW, estimateBenchDisk } from '../../src/disk-estimate';

describe('estimateBenchDisk', () => {
  it('plans the 10M-customer run with its two largest batches in the mask step at once, on top of the extracts multiple', () => {
    // Act
    const estimate = estimateBenchDisk(10_000_000, 1, 10);

    // Assess: 160M rows a day (110M of them card transactions, as the 2026-12-07 run's 156.7M), and the mask step's
    // peak for every row of the day, since the card batch and the next largest are masked side by side.
    expect(estimate.rows).toBe(160_000_000);
    expect(estimate.extractBytes).toBe(160_000_000 * EXTRACT_BYTES_PER_ROW);
    expect(estimate.maskPeakBytes).toBe(160_000_000 * MASK_PEAK_BYTES_PER_ROW);
    expect(estimate.neededBytes).toBe(estimate.extractBytes * DISK_MULTIPLE_OF_EXTRACTS + estimate.maskPeakBytes);
    // 8 GB of mask peak: what the measured 42.9 bytes a row gives, with headroom, not the 37 GB the old mask spilled.
    expect(estimate.maskPeakBytes / 1e9).toBeGreaterThan(160_000_000 * 42.9 / 1e9);
    expect(estimate.maskPeakBytes / 1e9).toBeLessThan(10);
  });

  it('counts at most two card batches in the mask step when there are many days', () => {
    const estimate = estimateBenchDisk(1_000_000, 5, 10);

    expect(estimate.rows).toBe(5 * 16_000_000);
    expect(estimate.maskPeakBytes).toBe(2 * 10_500_000 * MASK_PEAK_BYTES_PER_ROW);
  });

  it('counts every row when the batches are small and other datasets are the largest', () => {
    const estimate = estimateBenchDisk(1000, 1, 1);

    expect(estimate.rows).toBe(6550);
    expect(estimate.maskPeakBytes).toBe(6550 * MASK_PEAK_BYTES_PER_ROW);
  });
});
